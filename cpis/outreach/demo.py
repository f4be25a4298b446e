"""Demo outreach: sector leaders' public contacts, school lectures in school
months, meetings with the community and NGOs, presentations of how to
contact the police, and per station an open day around Police Day
(6 September), media appearances and awareness campaigns — for most sectors,
across 2012–2016 and the last three years. Deterministic from the seed."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from cpis.core.i18n import to_serbian_latin
from cpis.organisation.demo import COMMUNITY_MIX
from cpis.organisation.models import (
    Assignment,
    KeyLocation,
    KeyLocationKind,
    Officer,
    Settlement,
    Unit,
    UnitKind,
)

from .models import Kind, OutreachActivity, Topic

# Municipalities where officers mostly write in Serbian (the organisation demo's mix).
SERBIAN = COMMUNITY_MIX["serbian"]
LECTURE_TOPICS = [
    (Topic.TRAFFIC_SAFETY, 26),
    (Topic.NARCOTICS, 22),
    (Topic.POLICE_ROLE, 18),
    (Topic.WEAPONS, 12),
    (Topic.DOMESTIC_VIOLENCE, 9),
    (Topic.TRAFFICKING, 8),
    (Topic.OTHER, 5),
]
MEDIA = ["RTK", "Radio Kosova", "KTV", "RTV Dukagjini", "Klan Kosova", "TV Tema", "Radio Kim", "TV Most"]
CAMPAIGNS = [
    (Topic.TRAFFIC_SAFETY, 7, "Fushata „Ngadalë, fëmijët në rrugë”", "Kampanja „Uspori, deca na putu”"),
    (
        Topic.DOMESTIC_VIOLENCE,
        11,
        "16 ditë aktivizëm kundër dhunës në familje",
        "16 dana aktivizma protiv nasilja",
    ),
    (Topic.WEAPONS, 4, "Fushata për dorëzimin vullnetar të armëve", "Kampanja za dobrovoljnu predaju oružja"),
    (Topic.NARCOTICS, 6, "Fushata „Jo drogës” në qendër të qytetit", "Kampanja „Ne drogi” u centru grada"),
]
NOTES_SQ: dict[str, list[str]] = {
    Kind.PUBLIC_CONTACT: [
        "U prezantuam si ekip i sektorit dhe ndamë numrat e kontaktit.",
        "Takim me banorët pas faljes së xhumasë; pyetje për ndriçimin e rrugës.",
        "Shpërndamë fletëpalosje me kontaktet e sektorit.",
    ],
    Kind.COMMUNITY_MEETING: [
        "Takim me kryesinë e bashkësisë lokale për sigurinë në shkolla.",
        "Punëtori me OJQ-në lokale për të rinjtë.",
        "Banorët ngritën shqetësime për shpejtësinë e veturave.",
    ],
    Kind.CONTACT_PRESENTATION: ["Prezantuam numrin 192, linjën falas dhe postën elektronike të stacionit."],
}
NOTES_SR: dict[str, list[str]] = {
    Kind.PUBLIC_CONTACT: [
        "Predstavili smo se kao tim sektora i podelili brojeve telefona.",
        "Razgovor sa meštanima ispred prodavnice; pitanja o uličnoj rasveti.",
    ],
    Kind.COMMUNITY_MEETING: [
        "Sastanak sa predstavnicima mesne zajednice o bezbednosti u školama.",
        "Radionica sa lokalnom NVO za mlade.",
    ],
    Kind.CONTACT_PRESENTATION: ["Predstavili smo broj 192, besplatnu liniju i e-poštu stanice."],
}
SCHOOL_MONTHS = [(1, 20, 6, 10), (9, 10, 12, 20)]  # (from month, day, to month, day)


@dataclass
class _Place:
    unit: Unit
    serbian: bool
    schools: list[str] = field(default_factory=list)
    settlements: list[tuple[int, str]] = field(default_factory=list)
    # (officer id, from, until, is leader)
    team: list[tuple[int, date, date | None, bool]] = field(default_factory=list)


def clear_demo() -> None:
    OutreachActivity.objects.all().delete()


def _windows(today: date) -> list[tuple[date, date]]:
    """2012–2016 (the action plan's years) and the last three years."""
    try:
        recent = today.replace(year=today.year - 3)
    except ValueError:  # 29 February
        recent = today.replace(year=today.year - 3, day=28)
    return [(date(2012, 1, 1), min(date(2016, 12, 31), today)), (max(recent, date(2017, 1, 1)), today)]


class _Builder:
    def __init__(self, *, seed: int, today: date) -> None:
        self.rng = random.Random(f"outreach-{seed}")  # noqa: S311 (demo data, not secrets)
        self.today = today
        self.rows: list[OutreachActivity] = []
        self.officers: list[list[int]] = []
        self.users: dict[int, int] = dict(
            Officer.objects.filter(user__isnull=False).values_list("pk", "user_id")
        )

    def add(
        self,
        place: _Place,
        kind: str,
        day: date,
        audience: int,
        officers: list[int],
        *,
        topic: str = "",
        text: str = "",
        settlement: int | None = None,
    ) -> None:
        notes = _note(self, place, kind)
        if day > self.today:
            return
        logged = timezone.make_aware(
            datetime.combine(day, time(15, 30)) + timedelta(hours=self.rng.randint(0, 40))
        )
        self.rows.append(
            OutreachActivity(
                kind=kind,
                topic=topic,
                happened_on=day,
                unit=place.unit,
                unit_path=place.unit.path,
                place=text[:200],
                settlement_id=settlement,
                audience=audience,
                notes=notes,
                created_by_id=self.users.get(officers[0]) if officers else None,
                created_at=min(logged, timezone.now()),
            )
        )
        self.officers.append(officers)

    def led(
        self, place: _Place, kind: str, day: date, audience: int, *, text: str, settlement: int | None = None
    ) -> None:
        """An activity the sector's leader held (else whoever served there)."""
        self.add(
            place,
            kind,
            day,
            audience,
            self.team_on(place, day, leader=True),
            text=text,
            settlement=settlement,
        )

    def day_in(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))

    def day_of(self, year: int, start: date, end: date) -> date:
        """A day of the year, from start to end."""
        return self.day_in(max(start, date(year, 1, 1)), min(end, date(year, 12, 31)))

    def school_day(self, year: int) -> date:
        m1, d1, m2, d2 = self.rng.choice(SCHOOL_MONTHS)
        day = self.day_in(date(year, m1, d1), date(year, m2, d2))
        return day - timedelta(days=max(day.weekday() - 4, 0))  # weekdays only

    def team_on(self, place: _Place, day: date, *, leader: bool = False) -> list[int]:
        """Who served in the sector that day; else who serves there now."""
        serving = [
            (pk, is_leader)
            for pk, start, end, is_leader in place.team
            if start <= day and (end is None or end > day)
        ]
        if not serving:
            serving = [(pk, is_leader) for pk, _s, end, is_leader in place.team if end is None]
        if leader:
            leaders = [pk for pk, is_leader in serving if is_leader]
            return leaders[:1] or [pk for pk, _l in serving[:1]]
        return [pk for pk, _l in serving]


