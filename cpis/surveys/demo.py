"""Demo perception surveys, drawn from a known truth (issue #14, item 8): three
autumn waves of the safety-and-trust questionnaire over the whole country — two and
one year ago, closed, and the latest open now, started three weeks ago with most of
its answers in — about 10,000 responses a wave at the standard scale, with targets
for every sector and the population margins for weighting; and a few hundred
answers to the questionnaire after a closed concern, with their invitations.

Every respondent is drawn from the truth of stats/truth.py: a sector's adults by
community, gender and age band (its municipality's mix), the sector's latent trust
and safety (a station and a sector effect, lower where the demo's incidents are more
frequent, higher after a planted chronic problem of the incidents demo was solved
there) and each group's own leaning. Who answers is not a random draw of the
adults: young men answer least, older women most, the Serb and Roma communities are
under-covered, every sector gets about the same number of interviews whatever its
size, and portal answers come from the young. Unweighted, the country's figures are
visibly off; weighted to the sectors' populations and raked to the margins, they
come back to the truth, which `demo_truth` gives for any demo wave.

The truth is not stored: `wave_truth` computes it again from the wave's seed (the
demo's), the day the demo was loaded (the open wave started OPEN_SINCE_DAYS before)
and the loaded incidents, the same way the demo drew from it. Deterministic for a
seed and day."""

from __future__ import annotations

import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import Count
from django.utils import timezone

from cpis.concerns.models import CLOSED_STATUSES, Concern, Status
from cpis.core.i18n import to_serbian_latin
from cpis.forums.models import Meeting, MeetingStatus
from cpis.incidents import demo as incidents_demo
from cpis.incidents.models import Incident
from cpis.organisation.access import Actor
from cpis.organisation.models import Assignment, Unit, UnitKind
from cpis.organisation.selectors import locate_sectors
from cpis.outreach.models import OutreachActivity

from .models import (
    Channel,
    Dimension,
    Invitation,
    Margin,
    Question,
    QuestionKind,
    QuestionnaireVersion,
    Response,
    ResponseStatus,
    TextReview,
    Wave,
    WaveStatus,
    WaveTarget,
)
from .selectors.questionnaires import get_published_version
from .services import sampling
from .stats import truth

SAFETY = "safety-and-trust"
AFTER_CONCERN = "after-concern"
WAVES = 3
OPEN_SINCE_DAYS = 21  # the open wave began this many days before the demo's day
FIELDWORK_DAYS = 42
CRIME_DAYS = 365  # the crime rate a wave's truth reads: the year before it began
# Interviews aimed for per sector, by the sector's population; the small demo aims lower.
TARGETS = ((30_000, 50), (15_000, 45), (1_000, 35), (0, 25))
SCALE = {"small": 1.0, "standard": 1.0, "national": 1.0}
ACHIEVED = 1.0  # the usual share of the target achieved
HARD_SECTORS = 0.05  # share of sectors, each wave, where fieldwork mostly fails
OPEN_DONE = 0.8  # share of the open wave's answers already in
# Channels: the portal draws the young; meetings and outreach events where the sector
# had one during the wave; the rest at the door, some on paper.
PORTAL_BY_AGE = np.array([0.30, 0.22, 0.12, 0.07, 0.04, 0.02])
MEETING_SHARE, OUTREACH_SHARE, PAPER_SHARE = 0.10, 0.08, 0.03
# Background not given: all of it, or one answer of it.
BLANK_ALL, BLANK_ONE = 0.05, 0.02
# Items left unanswered.
SKIP = {"rely": 0.04, "fair": 0.04, "listen": 0.05, "safety_score": 0.03, "top_issue": 0.06}
SKIP_OTHER = 0.02
TEXT_SHARE = {"portal": 0.15, "other": 0.05}  # of those naming a top issue, who say more
WITHHELD_SHARE = 0.1
HELD = {"small": 3, "standard": 8, "national": 8}  # held for review in each wave
INVITATIONS = {"small": 120, "standard": 800, "national": 800}
ANSWERED = 0.45  # of the invitations after a concern

