"""Forums and their members over the years."""

from datetime import date, timedelta

from cpis.core.i18n import to_serbian_latin
from cpis.organisation.demo import demo_phone, demo_time
from cpis.organisation.models import Unit, UnitKind

from ..models import AgeBand, Forum, ForumKind, ForumMember, ForumStatus, MemberRole
from .base import Base
from .words import SKILLS_SQ, SKILLS_SR


class Forums(Base):
    # --- forums ------------------------------------------------------------------

    def forums(self) -> list[Forum]:
        stations = list(
            Unit.objects.filter(kind=UnitKind.STATION).select_related("municipality").order_by("path")
        )
        sectors = list(
            Unit.objects.filter(kind=UnitKind.SECTOR).select_related("municipality").order_by("path")
        )
        forums: list[Forum] = []
        for station in stations:
            municipality = station.municipality
            serbian = self._serbian_area(station.code)
            place = municipality.name_sq if municipality else station.name_sq
            name = (
                f"Општински савет за безбедност заједнице {municipality.name_sr}"
                if serbian and municipality
                else f"Këshilli Komunal për Siguri në Bashkësi {place}"
            )
            forums.append(
                self._forum(ForumKind.MCSC, name, "sr" if serbian else "sq", station, 4, (2008, 2013))
            )
        for sector in sectors:
            code = sector.municipality.code if sector.municipality else ""
            serbian = self._serbian_area(code)
            roll = self.rng.random()
            if roll < 0.45:
                name = (
                    f"Локални комитет за јавну безбедност {sector.name_sr or sector.name_sq}"
                    if serbian
                    else f"Komiteti Lokal për Siguri Publike {sector.name_sq}"
                )
                per_year = self.rng.choice([4, 6, 6, 12])
                forums.append(
                    self._forum(
                        ForumKind.LPSC,
                        name,
                        "sr" if serbian else "sq",
                        sector,
                        per_year,
                        (2009, self.today.year),
                    )
                )
            elif roll < 0.55:
                name = (
                    f"Акциони тим за безбедност заједнице {sector.name_sr or sector.name_sq}"
                    if serbian
                    else f"Ekipi Veprues për Siguri në Bashkësi {sector.name_sq}"
                )
                forums.append(
                    self._forum(ForumKind.CSAT, name, "sr" if serbian else "sq", sector, 12, (2010, 2016))
                )
        Forum.objects.bulk_create(forums, batch_size=500)
        return forums

    def _forum(
        self, kind: str, name: str, language: str, unit: Unit, per_year: int, years: tuple[int, int]
    ) -> Forum:
        established = date(self.rng.randint(*years), self.rng.randint(1, 12), self.rng.randint(1, 28))
        established = min(established, self.today - timedelta(days=30))
        roll = self.rng.random()
        status = (
            ForumStatus.ACTIVE
            if roll < 0.8
            else ForumStatus.DORMANT
            if roll < 0.95
            else ForumStatus.DISSOLVED
        )
        dissolved = None
        if status == ForumStatus.DISSOLVED:
            dissolved = min(established + timedelta(days=self.rng.randint(700, 2500)), self.today)
        return Forum(
            kind=kind,
            name=name[:200],
            language=language,
            unit=unit,
            unit_path=unit.path,
            municipality=unit.municipality,
            established_on=established,
            status=status,
            dissolved_on=dissolved,
            meetings_per_year=per_year,
            created_at=demo_time(established, 9),
        )

    # --- members -----------------------------------------------------------------

    def members(self, forums: list[Forum]) -> dict[int, list[ForumMember]]:
        rows: list[ForumMember] = []
        for forum in forums:
            municipality = forum.municipality.code if forum.municipality else ""
            size = self.rng.randint(12, 18) if forum.kind == ForumKind.MCSC else self.rng.randint(7, 13)
            end = forum.dissolved_on or self.today
            for seat in range(size):
                start = forum.established_on
                roles = [MemberRole.CHAIR, MemberRole.DEPUTY_CHAIR, MemberRole.SECRETARY]
                role = roles[seat] if seat < len(roles) else MemberRole.MEMBER
                # Each seat is held by one to three people over the years.
                while start < end:
                    length = timedelta(days=self.rng.randint(700, 3200))
                    term_end = start + length if start + length < end else None
                    if forum.dissolved_on and term_end is None:
                        term_end = forum.dissolved_on
                    rows.append(self._member(forum, municipality, role, start, term_end))
                    if term_end is None or term_end >= end:
                        break
                    start = term_end + timedelta(days=self.rng.randint(1, 90))
        ForumMember.objects.bulk_create(rows, batch_size=1000)
        by_forum: dict[int, list[ForumMember]] = {}
        for member in rows:
            by_forum.setdefault(member.forum_id, []).append(member)
        return by_forum

    def _member(
        self, forum: Forum, municipality: str, role: str, start: date, end: date | None
    ) -> ForumMember:
        community = self.community(municipality)
        name, gender = self.person(community)
        serbian = forum.language == "sr"
        skills = ""
        if self.rng.random() < 0.3:
            skills = self.rng.choice(SKILLS_SR if serbian else SKILLS_SQ)
        email = ""
        if self.rng.random() < 0.6:
            email = f"{to_serbian_latin(name).lower().replace(' ', '.')}{self.rng.randint(1, 99)}@example.net"
            email = email.encode("ascii", "ignore").decode()
        return ForumMember(
            forum=forum,
            name=name,
            role=role,
            community=community,
            gender=gender,
            age_band=self.rng.choice(
                [AgeBand.UNDER_25, AgeBand.FROM_25, AgeBand.FROM_40, AgeBand.FROM_40, AgeBand.FROM_60, ""]
            ),
            phone=demo_phone(self.rng) if self.rng.random() < 0.9 else "",
            email=email,
            skills=skills,
            consent_to_contact=self.rng.random() < 0.85,
            term_start=start,
            term_end=end,
            is_leader=role == MemberRole.CHAIR,
            created_at=demo_time(start, 12),
        )