def _places() -> tuple[list[_Place], list[_Place], dict[str, list[int]]]:
    units = list(
        Unit.objects.filter(kind__in=[UnitKind.SECTOR, UnitKind.STATION])
        .select_related("municipality")
        .order_by("path")
    )
    schools: dict[int, list[str]] = defaultdict(list)
    for sector_id, name in KeyLocation.objects.filter(kind=KeyLocationKind.SCHOOL).values_list(
        "sector_id", "name"
    ):
        schools[sector_id].append(name)
    settlements: dict[tuple[int, bool], list[tuple[int, str]]] = defaultdict(list)
    for pk, municipality_id, name_sq, name_sr in Settlement.objects.values_list(
        "pk", "municipality_id", "name_sq", "name_sr"
    ):
        settlements[(municipality_id, False)].append((pk, name_sq))
        settlements[(municipality_id, True)].append((pk, to_serbian_latin(name_sr) or name_sq))
    teams: dict[int, list[tuple[int, date, date | None, bool]]] = defaultdict(list)
    for officer_id, sector_id, start, end, role in Assignment.objects.values_list(
        "officer_id", "sector_id", "start_date", "end_date", "role"
    ):
        teams[sector_id].append((officer_id, start, end, role == "leader"))
    station_staff: dict[str, list[int]] = defaultdict(list)
    for pk, path in Officer.objects.filter(
        unit__kind=UnitKind.STATION, is_active=True, is_community_officer=True
    ).values_list("pk", "unit__path"):
        station_staff[path].append(pk)
    sectors: list[_Place] = []
    stations: list[_Place] = []
    for unit in units:
        code = unit.municipality.code if unit.municipality else ""
        place = _Place(
            unit=unit,
            serbian=code in SERBIAN,
            schools=schools.get(unit.pk, []),
            settlements=settlements.get((unit.municipality_id or 0, code in SERBIAN), []),
            team=teams.get(unit.pk, []),
        )
        (sectors if unit.kind == UnitKind.SECTOR else stations).append(place)
    return sectors, stations, station_staff


def _school(b: _Builder, place: _Place) -> str:
    if place.schools and b.rng.random() < 0.6:
        return b.rng.choice(place.schools)
    village = b.rng.choice(place.settlements)[1] if place.settlements else place.unit.name_sq
    if place.serbian:
        return b.rng.choice(["Osnovna škola „Vuk Karadžić”", "Srednja škola „Sveti Sava”", f"OŠ {village}"])
    kind = b.rng.choice(["Shkolla fillore", "Shkolla fillore dhe e mesme e ulët", "Gjimnazi"])
    return f"{kind} „{village}”" if kind != "Gjimnazi" else f"Gjimnazi „{place.unit.name_sq}”"


def _note(b: _Builder, place: _Place, kind: str) -> str:
    notes = (NOTES_SR if place.serbian else NOTES_SQ).get(kind, [])
    return b.rng.choice(notes) if notes and b.rng.random() < 0.5 else ""


