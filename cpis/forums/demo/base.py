"""What every part of the forums demo shares: one seeded random source,
the day the demo is made for, and people drawn from the right community."""

import random
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from typing import Any, TypeVar

from django.db.models import Model
from django.utils import timezone

from cpis.organisation.demo import demo_names

from ..models import Community, Forum, Gender
from .words import GORANI_NAMES, MINORITIES, ROMA_NAMES, SERBIAN_MUNICIPALITIES

M = TypeVar("M", bound=Model)


class Base:
    def __init__(self, *, seed: int, today: date) -> None:
        self.rng = random.Random(seed * 31 + 7)  # noqa: S311 (demo data, not security)
        self.today = today
        self.now = timezone.now()
        self.names = demo_names()
        self.years = sorted({*range(2012, 2017), *range(today.year - 2, today.year + 1)})
        self.gap_years = list(range(2017, today.year - 2))

    # --- people ------------------------------------------------------------------

    def _serbian_area(self, municipality: str) -> bool:
        return municipality in SERBIAN_MUNICIPALITIES

    def community(self, municipality: str) -> str:
        roll = self.rng.random()
        if self._serbian_area(municipality):
            return Community.SERBIAN if roll < 0.8 else Community.ALBANIAN
        minorities = MINORITIES.get(municipality)
        if minorities and roll < 0.25:
            return self.rng.choice(minorities)
        return Community.ALBANIAN

    def person(self, community: str) -> tuple[str, str]:
        pools: dict[str, Any] = {
            Community.ALBANIAN: self.names["albanian"],
            Community.SERBIAN: self.names["serbian"],
            Community.BOSNIAK: self.names["bosniak"],
            Community.TURKISH: self.names["turkish"],
            Community.GORANI: GORANI_NAMES,
        }
        pool = pools.get(community, ROMA_NAMES)
        gender = Gender.FEMALE if self.rng.random() < 0.3 else Gender.MALE
        first = self.rng.choice(pool["female"] if gender == Gender.FEMALE else pool["male"])
        return f"{first} {self.rng.choice(pool['surnames'])}", gender

    def _day_in_windows(self, since: date, until: date) -> date | None:
        """A day in 2012–2016 or the last three years, between since and until."""
        windows = [(date(2012, 1, 1), date(2016, 12, 31)), (date(self.today.year - 2, 1, 1), self.today)]
        windows = [(max(a, since), min(b, until)) for a, b in windows if max(a, since) <= min(b, until)]
        if not windows:
            return None
        start, end = self.rng.choice(windows)
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def days_in_windows(self, count: int, since: date, until: date) -> Iterator[date]:
        """Up to `count` days, each as `_day_in_windows` draws it (none when
        the windows and since–until do not meet)."""
        for _ in range(count):
            day = self._day_in_windows(since, until)
            if day is not None:
                yield day

    def per_forum(
        self, model: type[M], forums: list[Forum], count: Callable[[], int], make: Callable[[Forum, date], M]
    ) -> int:
        """For each forum, `count()` records made on days it existed, written in bulk."""
        return self.insert(
            model,
            (
                make(forum, day)
                for forum in forums
                for day in self.days_in_windows(
                    count(), forum.established_on, forum.dissolved_on or self.today
                )
            ),
        )

    @staticmethod
    def insert(model: type[M], rows: Iterable[M]) -> int:
        """Write the rows in bulk; how many there were."""
        written = model._default_manager.bulk_create(list(rows), batch_size=1000)
        return len(written)