# What people write about the top issue, by language and option (no names); and what a
# reviewer would withhold (it points at a household).
ISSUE_TEXT: dict[str, dict[str, tuple[str, ...]]] = {
    "sq": {
        "traffic": (
            "Veturat kalojnë shumë shpejt pranë shkollës, duhen shenja dhe gunga.",
            "Mungon trotuari dhe fëmijët ecin në rrugë.",
        ),
        "drugs": (
            "Të rinjtë mblidhen në park natën dhe dyshojmë se shitet drogë.",
            "Ka shiringa afër stacionit të autobusit.",
        ),
        "theft": (
            "Këtë vit janë vjedhur vetura dhe bagëti në fshat.",
            "Vjedhje në shtëpitë e mërgimtarëve kur janë bosh.",
        ),
        "public_order": (
            "Zhurmë nga lokalet deri vonë, sidomos në fundjavë.",
            "Grindje para kafeneve natën.",
        ),
        "domestic_violence": (
            "Shumë gra nuk guxojnë ta raportojnë dhunën në familje.",
            "Duhet më shumë ndihmë për gratë që vuajnë dhunë në shtëpi.",
        ),
        "youth": (
            "Fëmijët nuk kanë ku të kalojnë kohën dhe rrinë në rrugë.",
            "Rrahje mes nxënësve para shkollës.",
        ),
        "weapons": ("Të shtëna në ajër në dasma dhe festa.", "Shumë armë pa leje në lagje."),
        "other": (
            "Ndriçimi publik nuk punon dhe rruga është e errët.",
            "Qentë endacakë janë rrezik për fëmijët.",
        ),
    },
    "sr": {
        "traffic": (
            "Аутомобили пролазе пребрзо поред школе, потребни су лежећи полицајци.",
            "Нема тротоара и деца иду улицом.",
        ),
        "drugs": (
            "Млади се ноћу окупљају у парку и сумњамо да се продаје дрога.",
            "Има шприцева код аутобуске станице.",
        ),
        "theft": ("Ове године су у селу украдени аутомобили и стока.", "Провале у куће које су празне."),
        "public_order": ("Бука из кафића до касно, посебно викендом.", "Свађе испред кафана ноћу."),
        "domestic_violence": (
            "Многе жене се не усуђују да пријаве насиље у породици.",
            "Потребно је више помоћи за жене које трпе насиље код куће.",
        ),
        "youth": ("Деца немају где да проводе време и стоје на улици.", "Туче међу ученицима испред школе."),
        "weapons": ("Пуцњава у ваздух на свадбама и славама.", "Много нелегалног оружја у насељу."),
        "other": ("Јавна расвета не ради и улица је мрачна.", "Пси луталице су опасни за децу."),
    },
    "en": {
        "traffic": (
            "Cars speed past the school; we need speed bumps.",
            "There is no pavement and children walk in the road.",
        ),
        "drugs": (
            "Young people gather in the park at night and we think drugs are sold there.",
            "There are needles near the bus stop.",
        ),
        "theft": (
            "Cars and livestock have been stolen in the village this year.",
            "Break-ins at houses left empty by families abroad.",
        ),
        "public_order": (
            "Noise from the bars until late, especially at weekends.",
            "Fights outside the cafés at night.",
        ),
        "domestic_violence": (
            "Many women do not dare report violence at home.",
            "Women who suffer violence at home need more help.",
        ),
        "youth": (
            "Children have nowhere to go and hang around in the street.",
            "Fights between pupils in front of the school.",
        ),
        "weapons": ("Celebratory gunfire at weddings.", "Too many unlicensed guns in the neighbourhood."),
        "other": (
            "The street lights do not work and the road is dark.",
            "Stray dogs are a danger to children.",
        ),
    },
}
POINTED_TEXT = {
    "sq": "Fqinji te shtëpia me portë të gjelbër shet drogë, të gjithë e dinë.",
    "sr": "Комшија у кући са зеленом капијом продаје дрогу, сви то знају.",
    "en": "The neighbour in the house with the green gate sells drugs, everyone knows.",
}
COMMENTS = {
    "sq": ("Faleminderit, policia erdhi shpejt.", "Askush nuk më tregoi çfarë ndodhi me raportin tim.",
           "Problemi u përsërit pas dy javësh."),
    "sr": ("Хвала, полиција је брзо дошла.", "Нико ми није рекао шта се десило са мојом пријавом.",
           "Проблем се поновио после две недеље."),
    "en": ("Thank you, the police came quickly.", "Nobody told me what happened to my report.",
           "The problem came back two weeks later."),
}  # fmt: skip
# Languages people answer in, by community (Serbian speakers some in Latin script).
LANGUAGES: dict[str, tuple[tuple[str, ...], tuple[float, ...]]] = {
    "albanian": (("sq", "en"), (0.97, 0.03)),
    "serb": (("sr", "sr-latn"), (0.85, 0.15)),
    "turkish": (("sq", "en"), (0.8, 0.2)),
    "bosniak": (("sr-latn", "sq"), (0.6, 0.4)),
    "gorani": (("sr-latn", "sq"), (0.5, 0.5)),
    "roma": (("sq", "sr"), (0.6, 0.4)),
    "ashkali": (("sq",), (1.0,)),
    "egyptian": (("sq",), (1.0,)),
    "other": (("sq", "en"), (0.7, 0.3)),
}
# After a concern: how fixed it is by how the concern closed (yes, partly, no).
FIXED: dict[str, tuple[float, float, float]] = {
    Status.RESOLVED: (0.6, 0.25, 0.15),
    Status.REFERRED: (0.2, 0.35, 0.45),
    Status.DUPLICATE: (0.35, 0.35, 0.3),
    Status.REJECTED: (0.1, 0.2, 0.7),
}


