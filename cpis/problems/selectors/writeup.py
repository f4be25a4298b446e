"""What a problem's case write-up is made of (issue #13, item 9): every part
read from the records, in the shape of a Goldstein Award submission —
scanning, analysis, response, assessment — and nothing typed for it. One
call for the whole document, a fixed number of queries whatever the number
of sources, entries, actions or changes (the data panel reads through the
incidents' and concerns' selectors as the analysis tab does, so it counts
only what the reader may see). No citizen's name: a citizen on the team is
"a citizen"."""

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.dates import WEEKDAYS

from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from ..models import TECHNIQUE_GROUPS, Action, Assessment, Hypothesis, MemberKind, Problem, Source, TeamMember
from . import actions as action_selectors
from . import analysis, assessment, sources, workspace
from .history import Line, history
from .problems import list_changes

# The places a write-up names, from the region down to the problem's own.
NAMED_KINDS = (UnitKind.REGION, UnitKind.STATION, UnitKind.SUBSTATION, UnitKind.SECTOR)
BUSIEST = 3  # hours and days named as the busiest


@dataclass(frozen=True)
class Member:
    """One of the team as the write-up names it: officers, partners and forums
    by name, a citizen only as "a citizen" (`name` empty)."""

    kind: str
    kind_label: str
    name: str
    role: str
    consent_on: date | None


@dataclass(frozen=True)
class Busy:
    label: str  # a weekday's name, or an hour as "22:00–23:00"
    count: int


@dataclass(frozen=True)
class TargetArea:
    """The target area in words: drawn (with its centre) or the place's boundary."""

    drawn: bool
    km2: float | None
    centre: tuple[float, float] | None  # (lat, lon) of a drawn area


@dataclass(frozen=True)
class Writeup:
    problem: Problem
    places: list[Unit]  # region → station → sector (those above the problem's place, and it)
    incident_categories: list[str]
    concern_categories: list[str]
    team: list[Member]
    sources: list[Source]
    target: TargetArea
    triangle: list[analysis.TriangleSide]
    hypotheses: list[Hypothesis]
    panel: analysis.DataPanel
    busiest_days: list[Busy]
    busiest_hours: list[Busy]
    actions: list[Action]
    technique_groups: dict[str, str]  # technique → the name of its group of five
    assessment: Assessment | None
    assessed_categories: list[str]
    history: list[Line]
    written_on: date

    @property
    def place(self) -> str:
        return " › ".join(unit.name for unit in self.places)


def _places(problem: Problem) -> list[Unit]:
    return list(
        Unit.objects.filter(path__in=problem.unit.ancestor_paths(), kind__in=NAMED_KINDS).order_by("path")
    )


def _member(member: TeamMember) -> Member:
    citizen = member.kind == MemberKind.CITIZEN
    return Member(
        kind=member.kind,
        kind_label=str(member.get_kind_display()),
        name="" if citizen else member.name,
        role="" if citizen else member.role,
        consent_on=member.consent_on if citizen else None,
    )


def _target(problem: Problem, panel: analysis.DataPanel) -> TargetArea:
    if not problem.area:
        return TargetArea(drawn=False, km2=panel.area_km2, centre=None)
    from shapely.geometry import shape

    centre = shape(problem.area).centroid
    return TargetArea(drawn=True, km2=panel.area_km2, centre=(round(centre.y, 5), round(centre.x, 5)))


def busiest_days(profile: analysis.Profile, top: int = BUSIEST) -> list[Busy]:
    """The weekdays with the most incidents of a known time, busiest first (none with none)."""
    ranked = sorted(range(7), key=lambda d: (-profile.rows[d].total, d))
    return [Busy(str(WEEKDAYS[d]), profile.rows[d].total) for d in ranked[:top] if profile.rows[d].total]


def busiest_hours(profile: analysis.Profile, top: int = BUSIEST) -> list[Busy]:
    """The hours of the day with the most incidents, busiest first."""
    ranked = sorted(range(24), key=lambda h: (-profile.hour_totals[h], h))
    return [
        Busy(f"{h:02d}:00–{(h + 1) % 24:02d}:00", profile.hour_totals[h])
        for h in ranked[:top]
        if profile.hour_totals[h]
    ]


def get_writeup(actor: Actor, problem: Problem, *, today: date | None = None) -> Writeup:
    """The case write-up of a problem the actor may see (the caller has it from
    `problems.get_problem`, 404 outside the actor's places), from the records."""
    today = today or timezone.localdate()
    panel = analysis.data_panel(actor, problem, today=today)
    current = assessment.get_assessment(problem)
    return Writeup(
        problem=problem,
        places=_places(problem),
        incident_categories=[str(c.name) for c in problem.incident_categories.all()],
        concern_categories=[str(c.name) for c in problem.concern_categories.all()],
        team=[_member(m) for m in workspace.list_team(problem)],
        sources=list(sources.list_sources(problem)),
        target=_target(problem, panel),
        triangle=analysis.list_triangle(problem),
        hypotheses=list(analysis.list_hypotheses(problem)),
        panel=panel,
        busiest_days=busiest_days(panel.profile),
        busiest_hours=busiest_hours(panel.profile),
        actions=list(action_selectors.list_problem_actions(problem)),
        technique_groups={
            technique.value: str(group) for group, techniques in TECHNIQUE_GROUPS for technique in techniques
        },
        assessment=current,
        assessed_categories=assessment.category_names(current.categories) if current else [],
        history=history(list_changes(problem)),
        written_on=today,
    )
