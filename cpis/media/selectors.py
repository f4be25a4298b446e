"""Reads for the media log: the reports of the actor's places with filters, one
report, the form's choices, and the coverage figures — monthly counts by tone,
the net-tone index with its interval, the top topics and outlets, and the same
period a year earlier — for a page, the API and the six-monthly evaluation."""

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.http import one_or_404
from cpis.forums.models import Meeting, PressRelease
from cpis.forums.policy import policy as forums_policy
from cpis.organisation.access import Actor
from cpis.organisation.models import Municipality, Unit, UnitKind
from cpis.outreach.models import OutreachActivity
from cpis.outreach.policy import policy as outreach_policy
from cpis.problems.models import Problem
from cpis.problems.policy import policy as problems_policy

from .models import MediaItem, MediaPlace, Outlet, StagedImport, Tone, Topic
from .policy import policy
from .stats import Interval, net_tone, wilson

PLACE_KINDS = (UnitKind.DIRECTORATE, UnitKind.REGION, UnitKind.STATION, UnitKind.SUBSTATION, UnitKind.SECTOR)
TONES = (Tone.POSITIVE, Tone.NEUTRAL, Tone.NEGATIVE)


@dataclass(frozen=True)
class Filters:
    unit: Unit | None = None
    start: date | None = None
    end: date | None = None
    topic: Topic | None = None
    outlet_kind: str = ""
    tone: str = ""
    outlet: Outlet | None = None


def root_path() -> str:
    root = Unit.objects.filter(parent__isnull=True).order_by("path").values_list("path", flat=True).first()
    return root or ""


def items_under(path: str) -> QuerySet[MediaItem]:
    """Every report that concerns a place at or under `path` (all when empty)."""
    if not path:
        return MediaItem.objects.all()
    return MediaItem.objects.filter(
        pk__in=MediaPlace.objects.filter(unit_path__startswith=path).values("item_id")
    )


def visible_items(actor: Actor) -> QuerySet[MediaItem]:
    """The reports that concern at least one of the actor's places."""
    if actor.is_system:
        return MediaItem.objects.all()
    return MediaItem.objects.filter(
        pk__in=MediaPlace.objects.filter(policy.scope(actor, "view", "unit_path")).values("item_id")
    )


def _apply(items: QuerySet[MediaItem], filters: Filters, *, tone: bool = True) -> QuerySet[MediaItem]:
    if filters.unit is not None:
        items = items.filter(
            pk__in=MediaPlace.objects.filter(unit_path__startswith=filters.unit.path).values("item_id")
        )
    if filters.start is not None:
        items = items.filter(published_on__gte=filters.start)
    if filters.end is not None:
        items = items.filter(published_on__lte=filters.end)
    if filters.topic is not None:
        items = items.filter(topic=filters.topic)
    if filters.outlet_kind:
        items = items.filter(outlet__kind=filters.outlet_kind)
    if filters.outlet is not None:
        items = items.filter(outlet=filters.outlet)
    if tone and filters.tone:
        items = items.filter(tone=filters.tone)
    return items


def list_items(actor: Actor, filters: Filters) -> QuerySet[MediaItem]:
    """The reports of the actor's places that match, newest first."""
    return (
        _apply(visible_items(actor), filters)
        .select_related("outlet", "topic")
        .prefetch_related("places__unit")
        .order_by("-published_on", "-id")
    )


def get_item(actor: Actor, item_id: int) -> MediaItem:
    """One report of the actor's places; 404 otherwise, as for one that does not exist."""
    return one_or_404(
        visible_items(actor)
        .select_related("outlet", "topic", "created_by")
        .prefetch_related(
            "places__unit", "municipalities", "problems", "activities", "meetings__forum", "press_releases"
        ),
        pk=item_id,
    )


def get_unit(actor: Actor, unit_id: int) -> Unit:
    """A unit of the actor's places (to narrow to); 404 otherwise."""
    return one_or_404(Unit.objects.filter(policy.scope(actor, "view")), pk=unit_id)


def list_places(actor: Actor, action: str = "log") -> QuerySet[Unit]:
    """Regions, stations and sectors (and the directorate) where the actor may do `action`."""
    return (
        Unit.objects.filter(kind__in=PLACE_KINDS)
        .filter(policy.scope(actor, action))
        .select_related("parent")
        .order_by("path")
    )


