"""Proposed LPSC sites, trainer engagements, tension reports and press releases."""

from datetime import date, timedelta

from cpis.organisation.demo import demo_time
from cpis.organisation.models import Unit, UnitKind

from ..models import (
    Forum,
    ForumKind,
    ForumMember,
    PressRelease,
    ProposedSite,
    SiteStatus,
    TensionLevel,
    TensionReport,
    TrainerEngagement,
)
from .base import Base
from .words import (
    AUDIENCES_SQ,
    AUDIENCES_SR,
    FOLLOW_UP_SQ,
    FOLLOW_UP_SR,
    INITIATIVES_SQ,
    INITIATIVES_SR,
    RELEASE_SQ,
    RELEASE_SR,
    TENSIONS_SQ,
    TENSIONS_SR,
)


class Records(Base):
    # --- sites, trainers, tensions, press releases -----------------------------------

    def sites(self, forums: list[Forum]) -> int:
        rows: list[ProposedSite] = []
        lpscs = [f for f in forums if f.kind == ForumKind.LPSC]
        for forum in self.rng.sample(lpscs, k=min(len(lpscs), max(3, len(lpscs) // 6))):
            identified = max(
                forum.established_on - timedelta(days=self.rng.randint(90, 360)), date(2012, 1, 15)
            )
            rows.append(
                ProposedSite(
                    unit_id=forum.unit_id,
                    unit_path=forum.unit_path,
                    description="Lagje e re me shumë familje të reja; "
                    "banorët kërkojnë takime të rregullta me policinë.",
                    identified_on=min(identified, forum.established_on),
                    status=SiteStatus.ESTABLISHED,
                    forum=forum,
                    created_at=demo_time(min(identified, forum.established_on), 10),
                )
            )
        with_forum = {f.unit_id for f in forums}
        free = list(Unit.objects.filter(kind=UnitKind.SECTOR).exclude(pk__in=with_forum).order_by("path"))
        for unit in self.rng.sample(free, k=min(len(free), max(4, len(free) // 12))):
            year = self.rng.choice([2013, 2014, 2015, 2016, self.today.year - 1, self.today.year])
            identified = min(date(year, self.rng.randint(1, 12), self.rng.randint(1, 28)), self.today)
            status = self.rng.choice(
                [SiteStatus.IDENTIFIED, SiteStatus.IN_PREPARATION, SiteStatus.NOT_NEEDED]
            )
            rows.append(
                ProposedSite(
                    unit=unit,
                    unit_path=unit.path,
                    description=self.rng.choice(
                        [
                            "Rritje e vjedhjeve në fshat; nuk ka forum lokal.",
                            "Fshat me përbërje të përzier etnike; nevojitet dialog i rregullt.",
                            "Zonë industriale me punëtorë sezonalë; shqetësime për trafikun.",
                        ]
                    ),
                    identified_on=identified,
                    status=status,
                    status_note="Bashkësia zgjodhi të marrë pjesë në KLSP-në fqinje."
                    if status == SiteStatus.NOT_NEEDED
                    else "",
                    created_at=demo_time(identified, 10),
                )
            )
        return self.insert(ProposedSite, rows)

    def trainers(self, members: dict[int, list[ForumMember]], forums: list[Forum]) -> int:
        return self.insert(
            TrainerEngagement,
            (
                self._engagement(member, day, serbian=forum.language == "sr")
                for forum in forums
                if forum.kind in {ForumKind.LPSC, ForumKind.CSAT}
                for member in members.get(forum.pk, [])
                if self.rng.random() <= 0.08
                for day in self.days_in_windows(
                    self.rng.randint(1, 3), member.term_start, member.term_end or self.today
                )
            ),
        )

    def _engagement(self, member: ForumMember, day: date, *, serbian: bool) -> TrainerEngagement:
        return TrainerEngagement(
            member=member,
            on=day,
            initiative=self.rng.choice(INITIATIVES_SR if serbian else INITIATIVES_SQ),
            audience=self.rng.choice(AUDIENCES_SR if serbian else AUDIENCES_SQ),
            created_at=demo_time(day, 16),
        )

    def tensions(self, forums: list[Forum]) -> int:
        return self.per_forum(TensionReport, forums, lambda: self.rng.choice([0, 0, 1, 2, 3]), self._tension)

    def _tension(self, forum: Forum, day: date) -> TensionReport:
        serbian = forum.language == "sr"
        level = self.rng.choices(
            [TensionLevel.LOW, TensionLevel.MEDIUM, TensionLevel.HIGH], weights=[65, 28, 7]
        )[0]
        return TensionReport(
            forum=forum,
            reported_on=day,
            level=level,
            summary=self.rng.choice(TENSIONS_SR if serbian else TENSIONS_SQ),
            follow_up=FOLLOW_UP_SR if serbian else FOLLOW_UP_SQ,
            created_at=demo_time(day, 11),
        )

    def releases(self, forums: list[Forum]) -> int:
        # About a third of the forums publish, one to four releases each.
        return self.per_forum(
            PressRelease,
            forums,
            lambda: self.rng.randint(1, 4) if self.rng.random() <= 0.35 else 0,
            self._release,
        )

    def _release(self, forum: Forum, day: date) -> PressRelease:
        serbian = forum.language == "sr"
        published = self.rng.random() < 0.85
        title, body = RELEASE_SR if serbian else RELEASE_SQ
        return PressRelease(
            forum=forum,
            title=title.format(forum=forum.name)[:200],
            body=body,
            language="sr" if serbian else "sq",
            is_published=published,
            published_at=demo_time(day, 14) if published else None,
            created_at=demo_time(day, 10),
        )
