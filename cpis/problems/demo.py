"""Demo problem solving, consistent with the other demos: a few hundred
problems across the country in every SARA stage — some taken up from the
emerging clusters the analytics demo found, some from citizens' concerns,
some by hand — with triangles, hypotheses, actions (some overdue) and teams;
the dozen chronic problems the incidents demo planted (cpis/incidents/demo.py
`planted_problems`), each opened before its response day, worked, and
assessed from the incidents by the real assessment, which must find what was
planted (a fall, a fall with displacement into the buffer, or no effect);
agreed and proposed sector priorities; published summaries of the solved
ones; and a register of vulnerable persons and groups per station.

Officers write in Albanian here (stored as written); reference data is
translated. Deterministic for a seed and day."""

import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from cpis.analytics.models import ClusterStatus, EmergingCluster
from cpis.concerns.models import Category as ConcernCategory
from cpis.concerns.models import Concern
from cpis.forums.models import Forum, Meeting, MeetingStatus
from cpis.incidents import demo as incidents_demo
from cpis.incidents.models import IncidentCategory
from cpis.organisation.access import Actor
from cpis.organisation.demo import delete_demo_rows, demo_names
from cpis.organisation.models import (
    Assignment,
    Officer,
    Role,
    RoleGrant,
    Settlement,
    Unit,
    UnitKind,
    station_path,
)
from cpis.organisation.selectors import locate_sectors
from cpis.partners.models import Partner

from .models import Action as ProblemAction
from .models import (
    ActionStatus,
    AgreedBy,
    Change,
    Hypothesis,
    HypothesisStatus,
    LegalBasis,
    MemberKind,
    Outcome,
    PriorityStatus,
    Problem,
    PublicSummary,
    Reading,
    SectorPriority,
    Side,
    Source,
    SourceKind,
    Stage,
    SummaryStatus,
    TeamMember,
    Technique,
    TriangleEntry,
    Vulnerability,
    VulnerableEntry,
    VulnerableKind,
)

PROBLEMS = {"small": 40, "standard": 300, "national": 500}
WINDOW_DAYS = 182
# The concern category that goes with an incident category, for the problems'
# concern categories and the concerns linked as their sources.
CONCERN_OF = {
    "burglary": "property-crime",
    "theft": "property-crime",
    "vehicle-theft": "property-crime",
    "criminal-damage": "property-crime",
    "robbery": "property-crime",
    "public-order": "public-order",
    "assault": "public-order",
    "drugs": "narcotics",
    "weapons": "weapons",
    "domestic-violence": "domestic-violence",
    "traffic-offence": "traffic-safety",
}


@dataclass(frozen=True)
class Script:
    """How an officer writes up a problem of one category (in Albanian, as written)."""

    title: str  # {place}
    victim: tuple[str, str]  # who or what, its guardian
    offender: tuple[str, str]  # who, their handler
    place: tuple[str, str]  # where, its manager
    hypotheses: tuple[str, str]
    actions: tuple[tuple[str, str], ...]  # (what, Technique)


