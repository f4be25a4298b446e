"""Demo data for partners, consistent with the organisation demo: central
partners (ministries, the Office for Good Governance, OSCE, ICITAP, UNDP,
KFOR, religious communities, chambers of commerce), local partners of every
station and some sectors (the municipality, schools' parents' councils,
religious leaders, local businesses and media, village elders), their
contact people, memoranda with small signed PDFs, interest groups,
volunteers with hours, and recognitions. Dates fall in 2012–2016 (the
action plan's indicators) and in the last three years (recent work);
everything follows from `seed`, and rows are written in bulk."""

import io
import json
import random
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from fpdf import FPDF

from cpis.core.i18n import to_serbian_latin
from cpis.organisation.demo import COMMUNITY_MIX, DATA_DIR
from cpis.organisation.models import Officer, Unit, UnitKind

from .models import (
    Agreement,
    AgreementKind,
    AgreementStatus,
    InterestGroup,
    InterestGroupKind,
    Partner,
    PartnerContact,
    PartnerKind,
    PartnerLevel,
    RecipientKind,
    Recognition,
    Volunteer,
    VolunteerHours,
)

PLAN_START, PLAN_END = date(2012, 1, 1), date(2016, 12, 31)
DOCUMENTS = 14  # signed PDFs attached: "a few", enough to show the feature

CENTRAL: list[tuple[str, str, str]] = [
    # kind, name as written, description
    (
        PartnerKind.MINISTRY,
        "Ministria e Punëve të Brendshme",
        "Politikat e sigurisë dhe mbikëqyrja e Policisë.",
    ),
    (
        PartnerKind.MINISTRY,
        "Ministria e Arsimit, Shkencës dhe Teknologjisë",
        "Siguria në shkolla, ligjëratat.",
    ),
    (PartnerKind.MINISTRY, "Ministria e Shëndetësisë", "Dhuna në familje, varësia nga narkotikët."),
    (PartnerKind.MINISTRY, "Ministria e Punës dhe Mirëqenies Sociale", "Qendrat për punë sociale."),
    (
        PartnerKind.MINISTRY,
        "Zyra për Qeverisje të Mirë – Zyra e Kryeministrit",
        "Të drejtat e njeriut, barazia.",
    ),
    (PartnerKind.MINISTRY, "Zyra e Presidentit të Republikës së Kosovës", ""),
    (PartnerKind.MINISTRY, "Agjencia për Barazi Gjinore", "Agjenci e pavarur."),
    (PartnerKind.MINISTRY, "Institucioni i Avokatit të Popullit", "Agjenci e pavarur."),
    (PartnerKind.INTERNATIONAL, "OSCE Mission in Kosovo – Department of Security and Public Safety", ""),
    (PartnerKind.INTERNATIONAL, "ICITAP Kosovo", "U.S. Department of Justice, training of police."),
    (PartnerKind.INTERNATIONAL, "UNDP Kosovo – Safer Communities Programme", ""),
    (PartnerKind.INTERNATIONAL, "KFOR – Liaison and Monitoring Teams", ""),
    (PartnerKind.INTERNATIONAL, "EULEX Kosovo", ""),
    (PartnerKind.INTERNATIONAL, "UNICEF Kosovo", "Mbrojtja e fëmijëve."),
    (PartnerKind.DONOR, "USAID Kosovo", ""),
    (PartnerKind.DONOR, "Swiss Agency for Development and Cooperation", ""),
    (PartnerKind.DONOR, "GIZ Kosovo", ""),
    (PartnerKind.NGO, "Qendra Kosovare për Studime të Sigurisë", "Hulumtime për sigurinë në bashkësi."),
    (PartnerKind.NGO, "Rrjeti i Grave të Kosovës", ""),
    (PartnerKind.NGO, "Qendra për Mbrojtjen e Viktimave dhe Parandalimin e Trafikimit", ""),
    (PartnerKind.NGO, "Handikos", "Personat me aftësi të kufizuara."),
    (PartnerKind.MEDIA, "Radio Televizioni i Kosovës", ""),
    (PartnerKind.MEDIA, "Radio KIM", "Radio na srpskom jeziku, Čaglavica."),
    (PartnerKind.RELIGIOUS, "Bashkësia Islame e Kosovës", ""),
    (PartnerKind.RELIGIOUS, "Srpska pravoslavna crkva – Eparhija raško-prizrenska", ""),
    (PartnerKind.RELIGIOUS, "Kisha Katolike – Ipeshkvia e Kosovës", ""),
    (PartnerKind.RELIGIOUS, "Kisha Protestante Ungjillore e Kosovës", ""),
    (PartnerKind.BUSINESS, "Oda Ekonomike e Kosovës", ""),
    (PartnerKind.BUSINESS, "Oda Ekonomike Amerikane në Kosovë", ""),
    (PartnerKind.OTHER, "Komisioni parlamentar për Punë të Brendshme dhe Siguri", "Kuvendi i Kosovës."),
]