def default_place(actor: Actor) -> Unit | None:
    """Where the quick form starts: the most local place the actor may log at."""
    paths = policy.places(actor, "log")
    return Unit.objects.filter(path__in=paths).order_by("-path").first()


def list_outlets(*, active: bool = True) -> QuerySet[Outlet]:
    outlets = Outlet.objects.all()
    return outlets.filter(is_active=True) if active else outlets


def list_topics(*, active: bool = True) -> QuerySet[Topic]:
    topics = Topic.objects.all()
    return topics.filter(is_active=True) if active else topics


def list_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.order_by("name_sq")


def get_outlet(outlet_id: int | None) -> Outlet | None:
    return None if outlet_id is None else Outlet.objects.filter(pk=outlet_id).first()


def get_topic(topic_id: int | None) -> Topic | None:
    return None if topic_id is None else Topic.objects.filter(pk=topic_id).first()


def get_topic_by_code(code: str) -> Topic | None:
    return Topic.objects.filter(code=code).first() if code else None


def linkable_ids(actor: Actor, kind: str, ids: Iterable[int]) -> set[int]:
    """Which of `ids` are records of `kind` (problems, activities, meetings,
    press_releases) that the actor may see."""
    wanted = list(ids)
    if not wanted:
        return set()
    rows: QuerySet[Any]
    if kind == "problems":
        rows = Problem.objects.filter(problems_policy.scope(actor, "view", "unit_path"))
    elif kind == "activities":
        rows = OutreachActivity.objects.filter(outreach_policy.scope(actor, "view", "unit_path"))
    elif kind == "meetings":
        rows = Meeting.objects.filter(forums_policy.scope(actor, "view", "forum__unit_path"))
    elif kind == "press_releases":
        rows = PressRelease.objects.filter(forums_policy.scope(actor, "view", "forum__unit_path"))
    else:
        raise ValueError(kind)
    return set(rows.filter(pk__in=wanted).values_list("pk", flat=True))


def is_duplicate(
    *, outlet_id: int, url_key: str, published_on: date, headline_key: str, exclude: int | None = None
) -> bool:
    """Has the outlet a report with this link, or this headline on this day?"""
    same = Q(published_on=published_on, headline_key=headline_key)
    if url_key:
        same |= Q(url_key=url_key)
    found = MediaItem.objects.filter(same, outlet_id=outlet_id)
    if exclude is not None:
        found = found.exclude(pk=exclude)
    return found.exists()


def can_change(actor: Actor, item: MediaItem) -> bool:
    """Station lead roles at every one of its places; the author at their own places."""
    paths = [p.unit_path for p in item.places.all()]
    if paths and all(policy.can(actor, "manage", p) for p in paths):
        return True
    return (
        actor.user_id is not None
        and item.created_by_id == actor.user_id
        and all(policy.can(actor, "log", p) for p in paths)
    )


# --- coverage: counts and tone ------------------------------------------------------------


@dataclass(frozen=True)
class ToneCounts:
    positive: int = 0
    neutral: int = 0
    negative: int = 0

    @property
    def total(self) -> int:
        return self.positive + self.neutral + self.negative

    @property
    def net(self) -> Interval | None:
        return net_tone(self.positive, self.negative, self.total)

    @property
    def positive_share(self) -> Interval | None:
        return wilson(self.positive, self.total)

    @property
    def negative_share(self) -> Interval | None:
        return wilson(self.negative, self.total)

    def add(self, tone: str, n: int) -> "ToneCounts":
        return replace(self, **{tone: getattr(self, tone) + n})


@dataclass(frozen=True)
class Month:
    month: date  # its first day
    counts: ToneCounts


@dataclass(frozen=True)
class Ranked:
    key: int
    label: str
    counts: ToneCounts


@dataclass(frozen=True)
class Coverage:
    start: date
    end: date
    months: list[Month]
    totals: ToneCounts
    topics: list[Ranked]
    outlets: list[Ranked]
    last_year: ToneCounts = field(default_factory=ToneCounts)