SCRIPTS = {
    "burglary": Script(
        "Vjedhje me thyerje në shtëpi në {place}",
        ("Shtëpi të pabanuara gjatë ditës, sidomos të mërgimtarëve", "Fqinjët, anëtarët e familjes"),
        ("Grup i vogël që lëviz me veturë, vjen në mbrëmje", "Familjet, shërbimi sprovues"),
        ("Rrugë periferike pa ndriçim", "Komuna (ndriçimi publik)"),
        (
            "Vjedhjet ndodhin në orët 17–21 në dimër, kur errësohet herët",
            "Shtëpitë e mërgimtarëve janë shënjestër sepse dihet se janë bosh",
        ),
        (
            ("Ndriçim publik në rrugët periferike me komunën", Technique.NATURAL_SURVEILLANCE),
            ("Patrullë në mbrëmje në orët 17–21", Technique.FORMAL_SURVEILLANCE),
            ("Takime me fqinjët: 'Rojë e lagjes'", Technique.EXTEND_GUARDIANSHIP),
            ("Këshilla për brava dhe dritare për banorët", Technique.TARGET_HARDEN),
        ),
    ),
    "theft": Script(
        "Vjedhje në tregun dhe rrugët përreth në {place}",
        ("Blerësit në treg, sidomos të moshuarit", "Shitësit e tregut"),
        ("Të rinj që veprojnë në grup në orët e pikut", "Prindërit, shkolla"),
        ("Tregu i hapur dhe stacioni i autobusëve", "Administrata e tregut"),
        (
            "Vjedhjet përqendrohen të premten dhe të shtunën para dite",
            "Mungesa e kamerave në hyrjen jugore të tregut",
        ),
        (
            ("Kamera në hyrjet e tregut me administratën", Technique.FORMAL_SURVEILLANCE),
            ("Njoftime për blerësit: 'Ruani çantën'", Technique.ALERT_CONSCIENCE),
            ("Shitësit caktojnë një person kontakti me policinë", Technique.PLACE_MANAGERS),
        ),
    ),
    "vehicle-theft": Script(
        "Vjedhje automjetesh në parkingjet e {place}",
        ("Automjete të vjetra pa alarm", "Pronarët"),
        ("Rrjet që i çmonton automjetet për pjesë", "—"),
        ("Parkingje pa roje pranë bulevardit", "Kompania e parkingut"),
        ("Automjetet vidhen natën, 00–04", "Pjesët shiten në tregun e pjesëve të përdorura"),
        (
            ("Roje dhe kamera në parking me kompaninë", Technique.CONTROL_ACCESS),
            ("Kontrolle në tregun e pjesëve të përdorura", Technique.DISRUPT_MARKETS),
            ("Shenjim i pjesëve me numrin e shasisë", Technique.IDENTIFY_PROPERTY),
        ),
    ),
    "criminal-damage": Script(
        "Dëmtime të pronës publike në {place}",
        ("Ndriçimi, stolat dhe stacionet e autobusit", "Komuna"),
        ("Të rinj pas mbylljes së lokaleve", "Prindërit, klubet sportive"),
        ("Parku qendror", "Ndërmarrja komunale e parqeve"),
        ("Dëmtimet ndodhin të shtunën natën", "Parku nuk ka ndriçim pas orës 23"),
        (
            ("Riparim i shpejtë i dëmtimeve me komunën", Technique.DENY_BENEFITS),
            ("Aktivitete sportive në mbrëmje me klubet", Technique.REDUCE_FRUSTRATION),
            ("Ndriçim gjatë gjithë natës në park", Technique.NATURAL_SURVEILLANCE),
        ),
    ),
    "public-order": Script(
        "Prishje e rendit publik pranë lokaleve në {place}",
        ("Banorët e rrugës me lokale", "Banorët, këshilli i lagjes"),
        ("Mysafirë të dehur pas mesnatës", "Pronarët e lokaleve"),
        ("Rruga me lokale", "Pronarët e lokaleve, inspektorati komunal"),
        ("Incidentet ndodhin pas orës 01 kur mbyllen lokalet njëkohësisht", "Shitja e alkoolit pas orarit"),
        (
            ("Marrëveshje me lokalet për mbyllje të shkallëzuar", Technique.AVOID_DISPUTES),
            ("Kontroll i orarit të shitjes së alkoolit", Technique.CONTROL_DRUGS_ALCOHOL),
            ("Patrullë këmbësore të premten dhe të shtunën", Technique.FORMAL_SURVEILLANCE),
        ),
    ),
    "drugs": Script(
        "Shitje e narkotikëve pranë shkollës në {place}",
        ("Nxënësit e shkollës së mesme", "Mësuesit, prindërit"),
        ("Shitës të njohur nga lagjja fqinje", "—"),
        ("Parku pas shkollës", "Drejtoria e shkollës, komuna"),
        ("Shitja ndodh pas mësimit, 13–16", "Parku pas shkollës nuk shihet nga rruga"),
        (
            ("Ligjërata për narkotikët në shkollë", Technique.ALERT_CONSCIENCE),
            ("Prerje e shkurreve dhe ndriçim në park", Technique.NATURAL_SURVEILLANCE),
            ("Prani e policisë pas mësimit", Technique.FORMAL_SURVEILLANCE),
        ),
    ),
}
GENERIC = Script(
    "{category} e përsëritur në {place}",
    ("Banorët e lagjes", "Familjet, fqinjët"),
    ("Persona të njohur për policinë", "—"),
    ("Lagjja", "Komuna"),
    ("Rastet përqendrohen në fundjavë", "Rastet lidhen me një grup të vogël personash"),
    (
        ("Takim me banorët dhe forumin", Technique.EXTEND_GUARDIANSHIP),
        ("Patrullë e shtuar", Technique.FORMAL_SURVEILLANCE),
    ),
)
CLOSE_REASONS: dict[str, str] = {
    Outcome.SOLVED: "Banorët dhe forumi konfirmojnë se problemi nuk është përsëritur prej muajsh.",
    Outcome.NOT_A_PROBLEM: "Rastet ishin të rastësishme dhe nuk kanë shkak të përbashkët.",
    Outcome.NOT_SOLVED: "Përgjigjja nuk solli ndryshim; problemi i kaloi stacionit për një qasje tjetër.",
}
SUMMARY = {
    # (title, body) in Albanian and Serbian (Cyrillic); {category} and {place} filled in.
    "sq": (
        "{category} në {place}: më pak raste pas punës me bashkësinë",
        "Banorët e {place} na raportuan {category_lower} të përsëritur. Së bashku me forumin e sigurisë "
        "dhe partnerët lokalë analizuam ku dhe kur ndodhnin rastet dhe ndërmorëm masa: {actions}. "
        "Në gjashtë muajt pas fillimit të masave u regjistruan {after} raste, krahasuar me {before} në "
        "gjashtë muajt para tyre. Faleminderit të gjithëve që raportuan dhe ndihmuan.",
    ),
    "sr": (
        "{category} у {place}: мање случајева после рада са заједницом",
        "Становници {place} пријавили су нам поновљене случајеве: {category_lower}. Заједно са "
        "безбедносним форумом и локалним партнерима анализирали смо где и када се дешавају и предузели "
        "мере ({actions_count}). У шест месеци после почетка мера забележено је {after} случајева, у "
        "односу на {before} у шест месеци пре њих. Хвала свима који су пријавили и помогли.",
    ),
}


