"""Reads of the people app: what an officer did in a period, counted from the
lower apps' records (each function one or two queries, for the record in
record.py), and the officers' representation beside the population's."""

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from cpis.accounts.audit import log_personal_data_access
from cpis.concerns.models import CLOSED_STATUSES, ClosureAnswer, Concern, ConcernEvent, EventKind, Status
from cpis.core.http import MAX_ID, OutsidePlace
from cpis.core.periods import Period, day_start
from cpis.forums.models import Meeting, MeetingStatus
from cpis.organisation.access import Actor
from cpis.organisation.models import Assignment, Officer, Role, Unit, UnitKind
from cpis.outreach.models import OutreachActivity
from cpis.partners.models import Partner
from cpis.problems.models import Problem, Stage, TeamMember
from cpis.problems.models.problems import MemberKind
from cpis.training.models import Attendance

from .models import Dimension, OfficerBackground, PopulationShare
from .policy import policy

OPEN_STATUSES_AFTER_REOPENING = (Status.RECEIVED, Status.TRIAGED, Status.ASSIGNED, Status.IN_PROGRESS)
# A first response: a reply to the citizen, the start of work, or the concern's closing.
RESPONSE_STATUSES = (Status.IN_PROGRESS, *sorted(CLOSED_STATUSES))


# --- whose record ------------------------------------------------------------------------


def officer_place(officer: Officer, *, on: date | None = None) -> str:
    """The path the officer's chain of command is counted from: the sector they serve
    in now, else their home unit."""
    current = officer.assignments.current(on).select_related("sector").first()
    return current.sector.path if current is not None else officer.unit.path


def may_view_record(actor: Actor, officer: Officer) -> bool:
    """The officer themself, their chain of command at or above their sector, and the
    personnel department."""
    if actor.is_system:
        return True
    if actor.user_id is not None and officer.user_id == actor.user_id:
        return True
    if not actor.grants:
        return False
    return policy.can(actor, "view_record", officer_place(officer)) or policy.can(
        actor, "view_record", officer.unit.path
    )


def may_open_records(actor: Actor) -> bool:
    """Has the records' page anything for the actor: the chain of command and personnel
    somewhere, or a sector officer (their own record). No query: the staff bar asks."""
    return policy.anywhere(actor, "view_record") or Role.SECTOR_OFFICER in actor.roles


def get_record_officer(actor: Actor, officer_id: int) -> Officer:
    """The officer whose record the actor may read; 404 for anyone else, and for an
    officer that does not exist."""
    if not 0 <= officer_id <= MAX_ID:
        raise Http404(_("Not found."))
    officer = Officer.objects.select_related("unit").filter(pk=officer_id).first()
    if officer is None:
        raise Http404(_("Not found."))
    if not may_view_record(actor, officer):
        raise OutsidePlace("people.record", officer.pk)
    return officer


def log_record_view(actor: Actor, officer: Officer, *, request: HttpRequest | None) -> None:
    """An officer's record is personal data: every view is in the access log."""
    if actor.user_id is None:
        return  # the system (a task, a benchmark) has no user to log
    log_personal_data_access(
        user_id=actor.user_id, subject_type="people.record", subject_id=officer.pk, request=request
    )


def own_officer(actor: Actor) -> Officer | None:
    """The officer the actor's account belongs to, if any."""
    if actor.user_id is None:
        return None
    return Officer.objects.filter(user_id=actor.user_id).first()


def list_record_officers(actor: Actor, *, unit: Unit | None = None, query: str = "") -> QuerySet[Officer]:
    """Officers whose record the actor may read through their role (those of the
    places where they are in the chain of command or personnel); their own besides."""
    scope = policy.scope(actor, "view_record", "unit__path")
    if actor.is_system:
        scope = Q()
    place_scope = policy.scope(actor, "view_record", "assignments__sector__path")
    own = Q(user_id=actor.user_id) if actor.user_id is not None else Q(pk__in=[])
    officers = Officer.objects.filter(scope | place_scope | own).distinct()
    if unit is not None:
        officers = officers.filter(
            Q(unit__path__startswith=unit.path) | Q(assignments__sector__path__startswith=unit.path)
        )
    if query:
        officers = officers.filter(
            Q(first_name__icontains=query) | Q(last_name__icontains=query) | Q(badge_number=query)
        )
    return officers.select_related("unit").order_by("last_name", "first_name", "id")