def clear_demo() -> None:
    """Delete the waves, responses and invitations (not the questionnaires), and the
    rows that point at a response (review decisions)."""
    Invitation.objects.all().delete()
    for relation in Response._meta.related_objects:
        related: Any = relation.related_model
        manager = related._default_manager
        if relation.on_delete is models.SET_NULL:
            manager.exclude(**{relation.field.name: None}).update(**{relation.field.name: None})
        else:
            manager.all().delete()
    # Nothing points at a response any more: one statement, not Django's collector,
    # which would read every response first.
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Response._meta.db_table)}")  # noqa: S608
    Wave.objects.all().delete()


# --- the truth of a wave ----------------------------------------------------------------


@dataclass(frozen=True)
class Sectors:
    """The demo's sectors with what the truth reads of them, in path order."""

    units: list[Unit]
    population: np.ndarray
    compositions: np.ndarray  # sectors × cells
    effects: truth.Effects

    @property
    def adults(self) -> np.ndarray:
        return self.population * truth.ADULT_SHARE

    @classmethod
    def load(cls, seed: int) -> Sectors:
        units = list(
            Unit.objects.filter(kind=UnitKind.SECTOR).select_related("municipality").order_by("path")
        )
        known = [u.population for u in units if u.population]
        typical = float(np.median(known)) if known else 1000.0
        population = np.array([float(u.population or typical) for u in units])
        compositions = np.array(
            [
                truth.composition(u.municipality.code if u.municipality else "", seed=seed, key=u.path)
                for u in units
            ]
        ).reshape(len(units), len(truth.CELLS))
        effects = truth.place_effects([_station(u.path) for u in units], [u.path for u in units], seed=seed)
        return cls(units, population, compositions, effects)


def _station(path: str) -> str:
    return "/".join(path.split("/")[:3]) + "/"


@dataclass(frozen=True)
class WaveTruth:
    """The truth of one demo wave: each sector's population value of every item key
    (`values[key]`, in the order of `sector_ids`), the cells' answer distributions the
    respondents were drawn from, and the covariates behind them."""

    sector_ids: list[int]
    adults: np.ndarray
    compositions: np.ndarray
    crime: np.ndarray
    exposure: np.ndarray
    model: truth.CellModel
    values: dict[str, np.ndarray]

    def by_sector(self) -> dict[tuple[int, str], float]:
        return {
            (sector_id, key): float(v[i])
            for key, v in self.values.items()
            for i, sector_id in enumerate(self.sector_ids)
        }

    def place(
        self, sector_ids: set[int] | None = None, *, dimension: str = "", category: str = ""
    ) -> dict[str, float]:
        """The population values over these sectors (all when None), weighted by
        adults; of one group only when `dimension` and `category` are given
        (community "serb", gender "female", age band "65+")."""
        among = None if sector_ids is None else np.array([s in sector_ids for s in self.sector_ids])
        if dimension:
            return truth.group_truth(
                self.model,
                self.compositions,
                self.adults,
                dimension=dimension,
                category=category,
                among=among,
            )
        return truth.place_truth(self.values, self.adults, among)


def _planted(seed: int, today: date) -> dict[int, list[tuple[int, float]]]:
    """The solved chronic problems the incidents demo planted, by sector: (the day
    their response began, the share of the stream that fell and did not move next
    door). The plan is the incidents demo's, read for the scale its incidents show."""
    scale = (
        "small"
        if Incident.objects.filter(source=incidents_demo.SOURCE).count() < incidents_demo.SMALL_DEMO
        else "standard"
    )
    sites = incidents_demo.demo_planted_problems(scale=scale, seed=seed, today=today)
    if not sites:
        return {}
    found = locate_sectors(lats=[s.lat for s in sites], lons=[s.lon for s in sites]).tolist()
    out: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for site, sector_id in zip(sites, found, strict=True):
        drop, moved = incidents_demo.PLANTED_EFFECTS[site.effect]
        if sector_id >= 0 and drop > 0:
            out[int(sector_id)].append((site.response_day, drop * (1 - moved)))
    return out