def clear_demo() -> None:
    delete_demo_rows(PublicSummary, SectorPriority, Problem, VulnerableEntry)


@transaction.atomic
def load_demo(*, scale: str, seed: int, today: date) -> list[str]:
    if not Unit.objects.filter(kind=UnitKind.SECTOR).exists():
        return []
    builder = _Builder(scale=scale, seed=seed, today=today)
    planted = builder.planted()
    others = builder.others(PROBLEMS[scale] - len(planted))
    priorities = builder.priorities()
    summaries = builder.summaries(planted)
    vulnerable = builder.vulnerable()
    ended = [(site, problem) for site, problem in planted if (today - _response(problem)).days > WINDOW_DAYS]
    found = sum(1 for site, problem in ended if _matches(site.effect, problem))
    return [
        f"Problems: {len(planted) + len(others)} in every SARA stage; {len(planted)} planted chronic "
        f"problems assessed from the incidents: {found} of the {len(ended)} whose after-window has "
        "ended read as planted.",
        f"Problems: {priorities} sector priorities, {summaries} published summaries, "
        f"{vulnerable} vulnerable persons and groups.",
    ]


def _response(problem: Problem) -> date:
    return problem.assessment.response_date


def _matches(effect: str, problem: Problem) -> bool:
    """Does the assessment read what was planted? A fall is found when the target's
    rate ratio lies below 1 or, against the control area (which takes out the
    season and the station's trend), the relative effect lies above 1, and it
    reads as displacement exactly when some of it was moved into the buffer; no
    effect is found when the relative effect's interval covers 1."""
    a = problem.assessment
    if a.relative_effect_low is None or a.relative_effect_high is None:
        return False
    if effect == "none":
        return a.relative_effect_low <= 1 <= a.relative_effect_high
    fell = (a.rate_ratio_high is not None and a.rate_ratio_high < 1) or a.relative_effect_low > 1
    return fell and (a.reading == Reading.DISPLACEMENT) == (effect == "displaced")