def _sector_year(b: _Builder, place: _Place, start: date, end: date, level: float) -> None:
    rng = b.rng
    for _ in range(round(rng.randint(4, 10) * level * (end - start).days / 365)):
        day = b.day_in(start, end)
        village = rng.choice(place.settlements) if place.settlements else (None, "")
        b.led(
            place,
            Kind.PUBLIC_CONTACT,
            day,
            rng.randint(5, 60),
            text=rng.choice([village[1], f"Tregu {village[1]}", "Para xhamisë", "Qendra e fshatit"])
            if not place.serbian
            else rng.choice([village[1], "Ispred crkve", "Centar sela"]),
            settlement=village[0],
        )
    years = range(start.year, end.year + 1)
    for year in years:
        for _ in range(round(rng.randint(1, 5) * level)):
            day = b.school_day(year)
            if not start <= day <= end:
                continue
            topic = rng.choices([t for t, _w in LECTURE_TOPICS], weights=[w for _t, w in LECTURE_TOPICS])[0]
            team = b.team_on(place, day)
            b.add(
                place,
                Kind.SCHOOL_LECTURE,
                day,
                rng.choice([rng.randint(18, 35), rng.randint(40, 140)]),
                rng.sample(team, k=min(len(team), rng.randint(1, 2))),
                topic=topic,
                text=_school(b, place),
            )
        for _ in range(round(rng.randint(0, 4) * level)):
            day = b.day_of(year, start, end)
            b.add(
                place,
                Kind.COMMUNITY_MEETING,
                day,
                rng.randint(8, 45),
                b.team_on(place, day)[:2],
                text="Zyra e bashkësisë lokale" if not place.serbian else "Kancelarija mesne zajednice",
            )
        # Presenting the ways to contact the police was due by December 2012 [2.3.2].
        if rng.random() < (0.8 if year == 2012 else 0.15) * level:
            day = b.day_of(year, start, end)
            b.led(
                place,
                Kind.CONTACT_PRESENTATION,
                day,
                rng.randint(15, 80),
                text=_school(b, place) if rng.random() < 0.5 else "Shtëpia e kulturës",
            )


def _station_year(b: _Builder, place: _Place, staff: list[int], year: int, start: date, end: date) -> None:
    rng = b.rng
    population = place.unit.population or 30_000
    month, day_of_month = settings.PLANS_POLICE_DAY
    police_day = date(year, month, day_of_month)
    open_day = police_day + timedelta(days=rng.choice([0, 0, 0, -1, 1, -2]))
    if start <= open_day <= end and rng.random() < 0.9:
        visitors = int(min(1500, max(60, population / 250)) * rng.uniform(0.5, 1.4))
        b.add(
            place,
            Kind.OPEN_DAY,
            open_day,
            visitors,
            staff[:3],
            text="Dyert e hapura në stacion" if not place.serbian else "Dan otvorenih vrata u stanici",
        )
    for _ in range(rng.randint(1, 5)):
        day = b.day_of(year, start, end)
        b.add(place, Kind.MEDIA, day, 0, staff[:1], text=rng.choice(MEDIA))
    for topic, month_of_year, title_sq, title_sr in CAMPAIGNS:
        if rng.random() < 0.35:
            day = date(year, month_of_year, rng.randint(1, 25))
            if start <= day <= end:
                b.add(
                    place,
                    Kind.CAMPAIGN,
                    day,
                    rng.randint(150, 3000),
                    staff[:2],
                    topic=topic,
                    text=title_sr if place.serbian else title_sq,
                )
    if rng.random() < 0.3:
        day = b.day_of(year, start, end)
        b.add(place, Kind.OTHER, day, rng.randint(20, 200), staff[:2], text="Turnir futbolli me të rinjtë")


def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    """Outreach for most sectors and every station, bulk-inserted."""
    builder = _Builder(seed=seed, today=today)
    sectors, stations, station_staff = _places()
    rng = builder.rng
    for place in sectors:
        if rng.random() < 0.15:  # some sectors log nothing: the dashboard should show gaps
            continue
        level = rng.uniform(0.4, 1.3)
        for start, end in _windows(today):
            for year in range(start.year, end.year + 1):
                _sector_year(
                    builder, place, max(start, date(year, 1, 1)), min(end, date(year, 12, 31)), level
                )
    for place in stations:
        staff = station_staff.get(place.unit.path, [])
        for start, end in _windows(today):
            for year in range(start.year, end.year + 1):
                _station_year(builder, place, staff, year, start, end)
    created = OutreachActivity.objects.bulk_create(builder.rows, batch_size=2000)
    through = OutreachActivity.officers.through
    links = [
        through(outreachactivity_id=activity.pk, officer_id=officer_id)
        for activity, officers in zip(created, builder.officers, strict=True)
        for officer_id in dict.fromkeys(officers)
    ]
    through.objects.bulk_create(links, batch_size=5000)
    return [f"Outreach: {len(created)} activities at {len(sectors)} sectors and {len(stations)} stations."]