# Central agreements: (partner index in CENTRAL, kind, title, signed, years valid or 0, status).
CENTRAL_AGREEMENTS: list[tuple[int, str, str, date, int, str]] = [
    (
        8,
        AgreementKind.MEMORANDUM,
        "Memorandum mirëkuptimi për mbështetjen e policimit në bashkësi",
        date(2012, 9, 18),
        4,
        AgreementStatus.EXPIRED,
    ),
    (
        1,
        AgreementKind.MEMORANDUM,
        "Memorandum bashkëpunimi për sigurinë në shkolla",
        date(2013, 2, 12),
        5,
        AgreementStatus.EXPIRED,
    ),
    (
        4,
        AgreementKind.GUIDELINE,
        "Udhëzim administrativ ndërsektorial për të drejtat e njeriut",
        date(2013, 6, 4),
        0,
        AgreementStatus.SIGNED,
    ),
    (
        9,
        AgreementKind.AGREEMENT,
        "Marrëveshje për trajnimet e specializuara në policimin në bashkësi",
        date(2013, 10, 22),
        3,
        AgreementStatus.EXPIRED,
    ),
    (
        2,
        AgreementKind.GUIDELINE,
        "Udhëzim administrativ për rastet e dhunës në familje",
        date(2014, 3, 8),
        0,
        AgreementStatus.SIGNED,
    ),
    (
        10,
        AgreementKind.MEMORANDUM,
        "Memorandum për projektin Komunitete më të Sigurta",
        date(2014, 11, 27),
        2,
        AgreementStatus.EXPIRED,
    ),
    (
        27,
        AgreementKind.MEMORANDUM,
        "Memorandum bashkëpunimi për parandalimin e krimit ekonomik",
        date(2015, 5, 19),
        0,
        AgreementStatus.TERMINATED,
    ),
    (
        23,
        AgreementKind.MEMORANDUM,
        "Memorandum për parandalimin e radikalizmit dhe ekstremizmit të dhunshëm",
        date(2015, 12, 10),
        0,
        AgreementStatus.SIGNED,
    ),
    (
        3,
        AgreementKind.AGREEMENT,
        "Marrëveshje për referimin e rasteve te qendrat për punë sociale",
        date(2016, 4, 14),
        5,
        AgreementStatus.EXPIRED,
    ),
]
RECENT_CENTRAL_AGREEMENTS: list[tuple[int, str, str]] = [
    (13, AgreementKind.MEMORANDUM, "Memorandum për mbrojtjen e fëmijëve në hapësirën online"),
    (1, AgreementKind.MEMORANDUM, "Memorandum i ri bashkëpunimi për sigurinë në shkolla"),
    (17, AgreementKind.AGREEMENT, "Marrëveshje për anketën e perceptimit të sigurisë në bashkësi"),
]