def _compute(
    sectors: Sectors, *, index: int, starts_on: date, seed: int, planted: dict[int, list[tuple[int, float]]]
) -> WaveTruth:
    ids = [u.pk for u in sectors.units]
    counts = dict(
        Incident.objects.filter(
            occurred_on__gte=starts_on - timedelta(days=CRIME_DAYS),
            occurred_on__lt=starts_on,
            sector_id__in=ids,
        )
        .values_list("sector_id")
        .annotate(n=Count("id"))
        .values_list("sector_id", "n")
    )
    crime = truth.crime_scores([counts.get(i, 0) for i in ids], sectors.population)
    exposure = np.array([truth.solved_exposure(planted.get(i, []), starts_on.toordinal()) for i in ids])
    latent = truth.levels(
        sectors.effects,
        crime=crime,
        exposure=exposure,
        wave=index,
        seed=seed,
        keys=[u.path for u in sectors.units],
    )
    model = truth.cell_model(latent, crime=crime, issue=sectors.effects.issue)
    return WaveTruth(
        sector_ids=ids,
        adults=sectors.adults,
        compositions=sectors.compositions,
        crime=crime,
        exposure=exposure,
        model=model,
        values=truth.population_truth(model, sectors.compositions),
    )


def _demo_waves(wave: Wave) -> list[Wave]:
    """The demo's waves, oldest first: this wave's questionnaire, place and seed."""
    return list(
        Wave.objects.filter(
            version__questionnaire_id=wave.version.questionnaire_id, place_id=wave.place_id, seed=wave.seed
        ).order_by("starts_on")
    )


def wave_truth(wave: Wave) -> WaveTruth:
    """The truth a demo wave's responses were drawn from, computed again from the
    wave's seed, the demo's day (its newest wave began OPEN_SINCE_DAYS before) and the
    loaded organisation and incidents."""
    waves = _demo_waves(wave)
    today = waves[-1].starts_on + timedelta(days=OPEN_SINCE_DAYS)
    index = [w.pk for w in waves].index(wave.pk) + WAVES - len(waves)
    return _compute(
        Sectors.load(wave.seed),
        index=index,
        starts_on=wave.starts_on,
        seed=wave.seed,
        planted=_planted(wave.seed, today),
    )


def demo_truth(wave: Wave) -> dict[tuple[int, str], float]:
    """(sector id, item key) → the sector's population value in a demo wave: the share
    agreeing (4 or 5) for an agreement item, the mean for the 0–10 score, the share
    saying yes, and for the top issue one key per option ("top_issue:drugs")."""
    return wave_truth(wave).by_sector()


def demo_place_truth(
    wave: Wave, place: Unit | None = None, *, dimension: str = "", category: str = ""
) -> dict[str, float]:
    """Item key → the population value of a place (the wave's place when None) in a
    demo wave: its sectors' values weighted by their adults; of one group only when
    `dimension` ("community", "gender", "age_band") and `category` are given."""
    result = wave_truth(wave)
    inside = None
    if place is not None:
        inside = set(
            Unit.objects.filter(kind=UnitKind.SECTOR, path__startswith=place.path).values_list(
                "pk", flat=True
            )
        )
    return result.place(inside, dimension=dimension, category=category)


# --- loading ------------------------------------------------------------------------------


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _target(population: float, scale: str) -> int:
    base = next(target for floor, target in TARGETS if population >= floor)
    return max(round(base * SCALE[scale]), 5)


def _margins(sectors: Sectors) -> dict[str, dict[str, float]]:
    """The population margins, rounded, each dimension summing to 1 exactly (the
    largest category takes the rounding)."""
    out: dict[str, dict[str, float]] = {}
    for dimension, shares in truth.margins(sectors.compositions, sectors.adults).items():
        rounded = {k: round(v, 5) for k, v in shares.items() if round(v, 5) > 0}
        largest = max(rounded, key=lambda k: rounded[k])
        rounded[largest] = round(1 - sum(v for k, v in rounded.items() if k != largest), 5)
        out[dimension] = rounded
    return out


@transaction.atomic
def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    version = get_published_version(SAFETY)
    root = Unit.objects.filter(parent__isnull=True, kind=UnitKind.DIRECTORATE).order_by("pk").first()
    if version is None or root is None or not Unit.objects.filter(kind=UnitKind.SECTOR).exists():
        return []
    builder = _Builder(scale=scale, seed=seed, today=today, version=version, root=root)
    counts = [builder.wave(index) for index in range(WAVES)]
    insert_rows(Response, builder.rows)
    invited, answered = builder.after_concern()
    held = sum(1 for row in builder.rows if row["status"] == ResponseStatus.HELD)
    # The open wave's fieldwork: start points drawn for its interviewers' sheets.
    current = Wave.objects.filter(version=version, status=WaveStatus.OPEN).order_by("-starts_on").first()
    points = len(sampling.draw_start_points(Actor.system(), wave=current)) if current else 0
    return [
        f"Surveys: {WAVES} waves of the safety-and-trust questionnaire at {root.name}, "
        f"{' + '.join(f'{n:,}' for n in counts)} responses (the latest wave open, {held} held for review), "
        f"drawn from a known truth (cpis.surveys.demo.demo_truth); targets for {len(builder.sectors.units)} "
        f"sectors and {points:,} start points drawn for the open wave's interviewers; {invited} invitations "
        f"after a closed concern, {answered} answered.",
    ]