def month_starts(start: date, end: date) -> list[date]:
    months = []
    current = start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def a_year_earlier(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months: from the first of the month eleven months ago to today."""
    today = today or timezone.localdate()
    start = today.replace(day=1)
    for _month in range(11):
        start = (start - timedelta(days=1)).replace(day=1)
    return start, today


def _by_tone(items: QuerySet[MediaItem]) -> ToneCounts:
    counts = ToneCounts()
    for row in items.order_by().values("tone").annotate(n=Count("id")):
        counts = counts.add(row["tone"], row["n"])
    return counts


def _ranked(items: QuerySet[MediaItem], key: str, label_of: dict[int, str], top: int) -> list[Ranked]:
    per: dict[int, ToneCounts] = {}
    for row in items.order_by().values(key, "tone").annotate(n=Count("id")):
        per[row[key]] = per.get(row[key], ToneCounts()).add(row["tone"], row["n"])
    order = sorted(per.items(), key=lambda kv: (-kv[1].total, label_of.get(kv[0], "")))
    return [Ranked(k, label_of.get(k, "?"), counts) for k, counts in order[:top]]


def coverage_of(items: QuerySet[MediaItem], start: date, end: date, *, top: int = 5) -> Coverage:
    """The figures of `items` between `start` and `end` (both included): monthly counts
    by tone, totals, the top topics and outlets, and the same dates a year earlier."""
    within = items.filter(published_on__gte=start, published_on__lte=end)
    monthly: dict[date, ToneCounts] = {m: ToneCounts() for m in month_starts(start, end)}
    rows = (
        within.order_by().annotate(m=TruncMonth("published_on")).values("m", "tone").annotate(n=Count("id"))
    )
    for row in rows:
        month = row["m"].date() if hasattr(row["m"], "date") else row["m"]
        monthly[month] = monthly.get(month, ToneCounts()).add(row["tone"], row["n"])
    totals = ToneCounts()
    for counts in monthly.values():
        for tone in TONES:
            totals = totals.add(tone, getattr(counts, tone))
    topics = {t.pk: t.name for t in Topic.objects.all()}
    outlets = {o.pk: o.name for o in Outlet.objects.all()}
    earlier = items.filter(published_on__gte=a_year_earlier(start), published_on__lte=a_year_earlier(end))
    return Coverage(
        start=start,
        end=end,
        months=[Month(m, c) for m, c in sorted(monthly.items())],
        totals=totals,
        topics=_ranked(within, "topic_id", topics, top),
        outlets=_ranked(within, "outlet_id", outlets, top),
        last_year=_by_tone(earlier),
    )


def coverage(actor: Actor, filters: Filters) -> Coverage:
    """The coverage page's figures for the actor's places and the filters (the last
    twelve months when no dates are given)."""
    start, end = default_period()
    start = filters.start or start
    end = filters.end or end
    items = _apply(visible_items(actor), replace(filters, start=None, end=None))
    return coverage_of(items, start, end)


def tone_counts_under(path: str, start: date, end: date) -> ToneCounts:
    """Reports about places at or under `path` between the dates, by tone."""
    return _by_tone(items_under(path).filter(published_on__gte=start, published_on__lte=end))


def topic_tone_table(path: str, start: date, end: date) -> list[Ranked]:
    """Every topic with reports about places under `path` in the period, by tone, most first."""
    items = items_under(path).filter(published_on__gte=start, published_on__lte=end)
    topics = {t.pk: t.name for t in Topic.objects.all()}
    return _ranked(items, "topic_id", topics, top=1000)


def get_staged_import(actor: Actor, staged_id: int) -> StagedImport:
    """A file the actor staged for import; 404 for anyone else's."""
    if actor.user_id is None:
        return one_or_404(StagedImport.objects.none(), pk=staged_id)
    return one_or_404(StagedImport.objects.filter(created_by_id=actor.user_id), pk=staged_id)


def get_municipalities(ids: Iterable[int]) -> list[Municipality]:
    """The municipalities with these ids; InvalidInput when one does not exist."""
    wanted = set(ids)
    found = list(Municipality.objects.filter(pk__in=wanted))
    if len(found) != len(wanted):
        raise InvalidInput(_("There is no such municipality."))
    return found