SCHOOLS = {
    "albanian": [
        "Naim Frashëri",
        "Sami Frashëri",
        "Ismail Qemali",
        "Hasan Prishtina",
        "Gjergj Fishta",
        "Ndre Mjeda",
        "Faik Konica",
        "Pjetër Bogdani",
        "Dëshmorët e Kombit",
        "Bajram Curri",
    ],
    "serbian": ["Sveti Sava", "Vuk Karadžić", "Desanka Maksimović", "Branko Radičević", "Njegoš"],
}

VOLUNTEER_ACTIVITIES = {
    "albanian": [
        "Ndihmë në trafik para shkollës",
        "Patrullim në lagje me jelek fluoreshent",
        "Shpërndarje fletushkash për sigurinë",
        "Ndihmë gjatë festës komunale",
        "Vizitë te të moshuarit e vetmuar",
        "Takim me banorët e lagjes",
    ],
    "serbian": [
        "Pomoć u saobraćaju ispred škole",
        "Obilazak naselja u fluorescentnom prsluku",
        "Deljenje letaka o bezbednosti",
        "Pomoć tokom opštinske proslave",
        "Poseta starijim osobama koje žive same",
    ],
}

REASONS = {
    "albanian": [
        "Për ndihmën në gjetjen e një fëmije të humbur",
        "Për kontributin e veçantë në sigurinë e shkollave",
        "Për bashkëpunimin në zgjidhjen e një problemi të lagjes",
        "Për punën vullnetare gjatë vërshimeve",
        "Për raportimin që parandaloi një vjedhje",
        "Për angazhimin e përhershëm në forumin e sigurisë",
    ],
    "serbian": [
        "Za pomoć u pronalaženju izgubljenog deteta",
        "Za poseban doprinos bezbednosti u školama",
        "Za saradnju u rešavanju problema u naselju",
        "Za dobrovoljni rad tokom poplava",
    ],
}
OFFICER_REASONS = [
    "Për përkushtim të jashtëzakonshëm në policimin në bashkësi",
    "Për ndërtimin e besimit me banorët e sektorit",
]


def clear_demo() -> None:
    for agreement in Agreement.objects.exclude(document=""):
        agreement.document.delete(save=False)
    Recognition.objects.all().delete()
    VolunteerHours.objects.all().delete()
    Volunteer.objects.all().delete()
    InterestGroup.objects.all().delete()
    Agreement.objects.all().delete()
    Partner.objects.all().delete()


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10)))


def _ascii(text: str) -> str:
    text = to_serbian_latin(text).replace("đ", "dj").replace("Đ", "Dj").replace("–", "-")
    text = text.replace("„", '"').replace("”", '"')
    folded = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return folded.encode("ascii", "replace").decode("ascii")


