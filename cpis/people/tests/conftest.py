"""A sector officer with a year of community-policing work, made row by row with
known times, so that every item of the record can be counted again by hand."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cpis.accounts.models import User
from cpis.concerns.models import Category, ClosureAnswer, Concern, ConcernEvent, EventKind, Status
from cpis.forums.models import MeetingStatus
from cpis.forums.tests.factories import ForumFactory, MeetingFactory
from cpis.organisation.models import Role
from cpis.organisation.tests.factories import AssignmentFactory, OfficerFactory, RoleGrantFactory
from cpis.outreach.models import Kind, OutreachActivity
from cpis.partners.models import Partner, PartnerKind, PartnerLevel
from cpis.problems.models import Assessment, MemberKind, Outcome, Problem, Stage, TeamMember
from cpis.training.models import Attendance, Course, Level, Programme

TZ = ZoneInfo("Europe/Belgrade")
YEAR = 2025
START, END = date(YEAR, 1, 1), date(YEAR, 12, 31)


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = YEAR) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@dataclass
class Work:
    officer: object
    user: object
    other: object  # another officer of the same sector
    first_response_hours: list[float] = field(default_factory=list)
    close_hours: list[float] = field(default_factory=list)
    handled: int = 0
    closed: int = 0
    reopened: int = 0
    resolved: int = 0
    not_resolved: int = 0
    meetings: int = 0
    outreach: int = 0
    audience: int = 0
    problems_owned: int = 0
    problems_opened: int = 0
    problems_closed: int = 0
    solved_or_reduced: int = 0
    assessed: int = 0
    fell: int = 0
    partners: int = 0
    courses: int = 0
    course_days: int = 0
    tenure_months: int = 0


def _concern(work: Work, officer, created: datetime, *, status: str = Status.ASSIGNED, unit=None) -> Concern:
    category = Category.objects.order_by("code").first()
    return Concern.objects.create(
        category=category,
        description="Zhurmë natën pranë lokalit.",
        language="sq",
        channel="web",
        unit=unit,
        unit_path=unit.path,
        sector=unit,
        status=status,
        assigned_officer=officer,
        reference=f"R{Concern.objects.count():07d}",
        created_at=created,
    )


def _event(
    concern: Concern, kind: str, when: datetime, *, from_status: str = "", to_status: str = ""
) -> None:
    ConcernEvent.objects.create(
        concern=concern, kind=kind, at=when, from_status=from_status, to_status=to_status
    )


@pytest.fixture
def work(tree) -> Work:
    """Officer Arta Berisha, sector officer at n1a since 1 March 2023 (a leader there
    since 1 March 2025), with concerns, meetings, outreach, problems, partners and
    training in 2025, and some just outside the year that must not count."""
    user = User.objects.create_user(username="arta", password="x")
    RoleGrantFactory(user=user, unit=tree.n1a, role=Role.SECTOR_OFFICER)
    officer = OfficerFactory(unit=tree.n1a, user=user, first_name="Arta", last_name="Berisha")
    other = OfficerFactory(unit=tree.n1a)
    AssignmentFactory(
        officer=officer, sector=tree.n1b, start_date=date(2021, 1, 1), end_date=date(2023, 3, 1)
    )
    AssignmentFactory(
        officer=officer, sector=tree.n1a, start_date=date(2023, 3, 1), end_date=date(2025, 3, 1)
    )
    AssignmentFactory(officer=officer, sector=tree.n1a, start_date=date(2025, 3, 1), role="leader")
    AssignmentFactory(officer=other, sector=tree.n1a, start_date=date(2020, 1, 1))
    w = Work(officer=officer, user=user, other=other)
    w.tenure_months = 33  # 1 March 2023 to 31 December 2025

    # Concerns received in 2025 and assigned to her: first responses 2 h, 5 h, 30 h, 0.5 h;
    # closings after 26 h, 100 h, 48 h; one of them reopened and closed again.
    specs = [
        # (created, first response after h (kind), closed after h, reopened)
        (at(2, 3), (2, "reply"), 26, False),
        (at(4, 10), (5, "start"), 100, True),
        (at(6, 1, 22), (30, "close"), 30, False),
        (at(9, 15), (0.5, "reply"), None, False),
        (at(11, 20), None, None, False),
    ]
    for created, response, close_after, reopened in specs:
        concern = _concern(w, officer, created, unit=tree.n1a)
        w.handled += 1
        _event(concern, EventKind.SUBMITTED, created)
        _event(concern, EventKind.ASSIGNED, created + timedelta(minutes=10))  # not a response
        _event(concern, EventKind.NOTE, created + timedelta(minutes=20))  # not a response either
        if response is not None:
            hours, how = response
            when = created + timedelta(hours=hours)
            w.first_response_hours.append(hours)
            if how == "reply":
                _event(concern, EventKind.REPLY, when)
            elif how == "start":
                _event(
                    concern, EventKind.STATUS, when, from_status=Status.ASSIGNED, to_status=Status.IN_PROGRESS
                )
        if close_after is not None:
            closed_at = created + timedelta(hours=close_after)
            if reopened:
                first_close = created + timedelta(hours=50)
                _event(
                    concern,
                    EventKind.STATUS,
                    first_close,
                    from_status=Status.IN_PROGRESS,
                    to_status=Status.RESOLVED,
                )
                ClosureAnswer.objects.create(
                    concern=concern,
                    closed_at=first_close,
                    resolved=False,
                    reopened=True,
                    answered_at=first_close + timedelta(days=1),
                )
                _event(
                    concern,
                    EventKind.STATUS,
                    first_close + timedelta(days=1),
                    from_status=Status.RESOLVED,
                    to_status=Status.IN_PROGRESS,
                )
                w.reopened += 1
                w.not_resolved += 1
            _event(
                concern,
                EventKind.STATUS,
                closed_at,
                from_status=Status.IN_PROGRESS,
                to_status=Status.RESOLVED,
            )
            Concern.objects.filter(pk=concern.pk).update(status=Status.RESOLVED, closed_at=closed_at)
            ClosureAnswer.objects.create(
                concern=concern, closed_at=closed_at, resolved=True, answered_at=closed_at + timedelta(days=2)
            )
            w.resolved += 1
            w.closed += 1
            w.close_hours.append(close_after)
    # Not hers, or not in 2025: none of these counts.
    _concern(w, other, at(5, 5), unit=tree.n1a)
    _concern(w, officer, at(12, 31, 23, 30, year=YEAR - 1), unit=tree.n1a)
    _concern(w, officer, at(1, 1, 0, 10, year=YEAR + 1), unit=tree.n1a)

    # Forum meetings: her sector's forum (held: 3 in 2025, one before she led it counts
    # too as she served there; one cancelled, one planned), n1b's forum while she was not
    # there (no), one at s1a she recorded (yes).
    forum = ForumFactory(unit=tree.n1a)
    for when in (at(1, 20, 18), at(5, 20, 18), at(10, 20, 18)):
        MeetingFactory(forum=forum, starts_at=when, status=MeetingStatus.HELD)
        w.meetings += 1
    MeetingFactory(forum=forum, starts_at=at(7, 1, 18), status=MeetingStatus.CANCELLED)
    MeetingFactory(forum=forum, starts_at=at(8, 1, 18), status=MeetingStatus.PLANNED)
    MeetingFactory(forum=forum, starts_at=at(12, 20, 18, year=YEAR - 1), status=MeetingStatus.HELD)
    MeetingFactory(forum=ForumFactory(unit=tree.n1b), starts_at=at(3, 3, 18), status=MeetingStatus.HELD)
    MeetingFactory(
        forum=ForumFactory(unit=tree.s1a), starts_at=at(6, 6, 18), status=MeetingStatus.HELD, recorded_by=user
    )
    w.meetings += 1

    # Outreach: three with her (audiences 30, 120, 0), one without her, one in 2024.
    for audience, when in ((30, date(YEAR, 3, 1)), (120, date(YEAR, 6, 1)), (0, date(YEAR, 12, 31))):
        activity = OutreachActivity.objects.create(
            kind=Kind.SCHOOL_LECTURE if audience else Kind.PUBLIC_CONTACT,
            happened_on=when,
            unit=tree.n1a,
            unit_path=tree.n1a.path,
            audience=audience,
        )
        activity.officers.add(officer, other)
        w.outreach += 1
        w.audience += audience
    OutreachActivity.objects.create(
        kind=Kind.CAMPAIGN, happened_on=date(YEAR, 4, 4), unit=tree.n1a, unit_path=tree.n1a.path, audience=500
    ).officers.add(other)
    OutreachActivity.objects.create(
        kind=Kind.CAMPAIGN,
        happened_on=date(YEAR - 1, 12, 31),
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        audience=77,
    ).officers.add(officer)

    # Problems: owned and open in 2025 — one opened in 2024 still open, one opened and
    # solved in 2025 with an assessment showing a fall, one reduced with an assessment
    # showing none, one closed as not a problem; one closed in 2024 (not counted); one
    # owned by the other officer with her on the team.
    def problem(owner, created, *, closed=None, outcome="", rate_high=None, partner=None):
        made = Problem.objects.create(
            title="Vjedhje në parking",
            unit=tree.n1a,
            unit_path=tree.n1a.path,
            owner=owner,
            stage=Stage.CLOSED if closed else Stage.RESPONSE,
            outcome=outcome,
            closed_at=closed,
            created_at=created,
            outcome_reason="" if not closed else "E vlerësuar",
        )
        if rate_high is not None:
            Assessment.objects.create(
                problem=made,
                response_date=created.date(),
                rate_ratio=rate_high / 2,
                rate_ratio_high=rate_high,
            )
        if partner is not None:
            TeamMember.objects.create(problem=made, kind=MemberKind.PARTNER, partner=partner)
        return made

    school = Partner.objects.create(
        name="Shkolla Naim Frashëri",
        kind=PartnerKind.OTHER,
        level=PartnerLevel.LOCAL,
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        identified_on=date(2019, 1, 1),
    )
    ngo = Partner.objects.create(
        name="OJQ Lagjja",
        kind=PartnerKind.NGO,
        level=PartnerLevel.LOCAL,
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        identified_on=date(2019, 1, 1),
    )
    municipality = Partner.objects.create(
        name="Komuna",
        kind=PartnerKind.MUNICIPAL,
        level=PartnerLevel.LOCAL,
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        identified_on=date(2019, 1, 1),
    )
    Partner.objects.create(
        name="Dyqani",
        kind=PartnerKind.BUSINESS,
        level=PartnerLevel.LOCAL,
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        identified_on=date(YEAR, 8, 8),
        created_by=user,
    )
    Partner.objects.create(
        name="Banka",
        kind=PartnerKind.BUSINESS,
        level=PartnerLevel.LOCAL,
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        identified_on=date(YEAR - 1, 8, 8),
        created_by=user,
    )
    problem(officer, at(10, 1, year=YEAR - 1), partner=school)
    problem(officer, at(2, 1), closed=at(9, 1), outcome=Outcome.SOLVED, rate_high=0.8, partner=school)
    problem(officer, at(3, 1), closed=at(10, 1), outcome=Outcome.REDUCED, rate_high=1.4)
    problem(officer, at(1, 10, year=YEAR - 1), closed=at(1, 10), outcome=Outcome.NOT_A_PROBLEM)
    problem(
        officer,
        at(1, 10, year=YEAR - 2),
        closed=at(12, 10, year=YEAR - 1),
        outcome=Outcome.SOLVED,
        rate_high=0.5,
        partner=ngo,
    )
    theirs = problem(other, at(5, 5), partner=municipality)
    TeamMember.objects.create(problem=theirs, kind=MemberKind.OFFICER, officer=officer)
    w.problems_owned, w.problems_opened, w.problems_closed = 4, 2, 3
    w.solved_or_reduced, w.assessed, w.fell = 2, 2, 1
    w.partners = 3  # the school, the municipality (team of her colleague's problem), the shop she identified

    # Training: two courses completed in 2025 (3 days and 1 day), one enrolled not
    # completed, one completed in 2024.
    programme = Programme.objects.create(title="SARA", level=Level.SPECIALISED)

    def course(starts, ends, completed):
        made = Course.objects.create(
            programme=programme, starts_on=starts, ends_on=ends, unit=tree.n1, unit_path=tree.n1.path
        )
        Attendance.objects.create(course=made, officer=officer, completed=completed)

    course(date(YEAR, 2, 10), date(YEAR, 2, 12), True)
    course(date(YEAR, 11, 5), date(YEAR, 11, 5), True)
    course(date(YEAR, 6, 1), date(YEAR, 6, 2), False)
    course(date(YEAR - 1, 6, 1), date(YEAR - 1, 6, 2), True)
    w.courses, w.course_days = 2, 4
    return w


@pytest.fixture(autouse=True)
def _english():
    """Messages and labels are asserted in English: the site's default language
    is Albanian, whose catalogue translates them (a test of another language
    overrides it inside)."""
    from django.utils import translation

    with translation.override("en"):
        yield