# --- what the officer did ----------------------------------------------------------------


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600.0


@dataclass(frozen=True)
class ConcernFigures:
    handled: int
    closed: int
    first_response_hours: list[float]
    close_hours: list[float]
    reopened: int
    resolved_answers: int
    not_resolved_answers: int


def concern_figures(officer: Officer, period: Period) -> ConcernFigures:
    """Concerns received in the period and assigned to the officer (two queries): how
    soon they were first answered (a reply to the citizen, the start of work or the
    closing, whichever came first), how long they took to close, how many were
    reopened, and what the reporters answered after closure."""
    since, until = period.bounds
    concerns = Concern.objects.filter(assigned_officer=officer, created_at__gte=since, created_at__lt=until)
    response = Q(events__kind=EventKind.REPLY) | Q(
        events__kind=EventKind.STATUS, events__to_status__in=RESPONSE_STATUSES
    )
    reopened = ConcernEvent.objects.filter(
        concern=OuterRef("pk"),
        kind=EventKind.STATUS,
        from_status__in=sorted(CLOSED_STATUSES),
        to_status__in=OPEN_STATUSES_AFTER_REOPENING,
    )
    rows = list(
        concerns.annotate(first_response=Min("events__at", filter=response), was_reopened=Exists(reopened))
        .values_list("created_at", "status", "closed_at", "first_response", "was_reopened")
        .order_by()
    )
    answers = dict(
        ClosureAnswer.objects.filter(
            concern__assigned_officer=officer, concern__created_at__gte=since, concern__created_at__lt=until
        )
        .values_list("resolved")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("resolved", "n")
    )
    closed = [
        (created, closed_at)
        for created, status, closed_at, _f, _r in rows
        if status in CLOSED_STATUSES and closed_at
    ]
    return ConcernFigures(
        handled=len(rows),
        closed=len(closed),
        first_response_hours=sorted(
            _hours(first - created) for created, _s, _c, first, _r in rows if first is not None
        ),
        close_hours=sorted(_hours(closed_at - created) for created, closed_at in closed),
        reopened=sum(1 for *_rest, was_reopened in rows if was_reopened),
        resolved_answers=answers.get(True, 0),
        not_resolved_answers=answers.get(False, 0),
    )


def list_assignments(officer: Officer) -> list[Assignment]:
    return list(officer.assignments.select_related("sector").order_by("start_date", "id"))


def count_meetings_attended(officer: Officer, period: Period, assignments: list[Assignment]) -> int:
    """Forum meetings held in the period that the officer recorded, or held by a forum
    of the sector the officer served in on the day: the forums keep the members'
    attendance, not the officers', and the sector team is at its forum's meetings."""
    since, until = period.bounds
    present = Q(recorded_by_id=officer.user_id) if officer.user_id is not None else Q(pk__in=[])
    for assignment in assignments:
        served = Q(forum__unit_id=assignment.sector_id, starts_at__gte=day_start(assignment.start_date))
        if assignment.end_date is not None:
            served &= Q(starts_at__lt=day_start(assignment.end_date))
        present |= served
    return Meeting.objects.filter(
        present, status=MeetingStatus.HELD, starts_at__gte=since, starts_at__lt=until
    ).count()


def outreach_figures(officer: Officer, period: Period) -> tuple[int, int]:
    """Outreach activities the officer took part in, and their audience summed."""
    totals = OutreachActivity.objects.filter(
        officers=officer, happened_on__gte=period.start, happened_on__lte=period.end
    ).aggregate(n=Count("id"), audience=Sum("audience"))
    return totals["n"] or 0, totals["audience"] or 0


@dataclass(frozen=True)
class ProblemFigures:
    owned: int
    opened: int
    closed: int
    outcomes: dict[str, int]  # outcome code → problems closed with it in the period
    assessed: int  # closed in the period with an assessment
    fell: int  # of those, the target area's rate fell (the interval's top below 1)