class _Builder:
    def __init__(
        self, *, scale: str, seed: int, today: date, version: QuestionnaireVersion, root: Unit
    ) -> None:
        self.scale, self.seed, self.today, self.version, self.root = scale, seed, today, version, root
        self.rng = random.Random(seed + 14)  # noqa: S311 (demo data, reproducible)
        # Everything the demo writes happened before its day began.
        self.now = timezone.make_aware(datetime.combine(today, time()))
        self.sectors = Sectors.load(seed)
        self.planted = _planted(seed, today)
        self.questions = list(Question.objects.filter(version=version).prefetch_related("options"))
        self.options = {q.code: [o.code for o in q.options.all()] for q in self.questions}
        self.rows: list[dict[str, Any]] = []  # responses, by column
        users = get_user_model().objects.in_bulk(field_name="username")
        self.creator = users.get("directorate") or users.get("strategy.coordinator")
        self.reviewer = users.get("strategy.coordinator") or self.creator
        self.officer: dict[int, int] = {}
        for sector_id, user_id in (
            Assignment.objects.current(today)
            .filter(officer__user__isnull=False)
            .leader_first()
            .values_list("sector_id", "officer__user_id")
        ):
            self.officer.setdefault(sector_id, user_id)
        self.margins = _margins(self.sectors)
        serbian = {code for code, mix in truth.MUNICIPAL_COMMUNITIES.items() if mix.get("serb", 0) > 0.5}
        self.serbian = np.array(
            [bool(u.municipality and u.municipality.code in serbian) for u in self.sectors.units]
        )

    # --- a wave ---------------------------------------------------------------------------

    def wave(self, index: int) -> int:
        """Create wave `index` (0 the oldest) with its targets and margins, and draw its
        responses; returns how many."""
        years_ago = WAVES - 1 - index
        starts_on = _years_before(self.today - timedelta(days=OPEN_SINCE_DAYS), years_ago)
        is_open = years_ago == 0
        wave = Wave.objects.create(
            name=f"Siguria dhe besimi, vjeshtë {starts_on.year}",
            version=self.version,
            place=self.root,
            starts_on=starts_on,
            ends_on=starts_on + timedelta(days=FIELDWORK_DAYS),
            status=WaveStatus.OPEN if is_open else WaveStatus.CLOSED,
            seed=self.seed,
            created_by=self.creator,
        )
        units = self.sectors.units
        targets = [_target(p, self.scale) for p in self.sectors.population]
        WaveTarget.objects.bulk_create(
            WaveTarget(wave=wave, sector=u, target=t) for u, t in zip(units, targets, strict=True)
        )
        Margin.objects.bulk_create(
            Margin(wave=wave, dimension=dimension, category=category, share=share)
            for dimension in (Dimension.COMMUNITY, Dimension.GENDER, Dimension.AGE_BAND)
            for category, share in self.margins[dimension].items()
        )
        result = _compute(
            self.sectors, index=index, starts_on=starts_on, seed=self.seed, planted=self.planted
        )
        rng = np.random.default_rng([self.seed, 14, index])
        factor = rng.lognormal(0.0, 0.2, len(units))
        hard = rng.random(len(units)) < HARD_SECTORS
        factor = np.where(hard, rng.uniform(0.1, 0.3, len(units)), factor)
        achieved = rng.poisson(np.array(targets) * ACHIEVED * factor)
        if is_open:
            achieved = rng.binomial(achieved, OPEN_DONE)
        sector = np.repeat(np.arange(len(units)), achieved)
        cell = truth.respondents(self.sectors.compositions, sector, rng)
        answers = truth.draw_answers(result.model, sector, cell, rng)
        last_day = min(wave.ends_on, self.today - timedelta(days=1))
        self._respond(wave, index, sector, cell, answers, rng, last_day=last_day)
        return len(sector)

    def _events(self, wave: Wave, last_day: date) -> tuple[dict[int, list[Meeting]], dict[int, list[Any]]]:
        """The held forum meetings and the outreach activities of each sector during the wave."""
        meetings: dict[int, list[Meeting]] = defaultdict(list)
        for meeting in (
            Meeting.objects.filter(
                status=MeetingStatus.HELD,
                starts_at__date__gte=wave.starts_on,
                starts_at__date__lte=last_day,
                forum__unit__kind=UnitKind.SECTOR,
            )
            .select_related("forum")
            .order_by("starts_at", "pk")
        ):
            meetings[meeting.forum.unit_id].append(meeting)
        activities: dict[int, list[Any]] = defaultdict(list)
        for activity_id, unit_id, day in (
            OutreachActivity.objects.filter(happened_on__gte=wave.starts_on, happened_on__lte=last_day)
            .order_by("happened_on", "pk")
            .values_list("pk", "unit_id", "happened_on")
        ):
            activities[unit_id].append((activity_id, day))
        return meetings, activities

    def _respond(
        self,
        wave: Wave,
        index: int,
        sector: np.ndarray,
        cell: np.ndarray,
        answers: dict[str, np.ndarray],
        rng: np.random.Generator,
        *,
        last_day: date,
    ) -> None:
        n = len(sector)
        units = self.sectors.units
        meetings, activities = self._events(wave, last_day)
        age = truth.CELL_AGE[cell]
        portal = rng.random(n) < PORTAL_BY_AGE[age]
        roll = rng.random(n)
        days = (last_day - wave.starts_on).days + 1
        # Fieldwork front-loaded: more answers in its first weeks.
        day = np.minimum((rng.beta(1.2, 1.8, n) * FIELDWORK_DAYS).astype(int), days - 1)
        hour = np.where(portal, rng.integers(7, 24, n), rng.integers(9, 19, n))
        minute = rng.integers(0, 60, n)
        blank_all = rng.random(n) < BLANK_ALL
        blank_one = np.where(rng.random(n) < BLANK_ONE * 3, rng.integers(0, 3, n), -1)
        skips = {code: rng.random(n) < SKIP.get(code, SKIP_OTHER) for code in answers}
        writes = rng.random(n) < np.where(portal, TEXT_SHARE["portal"], TEXT_SHARE["other"])
        held = set(
            rng.choice(
                np.flatnonzero(portal), size=min(HELD[self.scale], int(portal.sum())), replace=False
            ).tolist()
        )
        is_open = wave.status == WaveStatus.OPEN
        zone = timezone.get_current_timezone()
        latest = datetime.combine(last_day, time(22))
        for r in range(n):
            s = int(sector[r])
            unit = units[s]
            community, gender, age_band = truth.CELLS[int(cell[r])]
            channel, meeting, outreach = Channel.DOOR, None, None
            submitted = datetime.combine(
                wave.starts_on + timedelta(days=int(day[r])), time(int(hour[r]), int(minute[r]))
            )
            if portal[r]:
                channel = Channel.PORTAL
            elif roll[r] < MEETING_SHARE and meetings.get(unit.pk):
                channel = Channel.MEETING
                meeting = meetings[unit.pk][r % len(meetings[unit.pk])]
                submitted = timezone.localtime(meeting.starts_at).replace(tzinfo=None) + timedelta(
                    minutes=90 + r % 30
                )
            elif roll[r] < MEETING_SHARE + OUTREACH_SHARE and activities.get(unit.pk):
                channel = Channel.OUTREACH
                outreach, on = activities[unit.pk][r % len(activities[unit.pk])]
                submitted = datetime.combine(on, time(11 + r % 4, int(minute[r])))
            elif roll[r] > 1 - PAPER_SHARE:
                channel = Channel.PAPER
            submitted = min(submitted, latest)
            language = self._language(community, bool(self.serbian[s]))
            background = {"community": community, "gender": gender, "age_band": age_band}
            if blank_all[r]:
                background = dict.fromkeys(background, "")
            elif blank_one[r] >= 0:
                background[("community", "gender", "age_band")[int(blank_one[r])]] = ""
            given = self._answers(answers, r, skips, language, bool(writes[r]))
            text = "issue_text" in given
            review: str = TextReview.NONE
            reviewed_at: datetime | None = None
            at = submitted.replace(tzinfo=zone)
            if text:
                review, reviewed_at = self._text_review(given, at, is_open, language)
            device = ""
            if channel == Channel.PORTAL:
                device = hashlib.sha256(f"demo-device:{self.seed}:{index}:{r}".encode()).hexdigest()
            row = {
                "version_id": self.version.pk,
                "wave_id": wave.pk,
                "sector_id": unit.pk,
                "municipality_id": unit.municipality_id,
                "channel": channel,
                "meeting_id": meeting.pk if meeting else None,
                "outreach_id": outreach,
                "language": language,
                "answers": given,
                "text_review": review,
                "status": ResponseStatus.ACCEPTED,
                "device": device,
                "idempotency_key": f"demo:{wave.pk}:{r}",
                "entered_by_id": None if channel == Channel.PORTAL else self.officer.get(unit.pk),
                "submitted_at": at,
                "reviewed_at": reviewed_at,
                **background,
            }
            self.rows.append(row)
            if r in held:
                self.rows.append(self._again(row, is_open))

    def _language(self, community: str, serbian_area: bool) -> str:
        if community == "roma" and serbian_area:
            return "sr"
        choices, weights = LANGUAGES[community]
        return self.rng.choices(choices, weights)[0]

    def _answers(
        self, drawn: dict[str, np.ndarray], r: int, skips: dict[str, np.ndarray], language: str, writes: bool
    ) -> dict[str, Any]:
        """The respondent's answers to the version's questions, in their stored form:
        the truth's draws for the items it models, a plausible answer otherwise."""
        given: dict[str, Any] = {}
        for question in self.questions:
            code, kind = question.code, question.kind
            if code in drawn and code in skips and skips[code][r] and not question.required:
                continue
            value: Any = None
            if code == truth.ISSUE_ITEM and kind == QuestionKind.SINGLE:
                option = truth.TOP_ISSUES[int(drawn[code][r])]
                value = option if option in self.options[code] else self.rng.choice(self.options[code])
            elif code in drawn and kind in (QuestionKind.AGREE5, QuestionKind.SCORE10, QuestionKind.YESNO):
                value = int(drawn[code][r])
            elif kind == QuestionKind.TEXT:
                continue
            else:
                value = self._any_answer(question)
            if value is not None:
                given[code] = value
        issue = given.get(truth.ISSUE_ITEM)
        text_question = next((q for q in self.questions if q.kind == QuestionKind.TEXT), None)
        if writes and issue and text_question is not None:
            pool = ISSUE_TEXT[
                "sr" if language.startswith("sr") else language if language in ISSUE_TEXT else "sq"
            ]
            words = (
                POINTED_TEXT[
                    "sr" if language.startswith("sr") else language if language in POINTED_TEXT else "sq"
                ]
                if self.rng.random() < WITHHELD_SHARE
                else self.rng.choice(pool.get(issue, pool["other"]))
            )
            given[text_question.code] = to_serbian_latin(words) if language == "sr-latn" else words
        return given

    def _any_answer(self, question: Question) -> Any:
        """An answer of the right kind to a question the truth does not model."""
        kind = question.kind
        if kind == QuestionKind.AGREE5:
            return self.rng.choices([1, 2, 3, 4, 5], [1, 2, 3, 4, 2])[0]
        if kind == QuestionKind.SCORE10:
            return self.rng.randint(3, 9)
        if kind == QuestionKind.YESNO:
            return self.rng.randint(0, 1)
        options = self.options.get(question.code) or []
        if kind == QuestionKind.SINGLE and options:
            return self.rng.choice(options)
        if kind == QuestionKind.MULTIPLE and options:
            return self.rng.sample(options, k=self.rng.randint(1, min(2, len(options))))
        return None

    def _text_review(
        self, given: dict[str, Any], at: datetime, is_open: bool, language: str
    ) -> tuple[str, datetime | None]:
        """Free text is reviewed within days; in the open wave the last ten days' wait."""
        now = self.now
        reviewed = at + timedelta(days=self.rng.randint(1, 6), hours=self.rng.randint(0, 5))
        if is_open and (reviewed > now or (now - at).days < 10):
            return TextReview.PENDING, None
        pointed = any(
            text in given.values() for text in (*POINTED_TEXT.values(), to_serbian_latin(POINTED_TEXT["sr"]))
        )
        return (TextReview.WITHHELD if pointed else TextReview.CLEARED), reviewed

    def _again(self, first: dict[str, Any], is_open: bool) -> dict[str, Any]:
        """A second answer from the same device, a little kinder: held in the open
        wave, not counted (after review) in a closed one."""
        given = {k: v for k, v in first["answers"].items() if k not in ("issue_text",)}
        for code in truth.AGREE_ITEMS:
            if code in given:
                given[code] = min(5, int(given[code]) + 1)
        at = first["submitted_at"] + timedelta(hours=self.rng.randint(1, 30))
        if is_open:
            at = min(at, self.now - timedelta(hours=2))
        return {
            **first,
            "answers": given,
            "text_review": TextReview.NONE,
            "status": ResponseStatus.HELD if is_open else ResponseStatus.REJECTED,
            "held_reason": "device",
            "idempotency_key": f"{first['idempotency_key']}:again",
            "submitted_at": at,
            "reviewed_at": None if is_open else at + timedelta(days=2),
        }

    # --- after a concern ------------------------------------------------------------------

    def after_concern(self) -> tuple[int, int]:
        """Invitations to the reporters of concerns closed in the last year who left a
        way to reach them; some answered, within the month the link is open."""
        version = get_published_version(AFTER_CONCERN)
        if version is None:
            return 0, 0
        now = self.now
        since = now - timedelta(days=365)
        candidates = list(
            Concern.objects.filter(
                status__in=CLOSED_STATUSES, closed_at__gte=since, closed_at__lt=now, sector__isnull=False
            )
            .exclude(reporter_email="", reporter_phone="")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        rng = random.Random(self.seed + 15)  # noqa: S311 (demo data and tokens, reproducible)
        picked = sorted(rng.sample(candidates, k=min(INVITATIONS[self.scale], len(candidates))))
        chosen = list(Concern.objects.filter(pk__in=picked).select_related("sector").order_by("pk"))
        invitations = []
        for concern in chosen:
            closed = concern.closed_at or now  # closed concerns only: it is set
            sent = min(closed + timedelta(days=1), now)
            token = f"{rng.getrandbits(128):032x}"
            invitations.append(
                Invitation(
                    concern=concern,
                    version=version,
                    token_hash=hashlib.sha256(token.encode()).hexdigest(),
                    sent_at=sent,
                    expires_at=sent + timedelta(days=30),
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=1000)
        questions = list(Question.objects.filter(version=version).prefetch_related("options"))
        codes = {q.code for q in questions}
        answered: list[tuple[Invitation, Response]] = []
        for n, invitation in enumerate(invitations):
            if rng.random() >= ANSWERED:
                continue
            concern = invitation.concern
            at = invitation.sent_at + timedelta(hours=rng.randint(2, 24 * 20))
            if at >= now:
                continue
            fixed = rng.choices(["yes", "partly", "no"], FIXED.get(concern.status, (0.3, 0.3, 0.4)))[0]
            eta = {"yes": 1.3, "partly": 0.0, "no": -1.3}[fixed] + rng.gauss(0, 0.8)
            language = concern.language if concern.language in ("sq", "sr", "sr-latn", "en") else "sq"
            given: dict[str, Any] = {
                "fixed": fixed,
                "handled_well": _agree(eta, rng),
                "kept_informed": _agree(eta - 0.4, rng),
                "report_again": int(rng.random() < 1 / (1 + np.exp(-(eta + 0.9)))),
            }
            if rng.random() < 0.12:
                words = rng.choice(COMMENTS["sr" if language.startswith("sr") else language])
                given["comment"] = to_serbian_latin(words) if language == "sr-latn" else words
            given = {k: v for k, v in given.items() if k in codes}
            response = Response(
                version=version,
                sector=concern.sector,
                municipality_id=concern.sector.municipality_id if concern.sector else None,
                channel=Channel.AFTER_CONCERN,
                language=language,
                answers=given,
                text_review=TextReview.CLEARED if "comment" in given else TextReview.NONE,
                device=hashlib.sha256(f"invitation:{invitation.pk}".encode()).hexdigest(),
                idempotency_key=f"demo:after-concern:{n}",
                submitted_at=at,
                reviewed_at=at + timedelta(days=2) if "comment" in given else None,
            )
            answered.append((invitation, response))
        Response.objects.bulk_create([response for _i, response in answered], batch_size=1000)
        for invitation, response in answered:
            invitation.response = response
        Invitation.objects.bulk_update([i for i, _r in answered], ["response"], batch_size=1000)
        return len(invitations), len(answered)


def insert_rows(model: type[models.Model], rows: list[dict[str, Any]], *, batch: int = 5000) -> None:
    """Insert rows (column attname → value; a missing column takes its field's
    default) in large batches of one statement each, without building model
    instances: bulk_create spends most of its time preparing each field of each
    instance (seconds for the demo's 30,000 responses), this a fraction of one."""
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    adapt = [_adapter(f) for f in fields]
    defaults = [f.get_default() for f in fields]
    names = [f.attname for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    values = [
        [a(row.get(name, default)) for name, default, a in zip(names, defaults, adapt, strict=True)]
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(values), batch):
            cursor.executemany(sql, values[start : start + batch])


def _adapter(field: models.Field) -> Any:
    ops = connection.ops
    if isinstance(field, models.JSONField):
        return lambda value: ops.adapt_json_value(value, field.encoder)
    if isinstance(field, models.DateTimeField):
        return ops.adapt_datetimefield_value
    return lambda value: value


def _agree(eta: float, rng: random.Random) -> int:
    """An answer 1–5 of the ordered logit at η (truth.CUT_POINTS)."""
    u = rng.random()
    answer = 1
    for cut in truth.CUT_POINTS:
        if u < 1 / (1 + np.exp(-(eta - cut))):
            answer += 1
    return answer