def _pdf(title: str, parties: str, signed_on: date) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", style="B", size=14)
    pdf.multi_cell(0, 8, text=_ascii(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    pdf.multi_cell(
        0, 6, text=_ascii(f"Palet: Policia e Kosoves dhe {parties}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.multi_cell(0, 6, text=f"Nenshkruar me {signed_on:%d.%m.%Y}", new_x="LMARGIN", new_y="NEXT")
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


@dataclass
class _Demo:
    rng: random.Random
    today: date
    names: dict[str, Any]
    partners: list[Partner] = field(default_factory=list)
    contacts: list[PartnerContact] = field(default_factory=list)
    agreements: list[tuple[Agreement, list[Partner]]] = field(default_factory=list)
    groups: list[tuple[InterestGroup, str]] = field(default_factory=list)
    recognitions: list[Recognition] = field(default_factory=list)

    @property
    def recent(self) -> date:
        return self.today - timedelta(days=3 * 365)

    def day(self, start: date, end: date) -> date:
        end = min(end, self.today)
        start = min(start, end)
        return start + timedelta(days=self.rng.randint(0, (end - start).days))

    def when(self, *, plan_share: float = 0.6) -> date:
        """A date in 2012–2016 (the plan's years), between them, or in the last three years."""
        roll = self.rng.random()
        if roll < plan_share:
            return self.day(PLAN_START, PLAN_END)
        if roll < plan_share + 0.12:
            return self.day(PLAN_END + timedelta(days=1), self.recent)
        return self.day(self.recent, self.today)

    def community(self, municipality: str) -> str:
        for community, codes in COMMUNITY_MIX.items():
            if municipality in codes:
                return community if self.rng.random() < 0.8 else "albanian"
        return "albanian" if self.rng.random() < 0.93 else "serbian"

    def person(self, community: str) -> tuple[str, str]:
        names = self.names[community]
        first = self.rng.choice(names["male"] if self.rng.random() < 0.6 else names["female"])
        return first, self.rng.choice(names["surnames"])

    def phone(self) -> str:
        return f"+383 4{self.rng.randint(3, 9)} {self.rng.randint(100, 999)} {self.rng.randint(100, 999)}"

    # --- partners ---------------------------------------------------------------------

    def partner(
        self,
        unit: Unit,
        kind: str,
        name: str,
        *,
        central: bool = False,
        when: date | None = None,
        description: str = "",
        community: str = "albanian",
    ) -> Partner:
        identified = when or self.when()
        partner = Partner(
            kind=kind,
            name=name,
            level=PartnerLevel.CENTRAL if central else PartnerLevel.LOCAL,
            unit=unit,
            unit_path=unit.path,
            municipality=None if central else unit.municipality,
            description=description,
            identified_on=identified,
            is_active=self.rng.random() < 0.9,
            created_at=_at(identified),
        )
        self.partners.append(partner)
        for _n in range(self.rng.choice([0, 1, 1, 1, 2])):
            first, last = self.person(community)
            self.contacts.append(
                PartnerContact(
                    partner=partner,
                    name=f"{first} {last}",
                    position=self.rng.choice(
                        ["Drejtor", "Zyrtar për siguri", "Koordinator", "Kryetar", "Zëdhënës", "Sekretar"]
                        if community == "albanian"
                        else ["Direktor", "Koordinator", "Predsednik", "Sekretar"]
                    ),
                    phone=self.phone(),
                    email=f"{_ascii(first).lower()}.{_ascii(last).lower()}@partner.example",
                    consent=self.rng.random() < 0.85,
                    created_at=_at(identified),
                )
            )
        return partner

    def central(self, root: Unit) -> None:
        central = []
        for index, (kind, name, description) in enumerate(CENTRAL):
            # The first wave right after the strategy's approval [2.1.1]; a few later.
            when = self.day(date(2012, 3, 1), date(2013, 6, 30)) if index < 24 else self.when(plan_share=0.4)
            central.append(self.partner(root, kind, name, central=True, when=when, description=description))
        for index, kind, title, signed, years, status in CENTRAL_AGREEMENTS:
            until = signed.replace(year=signed.year + years) if years else None
            self.agreement(root, [central[index]], kind, title, signed, until, status)
        for index, kind, title in RECENT_CENTRAL_AGREEMENTS:
            signed = self.day(self.recent, self.today)
            self.agreement(root, [central[index]], kind, title, signed, None, AgreementStatus.SIGNED)
        self.agreement(
            root,
            [central[5]],
            AgreementKind.MEMORANDUM,
            "Draft-memorandum për fushatën vjetore të sigurisë",
            None,
            None,
            AgreementStatus.DRAFT,
        )

    def station(self, station: Unit, sectors: list[Unit]) -> None:
        municipality = station.municipality
        code = municipality.code if municipality else station.code
        community = self.community(code)
        serbian = community == "serbian"
        name_sq = municipality.name_sq if municipality else station.name_sq
        name_sr = to_serbian_latin(municipality.name_sr) if municipality and municipality.name_sr else name_sq
        place = name_sr if serbian else name_sq
        schools = SCHOOLS["serbian" if serbian else "albanian"]
        local = [
            (PartnerKind.MUNICIPAL, f"Opština {place}" if serbian else f"Komuna e {place}"),
            (
                PartnerKind.MUNICIPAL,
                f"Centar za socijalni rad {place}" if serbian else f"Qendra për Punë Sociale {place}",
            ),
            (
                PartnerKind.MUNICIPAL,
                f"Opštinska direkcija za obrazovanje {place}"
                if serbian
                else f"Drejtoria Komunale e Arsimit {place}",
            ),
            (
                PartnerKind.NGO,
                f"Savet roditelja škole „{self.rng.choice(schools)}”"
                if serbian
                else f"Këshilli i Prindërve i shkollës „{self.rng.choice(schools)}”",
            ),
            (
                PartnerKind.RELIGIOUS,
                f"Parohija SPC {place}" if serbian else f"Këshilli i Bashkësisë Islame {place}",
            ),
            (
                PartnerKind.BUSINESS,
                f"Udruženje preduzetnika {place}" if serbian else f"Shoqata e Bizneseve {place}",
            ),
            (PartnerKind.MEDIA, f"Radio {place}"),
            (PartnerKind.INTERNATIONAL, f"OSCE Municipal Team {_ascii(name_sq)}"),
        ]
        if self.rng.random() < 0.3:
            local.append((PartnerKind.POLITICAL_PARTY, f"Kryesitë komunale të partive politike – {place}"))
        station_partners = [self.partner(station, kind, name, community=community) for kind, name in local]
        for sector in sectors:
            if self.rng.random() < 0.55:
                first, last = self.person(community)
                kind, name = self.rng.choice(
                    [
                        (PartnerKind.INFLUENTIAL_PERSON, f"{first} {last}"),
                        (PartnerKind.COMMUNITY_GROUP, f"Grupi i të rinjve {sector.name_sq}"),
                        (PartnerKind.BUSINESS, f"Market {last}"),
                        (PartnerKind.NGO, f"Shoqata e grave {sector.name_sq}"),
                    ]
                )
                self.partner(sector, kind, name, community=community)
        # An agreement with the municipality [2.1.2], and sometimes with the schools.
        if self.rng.random() < 0.7:
            signed = self.when(plan_share=0.7)
            self.agreement(
                station,
                [station_partners[0]],
                AgreementKind.AGREEMENT,
                f"Marrëveshje bashkëpunimi për sigurinë në bashkësi – {name_sq}",
                signed,
                signed.replace(year=signed.year + 4) if signed.year < self.today.year - 4 else None,
                AgreementStatus.EXPIRED if signed.year < self.today.year - 4 else AgreementStatus.SIGNED,
            )
        if self.rng.random() < 0.35:
            signed = self.when()
            self.agreement(
                station,
                [station_partners[2], station_partners[3]],
                AgreementKind.MEMORANDUM,
                f"Memorandum për sigurinë në shkollat e {name_sq}",
                signed,
                None,
                AgreementStatus.SIGNED,
            )
        self.interest_groups(station, sectors, community, place)
        self.thanks(station, community, station_partners)

    def agreement(
        self,
        unit: Unit,
        partners: list[Partner],
        kind: str,
        title: str,
        signed: date | None,
        until: date | None,
        status: str,
    ) -> None:
        created = signed or self.today - timedelta(days=20)
        agreement = Agreement(
            kind=kind,
            title=title,
            unit=unit,
            unit_path=unit.path,
            status=status,
            signed_on=signed,
            valid_until=until,
            notes="",
            created_at=_at(created),
        )
        self.agreements.append((agreement, partners))

    # --- interest groups, volunteers, recognitions --------------------------------------

    def interest_groups(self, station: Unit, sectors: list[Unit], community: str, place: str) -> None:
        serbian = community == "serbian"
        options = [
            (InterestGroupKind.NEIGHBOURHOOD_WATCH, "Komšijska straža" if serbian else "Roja e Lagjes"),
            (
                InterestGroupKind.SCHOOL_SAFETY_PATROL,
                "Školska bezbednosna patrola" if serbian else "Patrulla e Sigurisë në Shkollë",
            ),
            (InterestGroupKind.MEDIATION_COUNCIL, "Savet za pomirenje" if serbian else "Këshilli i Pajtimit"),
        ]
        for _n in range(self.rng.choice([1, 2, 2, 3])):
            kind, label = self.rng.choice(options)
            unit = self.rng.choice(sectors) if sectors and self.rng.random() < 0.6 else station
            where = unit.name_sq if unit.kind == UnitKind.SECTOR else place
            founded = self.when(plan_share=0.7)
            group = InterestGroup(
                kind=kind,
                name=f"{label} {where}",
                unit=unit,
                unit_path=unit.path,
                founded_on=founded,
                is_active=self.rng.random() < 0.85,
                created_at=_at(founded),
            )
            self.groups.append((group, community))

    def thanks(self, station: Unit, community: str, partners: list[Partner]) -> None:
        for year in [*range(2012, 2017), *range(self.recent.year, self.today.year + 1)]:
            if self.rng.random() < 0.45:
                continue
            month, day = settings.PLANS_POLICE_DAY
            awarded = min(date(year, month, day), self.today)
            roll = self.rng.random()
            partner = None
            reason = self.rng.choice(REASONS[community if community == "serbian" else "albanian"])
            if roll < 0.5:
                kind, name = RecipientKind.CITIZEN, " ".join(self.person(community))
            elif roll < 0.7:
                kind, name = RecipientKind.FORUM, f"KLSP {station.name_sq.removeprefix('Stacioni Policor ')}"
            elif roll < 0.85:
                partner = self.rng.choice(partners)
                kind, name = RecipientKind.PARTNER, partner.name
            else:
                kind, name = RecipientKind.OFFICER, " ".join(self.person(community))
                reason = self.rng.choice(OFFICER_REASONS)
            self.recognitions.append(
                Recognition(
                    recipient_kind=kind,
                    recipient_name=name,
                    partner=partner,
                    reason=reason,
                    awarded_on=awarded,
                    unit=station,
                    unit_path=station.path,
                    is_published=self.rng.random() < 0.6,
                    created_at=_at(awarded),
                )
            )


def _windows(start: date, end: date, today: date) -> list[tuple[date, date]]:
    """The parts of [start, end] in the plan's years and in the last three years."""
    recent = today - timedelta(days=3 * 365)
    windows = []
    for low, high in [(PLAN_START, PLAN_END), (recent, today)]:
        first, last = max(start, low), min(end, high)
        if first <= last:
            windows.append((first, last))
    return windows


def _volunteers(demo: _Demo) -> tuple[int, int]:
    """Volunteers for each group (and a few at stations without one), with hours
    given about every other month while they volunteered."""
    volunteers: list[tuple[Volunteer, str]] = []
    for group, community in demo.groups:
        for _n in range(demo.rng.randint(3, 8)):
            first, last = demo.person(community)
            joined = demo.day(group.founded_on, group.founded_on + timedelta(days=900))
            left = None
            if demo.rng.random() < 0.35:
                left = demo.day(joined + timedelta(days=60), joined + timedelta(days=1500))
                if left >= demo.today:
                    left = None
            contact = demo.phone() if demo.rng.random() < 0.8 else ""
            volunteers.append(
                (
                    Volunteer(
                        name=f"{first} {last}",
                        contact=contact,
                        group=group,
                        unit=group.unit,
                        unit_path=group.unit_path,
                        joined_on=joined,
                        left_on=left,
                        created_at=_at(joined),
                    ),
                    community,
                )
            )
    Volunteer.objects.bulk_create([v for v, _c in volunteers], batch_size=1000)
    hours = []
    for volunteer, community in volunteers:
        activities = VOLUNTEER_ACTIVITIES["serbian" if community == "serbian" else "albanian"]
        for start, end in _windows(volunteer.joined_on, volunteer.left_on or demo.today, demo.today):
            day = start + timedelta(days=demo.rng.randint(0, 40))
            while day <= end:
                hours.append(
                    VolunteerHours(
                        volunteer=volunteer,
                        date=day,
                        hours=Decimal(demo.rng.choice([1, 1.5, 2, 2, 3, 3, 4, 5, 6])).quantize(
                            Decimal("0.01")
                        ),
                        activity=demo.rng.choice(activities),
                        created_at=_at(day),
                    )
                )
                day += timedelta(days=demo.rng.randint(25, 90))
    VolunteerHours.objects.bulk_create(hours, batch_size=2000)
    return len(volunteers), len(hours)


def _officer_names(demo: _Demo) -> None:
    """Officers thanked are real demo officers of the awarding station."""
    officers: dict[str, list[str]] = {}
    for path, first, last in Officer.objects.values_list("unit__path", "first_name", "last_name"):
        station = "/".join(path.split("/")[:3]) + "/"
        officers.setdefault(station, []).append(f"{first} {last}")
    for recognition in demo.recognitions:
        names = officers.get(recognition.unit_path)
        if recognition.recipient_kind == RecipientKind.OFFICER and names:
            recognition.recipient_name = demo.rng.choice(names)


def _save_agreements(demo: _Demo) -> int:
    Agreement.objects.bulk_create([a for a, _p in demo.agreements], batch_size=1000)
    links = [
        Agreement.partners.through(agreement_id=agreement.pk, partner_id=partner.pk)
        for agreement, partners in demo.agreements
        for partner in partners
    ]
    Agreement.partners.through.objects.bulk_create(links, batch_size=2000)
    signed = [(a, p) for a, p in demo.agreements if a.signed_on is not None]
    step = max(1, len(signed) // DOCUMENTS)
    documented = []
    for agreement, partners in signed[::step][:DOCUMENTS]:
        if agreement.signed_on is None:
            continue
        data = _pdf(agreement.title, ", ".join(p.name for p in partners), agreement.signed_on)
        name = f"{re.sub(r'[^a-z0-9]+', '-', _ascii(agreement.title).lower())[:60].strip('-')}.pdf"
        agreement.document.save(name, ContentFile(data), save=False)
        agreement.document_name, agreement.document_size = name, len(data)
        documented.append(agreement)
    Agreement.objects.bulk_update(documented, ["document", "document_name", "document_size"])
    return len(documented)


@transaction.atomic
def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    root = Unit.objects.filter(kind=UnitKind.DIRECTORATE).order_by("path").first()
    if root is None:
        return []
    names = json.loads((DATA_DIR / "names.json").read_text(encoding="utf-8"))
    demo = _Demo(rng=random.Random(seed * 31 + 7), today=today, names=names)  # noqa: S311 (demo data)
    demo.central(root)
    units = list(
        Unit.objects.filter(kind__in=[UnitKind.STATION, UnitKind.SECTOR])
        .select_related("municipality")
        .order_by("path")
    )
    stations = [u for u in units if u.kind == UnitKind.STATION]
    for station in stations:
        sectors = [u for u in units if u.kind == UnitKind.SECTOR and u.path.startswith(station.path)]
        demo.station(station, sectors)
    Partner.objects.bulk_create(demo.partners, batch_size=1000)
    PartnerContact.objects.bulk_create(demo.contacts, batch_size=1000)
    documents = _save_agreements(demo)
    InterestGroup.objects.bulk_create([g for g, _c in demo.groups], batch_size=1000)
    volunteers, hours = _volunteers(demo)
    _officer_names(demo)
    Recognition.objects.bulk_create(demo.recognitions, batch_size=1000)
    return [
        f"Partners: {len(demo.partners)} partners with {len(demo.contacts)} contacts, "
        f"{len(demo.agreements)} agreements ({documents} with a signed PDF), "
        f"{len(demo.groups)} interest groups, {volunteers} volunteers with {hours} hour entries, "
        f"{len(demo.recognitions)} recognitions."
    ]
