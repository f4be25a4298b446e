"""Demo training: the programmes of the strategy (basic community policing,
the Academy module, SARA problem solving, working with LPSCs and CSATs,
leadership), trainers from the Kosovo Police, the OSCE and ICITAP, courses
in 2012–2016 and the last three years with attendance from the demo
officers, four study visits with PDF reports, and training needs.
Deterministic from the seed."""

import io
import random
from collections import defaultdict
from datetime import date, timedelta

from django.core.files.base import ContentFile
from fpdf import FPDF

from cpis.organisation.demo import delete_demo_rows
from cpis.organisation.models import Officer, Rank, Unit, UnitKind

from .models import (
    Attendance,
    Course,
    Level,
    Module,
    NeedStatus,
    Programme,
    StudyVisit,
    Trainer,
    TrainingNeed,
)

PROGRAMMES = [
    # key, title (as the Training Department wrote it), level, approved, description, modules (title, hours)
    (
        "basic",
        "Policimi në bashkësi – kursi bazë",
        Level.BASIC,
        date(2012, 10, 15),
        "Kursi bazë për të gjithë zyrtarët policorë [1.3.4, 1.3.5].",
        [
            ("Filozofia dhe parimet e policimit në bashkësi", 6),
            ("Partneriteti me komunitetin dhe forumet e sigurisë", 6),
            ("Komunikimi, ndërmjetësimi dhe zgjidhja e konflikteve", 8),
            ("Sektori, ekipi i sektorit dhe profili i sektorit", 4),
            ("Etika, të drejtat e njeriut dhe komunitetet joshumicë", 4),
        ],
    ),
    (
        "academy",
        "Moduli i policimit në bashkësi në trajnimin bazë të Akademisë",
        Level.BASIC,
        date(2013, 1, 25),
        "Moduli i përfshirë në trajnimin bazë të kadetëve në Akademi [1.3.6].",
        [("Hyrje në policimin në bashkësi", 8), ("Ushtrime praktike në sektor", 16), ("Vlerësimi", 4)],
    ),
    (
        "sara",
        "Zgjidhja e problemeve me modelin SARA",
        Level.SPECIALISED,
        date(2013, 4, 10),
        "Trajnim i specializuar për udhëheqësit e sektorëve dhe koordinatorët [1.3.8].",
        [
            ("Skanimi: identifikimi i problemeve", 4),
            ("Analiza: trekëndëshi i problemit", 6),
            ("Përgjigja me partnerët", 4),
            ("Vlerësimi i rezultateve", 4),
        ],
    ),
    (
        "lpsc",
        "Puna me KLSP-të dhe EVSB-të",
        Level.SPECIALISED,
        date(2013, 9, 20),
        "Themelimi, mbajtja dhe raportimi i Këshillave Lokale për Siguri Publike "
        "dhe Ekipeve të Veprimit për Siguri në Bashkësi [1.3.7, 1.3.8].",
        [("Korniza ligjore dhe PSV", 3), ("Mbledhjet dhe procesverbalet", 3), ("Raportimi zinxhir", 2)],
    ),
    (
        "leadership",
        "Udhëheqja dhe menaxhimi në policimin në bashkësi",
        Level.LEADERSHIP,
        date(2013, 5, 28),
        "Kurrikula për komandantët e stacioneve dhe koordinatorët [1.3.9].",
        [
            ("Planifikimi strategjik dhe plani i veprimit", 6),
            ("Menaxhimi i ekipeve të sektorëve", 6),
            ("Matja e performancës dhe vlerësimi", 6),
            ("Komunikimi me mediat dhe publikun", 4),
        ],
    ),
    (
        "extremism",
        "Parandalimi i ekstremizmit të dhunshëm në bashkësi",
        Level.SPECIALISED,
        None,  # still a draft
        "Draft i hartuar me mbështetjen e partnerëve ndërkombëtarë.",
        [("Shenjat e radikalizimit", 4), ("Bashkëpunimi me familjet dhe shkollat", 4)],
    ),
]
EXTERNAL_TRAINERS = [
    ("Sarah Mitchell", "OSCE", "Policimi në bashkësi; forumet e sigurisë", date(2012, 4, 20)),
    ("Lars Eriksson", "OSCE", "Zgjidhja e problemeve (SARA)", date(2012, 5, 11)),
    ("John Davis", "ICITAP", "Udhëheqja; menaxhimi i performancës", date(2012, 6, 1)),
    ("Michael Brennan", "ICITAP", "Trajnimi i trajnerëve", date(2012, 3, 16)),
    ("Drita Morina", "Akademia e Kosovës për Siguri Publike", "Moduli i Akademisë", date(2013, 1, 30)),
]
AREAS = [
    "Policimi në bashkësi",
    "Zgjidhja e problemeve (SARA)",
    "Puna me KLSP-të dhe EVSB-të",
    "Komunikimi dhe ndërmjetësimi",
]
PLACES = ["Akademia e Kosovës për Siguri Publike, Vushtrri", "Salla e trajnimeve të drejtorisë rajonale"]
VISITS = [
    (
        "Norvegji",
        "Oslo",
        date(2013, 5, 13),
        5,
        "Njohja me modelin norvegjez të policimit në bashkësi dhe me punën e policëve të lagjeve.",
        "Raporti u prezantua në takimin e koordinatorëve rajonalë; rekomandimet për profilin e "
        "sektorit u përfshinë në PSV.",
    ),
    (
        "Mbretëria e Bashkuar",
        "Mançester",
        date(2014, 10, 6),
        5,
        "Policimi i lagjeve (neighbourhood policing) dhe takimet e rregullta me banorët.",
        "Komandantët e stacioneve u informuan me shkrim; modeli i takimeve mujore me banorët u provua "
        "në dy stacione.",
    ),
    (
        "Slloveni",
        "Lubjanë",
        date(2016, 9, 26),
        4,
        "Bashkëpunimi i policisë me komunat dhe këshillat e parandalimit.",
        "",
    ),
    (
        "Austri",
        "Vjenë",
        None,  # about a year before today
        4,
        "Parandalimi i krimit në bashkësi dhe puna me të rinjtë.",
        "Përvojat u ndanë në punëtorinë e udhëheqësve të sektorëve.",
    ),
]
NEEDS = [
    ("Trajnim për menaxhimin e bazës së të dhënave të KLSP-ve.", date(2013, 9, 12), NeedStatus.MET, "lpsc"),
    (
        "Udhëheqësit e rinj të sektorëve nuk e kanë ndjekur kursin SARA.",
        date(2013, 9, 16),
        NeedStatus.MET,
        "sara",
    ),
    ("Komunikimi me komunitetet joshumicë në gjuhën e tyre.", date(2013, 9, 18), NeedStatus.PLANNED, ""),
    ("Trajnim për dhunën në familje për ekipet e sektorëve.", date(2014, 3, 4), NeedStatus.MET, "basic"),
    ("Përdorimi i rrjeteve sociale për komunikim me qytetarët.", date(2015, 11, 2), NeedStatus.DROPPED, ""),
]
RECENT_NEEDS = [
    ("Parandalimi i ekstremizmit të dhunshëm te të rinjtë.", NeedStatus.PLANNED, "extremism"),
    ("Përdorimi i sistemit të informacionit për raportimin mujor.", NeedStatus.IDENTIFIED, ""),
    ("Siguria në trafik pranë shkollave: trajnim për ekipet e sektorëve.", NeedStatus.IDENTIFIED, ""),
]