def _circle(lon: float, lat: float, metres: float, vertices: int = 48) -> dict[str, Any]:
    """A circle as a GeoJSON polygon (longitude, latitude), `metres` in radius."""
    per_lat = 111_320.0
    per_lon = per_lat * math.cos(math.radians(lat))
    ring = [
        [
            round(lon + metres * math.cos(2 * math.pi * k / vertices) / per_lon, 7),
            round(lat + metres * math.sin(2 * math.pi * k / vertices) / per_lat, 7),
        ]
        for k in range(vertices)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class _Builder:
    def __init__(self, *, scale: str, seed: int, today: date) -> None:
        self.scale, self.seed, self.today = scale, seed, today
        self.rng = random.Random(seed + 13)
        self.sectors = list(
            Unit.objects.filter(kind=UnitKind.SECTOR).select_related("parent").order_by("path")
        )
        self.by_id = {s.pk: s for s in self.sectors}
        self.categories = {c.code: c for c in IncidentCategory.objects.all()}
        self.concern_categories = {c.code: c for c in ConcernCategory.objects.all()}
        users = get_user_model().objects.in_bulk(field_name="username")
        self.leader = users.get("sector.leader")
        self.commander = users.get("station.commander")
        self.officer_user = users.get("sector.officer")
        self.team: dict[int, list[Officer]] = {}
        for assignment in Assignment.objects.current(today).select_related("officer").leader_first():
            self.team.setdefault(assignment.sector_id, []).append(assignment.officer)
        self.partners: dict[str, list[Partner]] = {}
        for partner in Partner.objects.filter(is_active=True).order_by("pk"):
            self.partners.setdefault(station_path(partner.unit_path), []).append(partner)
        self.forums: dict[str, list[Forum]] = {}
        for forum in Forum.objects.order_by("pk"):
            self.forums.setdefault(station_path(forum.unit_path), []).append(forum)
        self.problems: list[Problem] = []

    # --- the planted problems, assessed ---------------------------------------------

    def planted(self) -> list[tuple[Any, Problem]]:
        from .services import assessment

        sites = incidents_demo.demo_planted_problems(scale=self.scale, seed=self.seed, today=self.today)
        if not sites:
            return []
        sector_ids = locate_sectors(lats=[s.lat for s in sites], lons=[s.lon for s in sites])
        done: list[tuple[Any, Problem]] = []
        for site, sector_id in zip(sites, sector_ids.tolist(), strict=True):
            sector = self.by_id.get(sector_id)
            if sector is None or site.code not in self.categories:
                continue
            response = date.fromordinal(site.response_day)
            problem = self._problem(
                sector,
                site.code,
                opened=response - timedelta(days=self.rng.randint(60, 120)),
                area=_circle(site.lon, site.lat, incidents_demo.TARGET_METRES),
            )
            self._work(problem, stage=Stage.ASSESSMENT, response=response)
            assessment.assess_problem(
                Actor.system(),
                problem=problem,
                response_date=response,
                window_days=WINDOW_DAYS,
                buffer_m=int(incidents_demo.BUFFER_METRES),
                today=self.today,
            )
            problem.refresh_from_db()
            if (self.today - response).days > WINDOW_DAYS:
                outcome = {
                    "fall": self.rng.choice([Outcome.SOLVED, Outcome.REDUCED]),
                    "displaced": Outcome.DISPLACED,
                    "none": Outcome.NOT_SOLVED,
                }[site.effect]
                self._close(problem, outcome, response + timedelta(days=WINDOW_DAYS + 10))
            done.append((site, problem))
        return done

    # --- the others -------------------------------------------------------------------

    def others(self, count: int) -> list[Problem]:
        """Problems at random sectors (half of the scan's candidate clusters taken up),
        after a handful in every stage at the demo sector leader's own sector."""
        codes = [c for c in incidents_demo.CATEGORY_MIX if c in self.categories]
        weights = [incidents_demo.CATEGORY_MIX[c][0] for c in codes]
        clusters = list(
            EmergingCluster.objects.filter(status=ClusterStatus.CANDIDATE, subject="incidents").order_by("pk")
        )
        home = self._home_sector()
        home_stages = [Stage.SCANNING, Stage.ANALYSIS, Stage.RESPONSE, Stage.RESPONSE, Stage.ASSESSMENT]
        made = []
        stages = [
            (Stage.SCANNING, 25),
            (Stage.ANALYSIS, 20),
            (Stage.RESPONSE, 30),
            (Stage.ASSESSMENT, 5),
            (Stage.CLOSED, 20),
        ]
        for i in range(max(count, 0)):
            cluster = clusters[i] if i < len(clusters) // 2 else None
            at_home = home is not None and i < len(home_stages)
            if at_home and home is not None:
                cluster = None
                sector, code = home, ("burglary", "theft")[i % 2]
                opened = self.today - timedelta(days=40 + 60 * i)
            elif (
                cluster is not None and cluster.unit_id in self.by_id and cluster.category in self.categories
            ):
                sector, code = self.by_id[cluster.unit_id], cluster.category
                opened = min(cluster.last_detected_on, self.today)
            else:
                cluster = None
                sector = self.rng.choice(self.sectors)
                code = self.rng.choices(codes, weights)[0]
                opened = self.today - timedelta(days=self.rng.randint(5, 720))
            problem = self._problem(sector, code, opened=opened, cluster=cluster)
            stage = self.rng.choices([s for s, _w in stages], [w for _s, w in stages])[0]
            if at_home:
                stage = home_stages[i]
            elif cluster is not None or (self.today - opened).days < 30:
                stage = Stage.SCANNING if (self.today - opened).days < 10 else Stage.ANALYSIS
            self._work(problem, stage=Stage.RESPONSE if stage == Stage.CLOSED else stage, response=None)
            if stage == Stage.CLOSED:
                outcome = self.rng.choice([Outcome.SOLVED, Outcome.NOT_A_PROBLEM, Outcome.NOT_SOLVED])
                self._close(
                    problem, outcome, min(opened + timedelta(days=self.rng.randint(60, 300)), self.today)
                )
            elif at_home and stage == Stage.ASSESSMENT:
                self._assess_as_found(problem, response=opened + timedelta(days=30))
            made.append(problem)
        return made

    def _home_sector(self) -> Unit | None:
        """The sector of the demo's `sector.leader` login, so that it has problems to work."""
        grant = (
            RoleGrant.objects.filter(user=self.leader, role=Role.SECTOR_LEADER).first()
            if self.leader
            else None
        )
        return self.by_id.get(grant.unit_id) if grant is not None else None

    def _assess_as_found(self, problem: Problem, *, response: date) -> None:
        """An assessment of whatever the demo incidents show there (nothing planted):
        what the sector leader reads on the Assessment tab. None when the records
        do not allow one (no incidents before the response date)."""
        from cpis.core.errors import InvalidInput

        from .services import assessment

        try:
            assessment.assess_problem(
                Actor.system(),
                problem=problem,
                response_date=min(response, self.today - timedelta(days=1)),
                window_days=WINDOW_DAYS,
                buffer_m=int(incidents_demo.BUFFER_METRES),
                today=self.today,
            )
        except InvalidInput:
            return

    # --- one problem ------------------------------------------------------------------

    def _problem(
        self,
        sector: Unit,
        code: str,
        *,
        opened: date,
        area: dict[str, Any] | None = None,
        cluster: EmergingCluster | None = None,
    ) -> Problem:
        category = self.categories[code]
        script = SCRIPTS.get(code, GENERIC)
        place = sector.name_sq
        owners = self.team.get(sector.pk) or list(Officer.objects.filter(unit=sector.parent)[:1])
        problem = Problem.objects.create(
            title=script.title.format(place=place, category=category.name_sq)[:200],
            description=f"{category.name_sq}: raste të përsëritura në {place}, të raportuara nga banorët dhe "
            "të regjistruara nga policia.",
            unit=sector,
            unit_path=sector.path,
            area=area or (cluster.area if cluster is not None else {}),
            owner=owners[0] if owners else None,
            opened_by=self.leader,
            created_at=_at(opened),
        )
        problem.incident_categories.set([category])
        concern_category = self.concern_categories.get(CONCERN_OF.get(code, ""))
        if concern_category is not None:
            problem.concern_categories.set([concern_category])
        Change.objects.create(
            problem=problem, by=self.leader, at=_at(opened), what="opened", details={"to": "scanning"}
        )
        if cluster is not None:
            Source.objects.create(
                problem=problem,
                kind=SourceKind.CLUSTER,
                cluster=cluster,
                label=str(cluster),
                linked_by=self.leader,
                linked_at=_at(opened),
            )
            EmergingCluster.objects.filter(pk=cluster.pk).update(
                status=ClusterStatus.ACCEPTED, reviewed_by=self.leader, reviewed_at=_at(opened)
            )
        if concern_category is not None:
            concerns = Concern.objects.filter(
                sector=sector, category=concern_category, created_at__lte=_at(opened)
            ).order_by("-created_at")[: self.rng.randint(0, 3)]
            for concern in concerns:
                Source.objects.create(
                    problem=problem,
                    kind=SourceKind.CONCERN,
                    concern=concern,
                    label=concern.reference,
                    linked_by=self.leader,
                    linked_at=_at(opened),
                )
        self.problems.append(problem)
        return problem

    def _work(self, problem: Problem, *, stage: str, response: date | None) -> None:
        """Take the problem through the stages up to `stage`, with what each adds."""
        code = problem.incident_categories.all()[0].code
        script = SCRIPTS.get(code, GENERIC)
        opened = timezone.localdate(problem.created_at)
        order: list[str] = [Stage.SCANNING, Stage.ANALYSIS, Stage.RESPONSE, Stage.ASSESSMENT]
        reached = order.index(stage)
        day = opened
        for step in order[1 : reached + 1]:
            day = min(day + timedelta(days=self.rng.randint(7, 30)), self.today)
            if step == Stage.ANALYSIS:
                self._analysis(problem, script)
            if step == Stage.RESPONSE:
                self._response(problem, script, start=response or day)
            Change.objects.create(
                problem=problem,
                by=self.leader,
                at=_at(day, 11),
                what="stage",
                details={"from": order[order.index(step) - 1], "to": step, "note": ""},
            )
        Problem.objects.filter(pk=problem.pk).update(stage=stage)
        problem.stage = stage

    def _analysis(self, problem: Problem, script: Script) -> None:
        for side, (who, controller) in (
            (Side.VICTIM, script.victim),
            (Side.OFFENDER, script.offender),
            (Side.PLACE, script.place),
        ):
            TriangleEntry.objects.create(
                problem=problem, side=side, description=who, controller=controller, recorded_by=self.leader
            )
        for i, text in enumerate(script.hypotheses):
            Hypothesis.objects.create(
                problem=problem,
                text=text,
                status=HypothesisStatus.SUPPORTED if i == 0 else HypothesisStatus.OPEN,
                evidence="Profili orë × ditë i panelit të të dhënave." if i == 0 else "",
                recorded_by=self.leader,
            )
        Problem.objects.filter(pk=problem.pk).update(
            routine_activity="Shënjestrat janë të pambrojtura në orët kur kryesit lëvizin në zonë; "
            "mungon një roje e aftë (fqinjët, ndriçimi, patrulla)."
        )

    def _response(self, problem: Problem, script: Script, *, start: date) -> None:
        station = station_path(problem.unit_path)
        partners = self.partners.get(station, [])
        forums = self.forums.get(station, [])
        for i, (title, technique) in enumerate(script.actions):
            due = start + timedelta(days=14 + 14 * i)
            finished = due <= self.today and self.rng.random() < 0.8
            partner = partners[i % len(partners)] if partners and i == 0 else None
            if partner is None and problem.owner is None:
                continue  # an action needs an officer or a partner to own it
            ProblemAction.objects.create(
                problem=problem,
                title=title,
                technique=technique,
                owner_officer=None if partner else problem.owner,
                owner_partner=partner,
                forum=forums[0] if forums and i == 2 else None,
                due_on=due,
                status=ActionStatus.DONE if finished else ActionStatus.IN_PROGRESS,
                done_on=min(due, self.today) if finished else None,
                evidence="Procesverbali i takimit dhe fotografi të bashkëngjitura." if finished else "",
                created_by=self.leader,
            )
        if partners:
            TeamMember.objects.get_or_create(
                problem=problem,
                partner=partners[0],
                defaults={"kind": MemberKind.PARTNER, "added_by": self.leader},
            )
        if forums:
            TeamMember.objects.get_or_create(
                problem=problem, forum=forums[0], defaults={"kind": MemberKind.FORUM, "added_by": self.leader}
            )

    def _close(self, problem: Problem, outcome: str, day: date) -> None:
        reason = "" if hasattr(problem, "assessment") else CLOSE_REASONS.get(outcome, "")
        Change.objects.create(
            problem=problem,
            by=self.commander,
            at=_at(day, 12),
            what="closed",
            details={"from": problem.stage, "outcome": outcome, "note": reason},
        )
        Problem.objects.filter(pk=problem.pk).update(
            stage=Stage.CLOSED,
            outcome=outcome,
            outcome_reason=reason,
            closed_at=_at(day, 12),
            closed_by=self.commander,
        )

    # --- priorities, summaries, the register ------------------------------------------

    def priorities(self) -> int:
        """Agreed priorities in a third of the sectors (each with one proposal
        waiting and, in some, one retired), agreed at a held forum meeting when
        the station has one, else by the station."""
        meetings: dict[str, Meeting] = {}
        for held in (
            Meeting.objects.filter(status=MeetingStatus.HELD).select_related("forum").order_by("-starts_at")
        ):
            meetings.setdefault(station_path(held.forum.unit_path), held)
        by_sector: dict[int, list[Problem]] = {}
        for problem in self.problems:
            by_sector.setdefault(problem.unit_id, []).append(problem)
        made = 0
        for sector in self.sectors[:: 3 if len(self.sectors) > 6 else 1]:
            problems = by_sector.get(sector.pk, [])
            codes = sorted({p.incident_categories.all()[0].code for p in problems}) or [
                "burglary",
                "public-order",
            ]
            meeting = meetings.get(station_path(sector.path))
            for rank, code in enumerate(codes[:3], start=1):
                category = self.categories[code]
                agreed_on = (
                    timezone.localdate(meeting.starts_at) if meeting else self.today - timedelta(days=40)
                )
                priority = SectorPriority.objects.create(
                    unit=sector,
                    unit_path=sector.path,
                    issue=category.name_sq,
                    what_is_done="Patrulla të shtuara në orët me më shumë raste dhe takime me banorët.",
                    proposal={"subject": "incidents", "category": code, "name": category.name_sq},
                    from_concerns=CONCERN_OF.get(code) is not None and rank % 2 == 1,
                    rank=rank,
                    status=PriorityStatus.AGREED,
                    agreed_by_kind=AgreedBy.FORUM if meeting else AgreedBy.STATION,
                    meeting=meeting,
                    agreed_on=agreed_on,
                    agreed_by=self.leader,
                )
                priority.problems.set([p for p in problems if p.incident_categories.all()[0].code == code])
                Change.objects.create(
                    priority=priority, by=self.leader, what="agreed", details={"to": "agreed"}
                )
                made += 1
            SectorPriority.objects.create(
                unit=sector,
                unit_path=sector.path,
                issue=self.categories["traffic-offence"].name_sq
                if "traffic-offence" in self.categories
                else "Trafik",
                proposal={"subject": "incidents", "category": "traffic-offence"},
                rank=len(codes[:3]) + 1,
                status=PriorityStatus.PROPOSED,
            )
            made += 1
        return made

    def summaries(self, planted: list[tuple[Any, Problem]]) -> int:
        """Published summaries of the planted problems closed as solved or
        reduced, written by the sector leader and reviewed by the commander."""
        made = 0
        for _site, problem in planted:
            problem.refresh_from_db()
            if problem.outcome not in {Outcome.SOLVED, Outcome.REDUCED} or self.leader is None:
                continue
            category = problem.incident_categories.all()[0]
            assessment = problem.assessment
            actions = [a.title.lower() for a in problem.actions.all()]
            sq_title, sq_body = SUMMARY["sq"]
            sr_title, sr_body = SUMMARY["sr"]
            place_sr = problem.unit.name_sr or problem.unit.name_sq
            figures = {"before": assessment.target_before, "after": assessment.target_after}
            PublicSummary.objects.create(
                problem=problem,
                title_sq=sq_title.format(category=category.name_sq, place=problem.unit.name_sq)[:200],
                title_sr=sr_title.format(category=category.name_sr, place=place_sr)[:200],
                body_sq=sq_body.format(
                    category_lower=category.name_sq.lower(),
                    place=problem.unit.name_sq,
                    actions="; ".join(actions),
                    **figures,
                ),
                body_sr=sr_body.format(
                    category_lower=category.name_sr.lower(),
                    place=place_sr,
                    actions_count=len(actions),
                    **figures,
                ),
                status=SummaryStatus.PUBLISHED,
                written_by=self.leader,
                submitted_at=problem.closed_at,
                reviewed_by=self.commander,
                published_at=problem.closed_at + timedelta(days=3) if problem.closed_at else timezone.now(),
            )
            made += 1
        return made

    def vulnerable(self) -> int:
        """Two to four entries per station: people living alone, children at
        risk, groups open to hate crime; each with an officer of the station,
        a legal basis and a review date (a few lapsed, for the retention job)."""
        names = demo_names()["albanian"]
        settlements = list(Settlement.objects.order_by("pk")[:400])
        stations: dict[str, list[Unit]] = {}
        for sector in self.sectors:
            stations.setdefault(station_path(sector.path), []).append(sector)
        made = 0
        for sectors in stations.values():
            for _ in range(self.rng.randint(2, 4)):
                sector = self.rng.choice(sectors)
                officers = self.team.get(sector.pk)
                if not officers:
                    continue
                group = self.rng.random() < 0.4
                if group and settlements:
                    village = self.rng.choice(settlements).name_sq
                    name = f"Të moshuarit që jetojnë vetëm në {village}"
                    vulnerability = self.rng.choice([Vulnerability.ELDERLY, Vulnerability.MINORITY])
                else:
                    sex = self.rng.choice(["male", "female"])
                    name = f"{self.rng.choice(names[sex])} {self.rng.choice(names['surnames'])}"
                    vulnerability = self.rng.choice(
                        [Vulnerability.DISABILITY, Vulnerability.CHILD, Vulnerability.REPEAT_VICTIM]
                    )
                identified = self.today - timedelta(days=self.rng.randint(30, 400))
                review = identified + timedelta(days=365)
                if self.rng.random() < 0.1:
                    review = self.today - timedelta(days=self.rng.randint(1, 20))  # lapsed, within the grace
                VulnerableEntry.objects.create(
                    kind=VulnerableKind.GROUP if group else VulnerableKind.PERSON,
                    name=name,
                    vulnerability=vulnerability,
                    details="Vizitë e rregullt nga zyrtari i sektorit; numri i kontaktit te zyrtari.",
                    unit=sector,
                    unit_path=sector.path,
                    officer=officers[-1],
                    legal_basis=LegalBasis.PREVENTION if group else LegalBasis.CONSENT,
                    identified_on=identified,
                    review_on=review,
                    created_by=self.leader,
                )
                made += 1
        return made