def problem_figures(officer: Officer, period: Period) -> ProblemFigures:
    """Problems the officer owned that were open at some time in the period, and the
    outcomes and assessments of those closed in it (one query)."""
    since, until = period.bounds
    rows = list(
        Problem.objects.filter(owner=officer, created_at__lt=until)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=since))
        .values_list(
            "created_at", "stage", "closed_at", "outcome", "assessment__id", "assessment__rate_ratio_high"
        )
        .order_by()
    )
    closed = [row for row in rows if row[1] == Stage.CLOSED and row[2] is not None and row[2] < until]
    return ProblemFigures(
        owned=len(rows),
        opened=sum(1 for row in rows if row[0] >= since),
        closed=len(closed),
        outcomes=dict(Counter(row[3] for row in closed)),
        assessed=sum(1 for row in closed if row[4] is not None),
        fell=sum(1 for row in closed if row[5] is not None and row[5] < 1),
    )


def partners_engaged(officer: Officer, period: Period) -> set[int]:
    """Partners the officer worked with in the period: on the team of a problem they
    owned or worked on while it was open, or identified as partners by them."""
    since, until = period.bounds
    problems = (
        Problem.objects.filter(Q(owner=officer) | Q(team__kind=MemberKind.OFFICER, team__officer=officer))
        .filter(created_at__lt=until)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=since))
        .values("pk")
    )
    found = set(
        TeamMember.objects.filter(kind=MemberKind.PARTNER, problem__in=problems).values_list(
            "partner_id", flat=True
        )
    )
    if officer.user_id is not None:
        found |= set(
            Partner.objects.filter(
                created_by_id=officer.user_id, identified_on__gte=period.start, identified_on__lte=period.end
            ).values_list("pk", flat=True)
        )
    return found


def training_figures(officer: Officer, period: Period) -> tuple[int, int]:
    """Courses the officer completed that ended in the period, and their days."""
    rows = Attendance.objects.filter(
        officer=officer, completed=True, course__ends_on__gte=period.start, course__ends_on__lte=period.end
    ).values_list("course__starts_on", "course__ends_on")
    days = 0
    count = 0
    for starts_on, ends_on in rows:
        count += 1
        days += (ends_on - starts_on).days + 1
    return count, days


@dataclass(frozen=True)
class Tenure:
    sector: Unit | None
    since: date | None
    months: int | None


def tenure_on(assignments: list[Assignment], on: date) -> Tenure:
    """How long, on `on`, the officer had served in the sector they served in then,
    counting back through assignments in the same sector that follow one another
    without a gap (a change of role is not a move)."""
    current = next(
        (a for a in assignments if a.start_date <= on and (a.end_date is None or a.end_date > on)), None
    )
    if current is None:
        return Tenure(None, None, None)
    since = current.start_date
    for earlier in sorted(assignments, key=lambda a: a.start_date, reverse=True):
        if earlier.sector_id == current.sector_id and earlier.end_date == since:
            since = earlier.start_date
    months = (on.year - since.year) * 12 + on.month - since.month - (1 if on.day < since.day else 0)
    return Tenure(current.sector, since, max(months, 0))


# --- representation ----------------------------------------------------------------------


SUPPRESS_BELOW = 3


def get_background(
    actor: Actor, officer: Officer, *, request: HttpRequest | None
) -> OfficerBackground | None:
    """One officer's community and gender, for the personnel department only; every
    read is logged (special-category data)."""
    policy.require(actor, "manage_backgrounds", officer.unit.path)
    if actor.user_id is not None:
        log_personal_data_access(
            user_id=actor.user_id,
            subject_type="people.officerbackground",
            subject_id=officer.pk,
            request=request,
        )
    return OfficerBackground.objects.filter(officer=officer).first()


def visible_places(actor: Actor) -> QuerySet[Unit]:
    """Units whose representation the actor may read: sectors, stations, regions,
    the directorate at or under their places."""
    return Unit.objects.filter(policy.scope(actor, "view_representation")).exclude(kind=UnitKind.SUBSTATION)


def get_place(actor: Actor, unit_id: int) -> Unit:
    if not 0 <= unit_id <= MAX_ID:
        raise Http404(_("Not found."))
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise Http404(_("Not found."))
    if not policy.can(actor, "view_representation", unit.path):
        raise OutsidePlace("organisation.unit", unit.path)
    return unit


@dataclass(frozen=True)
class Cell:
    category: str
    label: str
    officers: int | None  # None: suppressed
    officer_share: float | None
    population_share: float | None