def clear_demo() -> None:
    delete_demo_rows(StudyVisit, TrainingNeed, Attendance, Course, Trainer, Module, Programme)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _report(
    country: str, city: str, start: date, end: date, purpose: str, feedback: str, people: int
) -> bytes:
    """A short report as the Training Department would file it (PDF core
    fonts: Albanian letters are Latin-1)."""

    def latin(text: str) -> str:
        return text.replace("–", "-").replace("„", '"').replace("”", '"').replace("’", "'")

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 15)
    pdf.multi_cell(0, 8, latin("Policia e Kosovës – Departamenti i Trajnimit"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", "B", 13)
    pdf.multi_cell(
        0, 8, latin(f"Raport i vizitës studimore: {country}, {city}"), new_x="LMARGIN", new_y="NEXT"
    )
    pdf.set_font("helvetica", size=11)
    lines = [
        f"Data: {start:%d.%m.%Y} – {end:%d.%m.%Y}",
        f"Pjesëmarrës: {people} zyrtarë",
        "",
        "Qëllimi",
        purpose,
        "",
        "Gjetjet kryesore",
        "Policia vendase mban takime të rregullta me banorët dhe raporton rezultatet publikisht. "
        "Zyrtarët e sektorëve qëndrojnë në të njëjtin sektor për disa vite.",
        "",
        "Rekomandimet",
        "1. Forcimi i rolit të udhëheqësit të sektorit si pikë kontakti për publikun.",
        "2. Përfshirja e përvojave në kursin bazë dhe në trajnimin e udhëheqjes.",
        "",
        "Informimi i zyrtarëve",
        feedback or "Në pritje.",
    ]
    for line in lines:
        pdf.multi_cell(0, 6, latin(line), new_x="LMARGIN", new_y="NEXT")
    out = io.BytesIO()
    pdf.output(out)
    return out.getvalue()


class _Builder:
    def __init__(self, *, seed: int, today: date) -> None:
        self.rng = random.Random(f"training-{seed}")  # noqa: S311 (demo data, not secrets)
        self.today = today
        self.root = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        self.regions = list(Unit.objects.filter(kind=UnitKind.REGION).order_by("path"))
        self.stations = list(Unit.objects.filter(kind=UnitKind.STATION).order_by("path"))
        self.officers: dict[str, list[int]] = defaultdict(list)  # region path → community officers
        self.leads: list[int] = []  # commanders and coordinators
        rows = (
            Officer.objects.filter(is_active=True)
            .order_by("pk")
            .values_list("pk", "unit__path", "rank", "is_community_officer")
        )
        for pk, path, rank, community in rows:
            region = "/".join(path.split("/")[:2]) + "/"
            if community:
                self.officers[region].append(pk)
            if rank in {Rank.CAPTAIN, Rank.LIEUTENANT}:
                self.leads.append(pk)
        self.courses: list[Course] = []
        self.enrolled: list[list[int]] = []
        self.trainers: list[Trainer] = []

    def programmes(self) -> dict[str, Programme]:
        found: dict[str, Programme] = {}
        modules: list[Module] = []
        for key, title, level, approved, description, parts in PROGRAMMES:
            programme = Programme.objects.create(
                title=title, level=level, approved_on=approved, description=description
            )
            found[key] = programme
            modules += [
                Module(programme=programme, position=i, title=name, hours=hours)
                for i, (name, hours) in enumerate(parts, start=1)
            ]
        Module.objects.bulk_create(modules)
        return found

    def add_trainers(self) -> None:
        rows = [
            # ICITAP's leadership trainer has left; the others still teach.
            Trainer(name=name, organisation=org, areas=areas, certified_on=day, active=name != "John Davis")
            for name, org, areas, day in EXTERNAL_TRAINERS
        ]
        sergeants = list(
            Officer.objects.filter(is_active=True, is_community_officer=True, rank=Rank.SERGEANT)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        chosen = self.rng.sample(sergeants, k=min(12, len(sergeants)))
        for i, officer_id in enumerate(chosen):
            # Most were prepared in the first half of 2012 [1.3.3]; a few later, some recently.
            if i < 7:
                day = date(2012, self.rng.randint(3, 6), self.rng.randint(1, 28))
            elif i < 10:
                day = date(self.rng.randint(2013, 2016), self.rng.randint(1, 12), self.rng.randint(1, 28))
            else:
                day = self.today - timedelta(days=self.rng.randint(60, 900))
            rows.append(
                Trainer(
                    officer_id=officer_id,
                    organisation="Policia e Kosovës",
                    areas=self.rng.choice(AREAS),
                    certified_on=day,
                    active=self.rng.random() < 0.85,
                )
            )
        self.trainers = Trainer.objects.bulk_create(rows)

    def course(self, programme: Programme, unit: Unit, start: date, days: int, people: list[int]) -> None:
        end = start + timedelta(days=days - 1)
        if start > self.today + timedelta(days=60):
            return
        self.courses.append(
            Course(
                programme=programme,
                unit=unit,
                unit_path=unit.path,
                starts_on=start,
                ends_on=end,
                place=self.rng.choice(PLACES) if unit.kind != UnitKind.STATION else unit.name_sq,
            )
        )
        self.enrolled.append(people)

    def people(self, region: Unit | None, count: int) -> list[int]:
        pool = (
            self.officers.get(region.path, []) if region else [p for ps in self.officers.values() for p in ps]
        )
        return self.rng.sample(pool, k=min(count, len(pool)))

    def weekday(self, start: date, end: date) -> date:
        day = start + timedelta(days=self.rng.randint(0, max((end - start).days, 0)))
        return day - timedelta(days=day.weekday())  # courses start on a Monday

    def courses_for(self, programmes: dict[str, Programme]) -> None:
        rng, root = self.rng, self.root
        if root is None:
            return
        recent = _years_before(self.today, 3)
        # Basic course for all officers, region by region, from November 2012 [1.3.5].
        for region in self.regions:
            for _ in range(rng.randint(3, 5)):
                day = self.weekday(date(2012, 11, 5), date(2014, 12, 15))
                self.course(programmes["basic"], region, day, 5, self.people(region, rng.randint(16, 24)))
            for _ in range(rng.randint(1, 2)):
                day = self.weekday(recent, self.today + timedelta(days=45))
                self.course(programmes["basic"], region, day, 5, self.people(region, rng.randint(14, 22)))
        # The Academy module, a cohort each spring and autumn.
        for year in [*range(2013, 2017), *range(recent.year, self.today.year + 1)]:
            for month in (3, 10):
                day = self.weekday(date(year, month, 1), date(year, month, 20))
                if date(2013, 1, 25) <= day and (year <= 2016 or day >= recent):
                    self.course(programmes["academy"], root, day, 10, self.people(None, rng.randint(20, 30)))
        # Specialised courses [1.3.8]: SARA per region, LPSC work per station.
        for region in self.regions:
            for start, end in [(date(2013, 5, 1), date(2016, 11, 30)), (recent, self.today)]:
                for _ in range(rng.randint(2, 3)):
                    day = self.weekday(start, end)
                    self.course(programmes["sara"], region, day, 3, self.people(region, rng.randint(12, 18)))
        for station in self.stations:
            home = station.parent
            if rng.random() < 0.6:
                day = self.weekday(date(2013, 10, 1), date(2016, 6, 30))
                self.course(programmes["lpsc"], station, day, 2, self.people(home, rng.randint(8, 12)))
            if rng.random() < 0.3:
                day = self.weekday(recent, self.today)
                self.course(programmes["lpsc"], station, day, 2, self.people(home, rng.randint(8, 12)))
        # Leadership [1.3.9]: commanders and coordinators, nationally.
        for year in [2013, 2014, 2015, 2016, recent.year + 1, self.today.year]:
            day = self.weekday(date(year, 4, 1), date(year, 11, 30))
            if year <= 2016 or recent <= day:
                people = rng.sample(self.leads, k=min(len(self.leads), rng.randint(12, 18)))
                self.course(programmes["leadership"], root, day, 5, people)

    def save_courses(self) -> int:
        created = Course.objects.bulk_create(self.courses, batch_size=500)
        active = [t for t in self.trainers if t.active] or self.trainers
        through = Course.trainers.through
        links = []
        attendances = []
        for course, people in zip(created, self.enrolled, strict=True):
            chosen = self.rng.sample(active, k=min(2, len(active)))
            links += [through(course_id=course.pk, trainer_id=t.pk) for t in chosen]
            ended = course.ends_on < self.today
            attendances += [
                Attendance(course=course, officer_id=officer_id, completed=ended and self.rng.random() < 0.9)
                for officer_id in dict.fromkeys(people)
            ]
        through.objects.bulk_create(links)
        Attendance.objects.bulk_create(attendances, batch_size=2000)
        return len(attendances)

    def visits(self) -> None:
        directorate_staff = self.leads or [p for ps in self.officers.values() for p in ps]
        for country, city, start, people, purpose, feedback in VISITS:
            start = start or self.weekday(_years_before(self.today, 1), _years_before(self.today, 1))
            end = start + timedelta(days=4)
            if end > self.today:
                continue
            visit = StudyVisit.objects.create(
                country=country, city=city, starts_on=start, ends_on=end, purpose=purpose, feedback=feedback
            )
            visit.participants.set(self.rng.sample(directorate_staff, k=min(people, len(directorate_staff))))
            data = _report(country, city, start, end, purpose, feedback, people)
            name = f"raporti-vizita-{country.lower().replace(' ', '-')}-{start.year}.pdf"
            visit.report.save(name, ContentFile(data), save=False)
            visit.report_name, visit.report_size = name, len(data)
            visit.save()

    def needs(self, programmes: dict[str, Programme]) -> None:
        units = [u for u in [self.root, *self.regions, *self.stations] if u is not None]
        if not units:
            return
        rows = []
        for description, day, status, key in NEEDS:
            unit = self.rng.choice(units)
            rows.append(
                TrainingNeed(
                    description=description,
                    identified_on=day,
                    unit=unit,
                    unit_path=unit.path,
                    status=status,
                    programme=programmes.get(key),
                )
            )
        for description, status, key in RECENT_NEEDS:
            unit = self.rng.choice(units)
            rows.append(
                TrainingNeed(
                    description=description,
                    identified_on=self.today - timedelta(days=self.rng.randint(20, 500)),
                    unit=unit,
                    unit_path=unit.path,
                    status=status,
                    programme=programmes.get(key),
                )
            )
        TrainingNeed.objects.bulk_create(rows)


def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    """Programmes, trainers, courses with attendance, study visits and needs."""
    builder = _Builder(seed=seed, today=today)
    if builder.root is None:
        return []
    programmes = builder.programmes()
    builder.add_trainers()
    builder.courses_for(programmes)
    attendances = builder.save_courses()
    builder.visits()
    builder.needs(programmes)
    return [
        f"Training: {len(programmes)} programmes, {len(builder.trainers)} trainers, "
        f"{len(builder.courses)} courses ({attendances} enrolments), "
        f"{StudyVisit.objects.count()} study visits with reports."
    ]
