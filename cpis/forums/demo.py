"""Demo data for community safety forums: one MCSC per municipality, LPSCs
in many sectors and CSATs in some, members with Albanian, Serbian and
other communities' names, meetings across 2012–2016 and the last three
years (fewer in between) with attendance, minutes, decisions and action
items (some overdue), a few sites that need a new LPSC, trainers, tension
reports and press releases. Deterministic from the seed; bulk inserts only."""

import json
import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from cpis.core.i18n import to_serbian_latin
from cpis.organisation.demo import COMMUNITY_MIX, DATA_DIR
from cpis.organisation.models import Unit, UnitKind

from .models import (
    ActionItem,
    ActionStatus,
    AgeBand,
    Community,
    Decision,
    Forum,
    ForumKind,
    ForumMember,
    ForumStatus,
    Gender,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MemberRole,
    PressRelease,
    ProposedSite,
    SiteStatus,
    TensionLevel,
    TensionReport,
    TrainerEngagement,
)

SERBIAN_MUNICIPALITIES = COMMUNITY_MIX["serbian"]
# Smaller communities, where they mostly live.
MINORITIES = {
    "prizren": [Community.TURKISH, Community.BOSNIAK, Community.ROMA],
    "mamushe": [Community.TURKISH],
    "dragash": [Community.GORANI, Community.BOSNIAK],
    "peje": [Community.BOSNIAK, Community.ROMA, Community.EGYPTIAN],
    "istog": [Community.BOSNIAK, Community.EGYPTIAN],
    "gjakove": [Community.EGYPTIAN, Community.ROMA],
    "ferizaj": [Community.ASHKALI],
    "fushe-kosove": [Community.ASHKALI, Community.ROMA],
    "lipjan": [Community.ASHKALI, Community.SERBIAN],
    "obiliq": [Community.SERBIAN, Community.ROMA, Community.ASHKALI],
    "mitrovice-e-jugut": [Community.ROMA, Community.ASHKALI, Community.BOSNIAK],
    "mitrovice-e-veriut": [Community.BOSNIAK, Community.ALBANIAN],
    "gjilan": [Community.SERBIAN, Community.TURKISH, Community.ROMA],
    "kamenice": [Community.SERBIAN, Community.ROMA],
    "vushtrri": [Community.ASHKALI, Community.SERBIAN],
    "prishtine": [Community.SERBIAN, Community.TURKISH, Community.BOSNIAK, Community.ROMA],
}
ROMA_NAMES = {
    "male": ["Bajram", "Sabit", "Ramadan", "Nexhmedin", "Skender", "Avdyl", "Muharrem", "Daut"],
    "female": ["Shpresa", "Sanije", "Hava", "Merita", "Fatime", "Nurije"],
    "surnames": ["Berisha", "Gashi", "Krasniqi", "Mustafa", "Rama", "Osmani", "Kurteshi", "Salihu"],
}
GORANI_NAMES = {
    "male": ["Ramiz", "Adem", "Sejdi", "Ferat", "Mensur"],
    "female": ["Zejna", "Ajsa", "Remzija"],
    "surnames": ["Sejdiu", "Ramadani", "Emini", "Dauti", "Kuklibeg"],
}
SKILLS_SQ = [
    "Ndihma e parë",
    "Ndërmjetësim në konflikte",
    "Flet gjuhën serbe",
    "Trajner për siguri në bashkësi (ToT)",
    "Zjarrfikës vullnetar",
    "Mësues në shkollën fillore",
    "Jurist",
    "Punëtor social",
]
SKILLS_SR = [
    "Прва помоћ",
    "Посредовање у сукобима",
    "Говори албански",
    "Тренер за безбедност заједнице (ToT)",
    "Добровољни ватрогасац",
    "Учитељ",
]
TOPICS_SQ = [
    "ndriçimi i rrugëve pranë shkollës",
    "shpejtësia e veturave në rrugën kryesore",
    "qentë endacakë",
    "vjedhjet e kabllove të rrymës",
    "siguria e nxënësve në hyrje dhe dalje të shkollës",
    "mbeturinat dhe hedhja ilegale",
    "zhurma natën nga lokalet",
    "parkimi në trotuar",
    "dhuna në familje dhe mbështetja për viktimat",
    "përdorimi i narkotikëve nga të rinjtë",
]
TOPICS_SR = [
    "осветљење улица поред школе",
    "брзина возила на главном путу",
    "пси луталице",
    "крађе каблова",
    "безбедност деце на путу до школе",
    "дивље депоније",
    "паркирање на тротоару",
]
OWNERS_SQ = [
    "Kryetari i komitetit",
    "Udhëheqësi i sektorit",
    "Komuna – drejtoria e shërbimeve publike",
    "Sekretari",
]
OWNERS_SR = ["Председник савета", "Вођа сектора", "Општина – служба за јавне радове", "Секретар"]
VENUES_SQ = ["Shkolla fillore", "Zyra e bashkësisë lokale", "Salla e kuvendit komunal", "Stacioni policor"]
VENUES_SR = ["Основна школа", "Канцеларија месне заједнице", "Сала скупштине општине", "Полицијска станица"]