@dataclass(frozen=True)
class Comparison:
    unit: Unit
    on: date
    officers: int  # community-police officers assigned to sectors here on the day
    recorded: int  # of them, with a recorded background
    suppressed: bool  # some cells are shown as "fewer than 3"
    community: list[Cell]
    gender: list[Cell]
    population_known: bool
    sources: list[str]


def _population_weights(unit: Unit, on: date) -> dict[int, float]:
    """Each municipality's weight in the place's population: the population of the
    place's sectors that lie in it (the municipality's population when its sectors
    have none recorded)."""
    sectors = Unit.objects.sectors().within(unit.path).filter(municipality__isnull=False)
    weights: dict[int, float] = {}
    fallback: dict[int, float] = {}
    for municipality_id, population, municipal in sectors.values_list(
        "municipality_id", "population", "municipality__population"
    ):
        weights[municipality_id] = weights.get(municipality_id, 0.0) + float(population or 0)
        fallback[municipality_id] = float(municipal or 0)
    if not any(weights.values()):
        weights = fallback
    return {m: w for m, w in weights.items() if w > 0} or dict.fromkeys(weights, 1.0)


def compare_representation(actor: Actor, unit: Unit, *, on: date) -> Comparison:
    """The community-police officers assigned to sectors at the place on the day,
    counted by community and by gender, beside the population's composition (its
    municipalities' shares weighted by the population of the place's sectors in each).
    Counts below SUPPRESS_BELOW are not shown, so that no officer can be picked out."""
    if not policy.can(actor, "view_representation", unit.path):
        raise OutsidePlace("organisation.unit", unit.path)
    officer_ids = list(
        Assignment.objects.current(on)
        .filter(
            sector__path__startswith=unit.path, officer__is_community_officer=True, officer__is_active=True
        )
        .values_list("officer_id", flat=True)
        .distinct()
    )
    backgrounds = list(
        OfficerBackground.objects.filter(officer_id__in=officer_ids).values_list("community", "gender")
    )
    weights = _population_weights(unit, on)
    total_weight = sum(weights.values())
    shares: dict[tuple[str, str], float] = {}
    sources: set[str] = set()
    for municipality_id, dimension, category, share, source, year in PopulationShare.objects.filter(
        municipality_id__in=list(weights)
    ).values_list("municipality_id", "dimension", "category", "share", "source", "year"):
        key = (dimension, category)
        shares[key] = shares.get(key, 0.0) + share * weights[municipality_id] / total_weight
        sources.add(f"{source} ({year})")
    suppressed = False

    def cells(dimension: str, choices: Any, column: int) -> list[Cell]:
        nonlocal suppressed
        counted = Counter(row[column] for row in backgrounds)
        out: list[tuple[str, str, int, float | None]] = []
        for code, label in choices:
            n = counted.get(code, 0)
            population = shares.get((dimension, code))
            if n == 0 and not population:
                continue
            out.append((code, str(label), n, population))
        hidden = {code for code, _label, n, _p in out if 0 < n < SUPPRESS_BELOW}
        if len(hidden) == 1:
            # One hidden cell could be worked out from the total: hide the next smallest too.
            others = sorted((n, code) for code, _label, n, _p in out if n > 0 and code not in hidden)
            hidden |= {others[0][1]} if others else set()
        suppressed = suppressed or bool(hidden)
        return [
            Cell(
                category=code,
                label=label,
                officers=None if code in hidden else n,
                officer_share=None if code in hidden or not backgrounds else n / len(backgrounds),
                population_share=population,
            )
            for code, label, n, population in out
        ]

    from cpis.surveys.models.responses import Community, Gender

    return Comparison(
        unit=unit,
        on=on,
        officers=len(officer_ids),
        recorded=len(backgrounds),
        community=cells(Dimension.COMMUNITY, Community.choices, 0),
        gender=cells(Dimension.GENDER, Gender.choices, 1),
        suppressed=suppressed,
        population_known=bool(shares),
        sources=sorted(sources),
    )


def list_population_shares(actor: Actor) -> QuerySet[PopulationShare]:
    policy.require_anywhere(actor, "manage_population")
    return PopulationShare.objects.select_related("municipality").order_by(
        "municipality__name_sq", "dimension", "-share"
    )