def clear_demo() -> None:
    ProposedSite.objects.all().delete()
    Forum.objects.all().delete()  # members, meetings and the rest go with their forum


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _names() -> dict[str, Any]:
    names: dict[str, Any] = json.loads((DATA_DIR / "names.json").read_text(encoding="utf-8"))
    return names


class _Builder:
    def __init__(self, *, seed: int, today: date) -> None:
        self.rng = random.Random(seed * 31 + 7)  # noqa: S311 (demo data, not security)
        self.today = today
        self.now = timezone.now()
        self.names = _names()
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

    def phone(self) -> str:
        return f"+383 4{self.rng.randint(3, 9)} {self.rng.randint(100, 999)} {self.rng.randint(100, 999)}"

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
            created_at=_at(established, 9),
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
            phone=self.phone() if self.rng.random() < 0.9 else "",
            email=email,
            skills=skills,
            consent_to_contact=self.rng.random() < 0.85,
            term_start=start,
            term_end=end,
            is_leader=role == MemberRole.CHAIR,
            created_at=_at(start, 12),
        )

    # --- meetings ----------------------------------------------------------------

    def meetings(self, forums: list[Forum], members: dict[int, list[ForumMember]]) -> dict[str, int]:
        meetings: list[Meeting] = []
        for forum in forums:
            meetings += self._forum_meetings(forum)
        Meeting.objects.bulk_create(meetings, batch_size=1000)
        Through = Meeting.members_present.through
        attendance = []
        decisions: list[Decision] = []
        actions: list[ActionItem] = []
        by_forum = {f.pk: f for f in forums}
        for meeting in meetings:
            if meeting.status != MeetingStatus.HELD:
                continue
            forum = by_forum[meeting.forum_id]
            day = timezone.localdate(meeting.starts_at)
            current = [
                m
                for m in members.get(forum.pk, [])
                if m.term_start <= day and (m.term_end is None or m.term_end >= day)
            ]
            share = (
                self.rng.uniform(0.45, 0.95)
                if forum.status == ForumStatus.ACTIVE
                else self.rng.uniform(0.3, 0.6)
            )
            for member in self.rng.sample(current, k=round(len(current) * share)):
                attendance.append(Through(meeting_id=meeting.pk, forummember_id=member.pk))
            serbian = forum.language == "sr"
            for position in range(self.rng.choice([0, 1, 1, 2, 3])):
                decisions.append(Decision(meeting=meeting, text=self._decision(serbian), position=position))
            for _ in range(self.rng.choice([0, 0, 1, 1, 2])):
                actions.append(self._action(meeting, day, serbian))
        Through.objects.bulk_create(attendance, batch_size=5000)
        Decision.objects.bulk_create(decisions, batch_size=2000)
        ActionItem.objects.bulk_create(actions, batch_size=2000)
        return {
            "meetings": len(meetings),
            "attendance": len(attendance),
            "decisions": len(decisions),
            "actions": len(actions),
            "overdue": sum(1 for a in actions if a.status == ActionStatus.OPEN and a.due_on < self.today),
        }

    def _forum_meetings(self, forum: Forum) -> list[Meeting]:
        rows = []
        last = min(forum.dissolved_on or self.today, self.today)
        for year in self.years + self.gap_years:
            if year < forum.established_on.year or year > last.year:
                continue
            rate = (
                self.rng.uniform(0.6, 1.1)
                if forum.status == ForumStatus.ACTIVE
                else self.rng.uniform(0.15, 0.5)
            )
            if year in self.gap_years:
                rate *= 0.4  # fewer meetings in the years between the plan and today
            count = max(0, round(forum.meetings_per_year * rate))
            for i in range(count):
                day = date(year, 1, 1) + timedelta(
                    days=int((i + self.rng.uniform(0.1, 0.9)) * 365 / max(count, 1))
                )
                if day < forum.established_on or day > last:
                    continue
                rows.append(self._meeting(forum, day))
        if forum.status == ForumStatus.ACTIVE:
            # The next meetings, and one that was held last week but not written up yet.
            for days in (self.rng.randint(5, 25), self.rng.randint(30, 70)):
                rows.append(self._meeting(forum, self.today + timedelta(days=days)))
            if self.rng.random() < 0.15:
                rows.append(
                    self._meeting(forum, self.today - timedelta(days=self.rng.randint(2, 9)), unrecorded=True)
                )
        return rows

    def _meeting(self, forum: Forum, day: date, *, unrecorded: bool = False) -> Meeting:
        serbian = forum.language == "sr"
        starts_at = _at(day, self.rng.choice([16, 17, 18]), self.rng.choice([0, 30]))
        kind = MeetingKind.REGULAR
        if forum.kind == ForumKind.LPSC and self.rng.random() < 0.1:
            kind = MeetingKind.EXECUTIVE_COUNCIL
        is_public = self.rng.random() < (0.25 if forum.kind == ForumKind.CSAT else 0.65)
        topics = self.rng.sample(TOPICS_SR if serbian else TOPICS_SQ, k=2)
        agenda = (
            f"1. Безбедносна ситуација у сектору\n2. {topics[0].capitalize()}\n"
            f"3. {topics[1].capitalize()}; разно"
            if serbian
            else f"1. Gjendja e sigurisë në sektor\n2. {topics[0].capitalize()}\n"
            f"3. {topics[1].capitalize()}, të ndryshme"
        )
        status = MeetingStatus.PLANNED
        minutes = ""
        published = False
        cancel_reason = ""
        if starts_at < self.now and not unrecorded:
            if self.rng.random() < 0.08:
                status = MeetingStatus.CANCELLED
                cancel_reason = "Није било кворума." if serbian else "Mungesë kuorumi."
            else:
                status = MeetingStatus.HELD
                minutes = self._minutes(serbian, topics)
                published = is_public and self.rng.random() < 0.5
        return Meeting(
            forum=forum,
            kind=kind,
            starts_at=starts_at,
            duration_minutes=self.rng.choice([90, 120, 120, 150]),
            place=self.rng.choice(VENUES_SR if serbian else VENUES_SQ),
            agenda=agenda,
            is_public=is_public,
            status=status,
            other_attendees=self.rng.randint(0, 25) if status == MeetingStatus.HELD else 0,
            minutes=minutes,
            minutes_published=published,
            cancel_reason=cancel_reason,
            created_at=starts_at - timedelta(days=self.rng.randint(7, 30)),
        )

    def _minutes(self, serbian: bool, topics: list[str]) -> str:
        if serbian:
            return (
                "Вођа сектора је представио безбедносну ситуацију у протеклом периоду. "
                f"Грађани су изнели забринутост у вези са темом: {topics[0]}. "
                f"Договорено је да се питање „{topics[1]}” размотри са општином."
            )
        return (
            "Udhëheqësi i sektorit paraqiti gjendjen e sigurisë në periudhën e kaluar. "
            f"Banorët ngritën shqetësime për {topics[0]}. "
            f"U ra dakord që çështja e {topics[1]} të diskutohet me komunën."
        )

    def _decision(self, serbian: bool) -> str:
        topic = self.rng.choice(TOPICS_SR if serbian else TOPICS_SQ)
        if serbian:
            return f"Савет ће упутити допис општини у вези са темом: {topic}."
        return f"Komiteti do t'i dërgojë komunës një shkresë për {topic}."

    def _action(self, meeting: Meeting, day: date, serbian: bool) -> ActionItem:
        due = day + timedelta(days=self.rng.randint(14, 60))
        # Old items were nearly all followed up; some recent ones are late.
        done_share = 0.98 if due < self.today - timedelta(days=365) else 0.8
        done = due < self.today and self.rng.random() < done_share
        topic = self.rng.choice(TOPICS_SR if serbian else TOPICS_SQ)
        text = f"Припремити предлог решења: {topic}" if serbian else f"Të përgatitet propozim për {topic}"
        done_day = min(due + timedelta(days=self.rng.randint(-10, 20)), self.today)
        return ActionItem(
            meeting=meeting,
            text=text,
            owner_name=self.rng.choice(OWNERS_SR if serbian else OWNERS_SQ),
            due_on=due,
            status=ActionStatus.DONE if done else ActionStatus.OPEN,
            done_at=_at(max(done_day, day), 15) if done else None,
            note=("Урађено." if serbian else "U krye.") if done and self.rng.random() < 0.4 else "",
        )

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
                    created_at=_at(min(identified, forum.established_on), 10),
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
                    created_at=_at(identified, 10),
                )
            )
        ProposedSite.objects.bulk_create(rows)
        return len(rows)

    def _day_in_windows(self, since: date, until: date) -> date | None:
        """A day in 2012–2016 or the last three years, between since and until."""
        windows = [(date(2012, 1, 1), date(2016, 12, 31)), (date(self.today.year - 2, 1, 1), self.today)]
        windows = [(max(a, since), min(b, until)) for a, b in windows if max(a, since) <= min(b, until)]
        if not windows:
            return None
        start, end = self.rng.choice(windows)
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def trainers(self, members: dict[int, list[ForumMember]], forums: list[Forum]) -> int:
        rows = []
        for forum in forums:
            if forum.kind not in {ForumKind.LPSC, ForumKind.CSAT}:
                continue
            for member in members.get(forum.pk, []):
                if self.rng.random() > 0.08:
                    continue
                serbian = forum.language == "sr"
                for _ in range(self.rng.randint(1, 3)):
                    day = self._day_in_windows(member.term_start, member.term_end or self.today)
                    if day is None:
                        continue
                    rows.append(
                        TrainerEngagement(
                            member=member,
                            on=day,
                            initiative=self.rng.choice(
                                ["Безбедан пут до школе, ОШ „Вук Караџић”", "Превенција насиља у породици"]
                                if serbian
                                else [
                                    "Rruga e sigurt për në shkollë, SHFMU",
                                    "Parandalimi i dhunës në familje",
                                    "Siguria në trafik për të moshuarit",
                                ]
                            ),
                            audience=self.rng.choice(
                                ["Ученици и родитељи", "Жене из месне заједнице"]
                                if serbian
                                else ["Nxënës dhe prindër", "Gratë e lagjes", "Të rinjtë e fshatit"]
                            ),
                            created_at=_at(day, 16),
                        )
                    )
        TrainerEngagement.objects.bulk_create(rows, batch_size=1000)
        return len(rows)

    def tensions(self, forums: list[Forum]) -> int:
        rows = []
        for forum in forums:
            serbian = forum.language == "sr"
            for _ in range(self.rng.choice([0, 0, 1, 2, 3])):
                day = self._day_in_windows(forum.established_on, forum.dissolved_on or self.today)
                if day is None:
                    continue
                level = self.rng.choices(
                    [TensionLevel.LOW, TensionLevel.MEDIUM, TensionLevel.HIGH], weights=[65, 28, 7]
                )[0]
                rows.append(
                    TensionReport(
                        forum=forum,
                        reported_on=day,
                        level=level,
                        summary=self.rng.choice(
                            ["Расправа међу младима после утакмице.", "Спор око коришћења пашњака."]
                            if serbian
                            else [
                                "Përplasje verbale mes të rinjve pas ndeshjes.",
                                "Mosmarrëveshje për kullotat mes dy fshatrave.",
                                "Grafite fyese në murin e shkollës.",
                            ]
                        ),
                        follow_up="Појачане патроле и састанак са родитељима."
                        if serbian
                        else "U shtuan patrullat dhe u mbajt takim me prindërit.",
                        created_at=_at(day, 11),
                    )
                )
        TensionReport.objects.bulk_create(rows, batch_size=1000)
        return len(rows)

    def releases(self, forums: list[Forum]) -> int:
        rows = []
        for forum in forums:
            if self.rng.random() > 0.35:
                continue
            serbian = forum.language == "sr"
            for _ in range(self.rng.randint(1, 4)):
                day = self._day_in_windows(forum.established_on, forum.dissolved_on or self.today)
                if day is None:
                    continue
                published = self.rng.random() < 0.85
                title, body = (
                    (
                        f"{forum.name}: састанак са грађанима",
                        "На састанку су учествовали грађани, представници општине и полиције. "
                        "Разговарало се о безбедности деце на путу до школе и о осветљењу улица.",
                    )
                    if serbian
                    else (
                        f"{forum.name}: takim me qytetarët",
                        "Në takim morën pjesë banorët, përfaqësues të komunës dhe të policisë. "
                        "U diskutua për sigurinë e fëmijëve në rrugë për në shkollë "
                        "dhe për ndriçimin e rrugëve.",
                    )
                )
                rows.append(
                    PressRelease(
                        forum=forum,
                        title=title[:200],
                        body=body,
                        language="sr" if serbian else "sq",
                        is_published=published,
                        published_at=_at(day, 14) if published else None,
                        created_at=_at(day, 10),
                    )
                )
        PressRelease.objects.bulk_create(rows, batch_size=1000)
        return len(rows)


@transaction.atomic
def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    if not Unit.objects.filter(kind=UnitKind.SECTOR).exists():
        return []
    builder = _Builder(seed=seed, today=today)
    forums = builder.forums()
    members = builder.members(forums)
    meetings = builder.meetings(forums, members)
    sites = builder.sites(forums)
    trainers = builder.trainers(members, forums)
    tensions = builder.tensions(forums)
    releases = builder.releases(forums)
    kinds = {kind: sum(1 for f in forums if f.kind == kind) for kind in ForumKind.values}
    return [
        f"Forums: {kinds['mcsc']} MCSCs, {kinds['lpsc']} LPSCs, {kinds['csat']} CSATs; "
        f"{sum(len(m) for m in members.values())} members; {meetings['meetings']} meetings "
        f"({meetings['attendance']} attendances, {meetings['decisions']} decisions, "
        f"{meetings['actions']} action items of which {meetings['overdue']} overdue); "
        f"{sites} proposed LPSC sites, {trainers} trainer engagements, {tensions} tension reports, "
        f"{releases} press releases."
    ]
