from datetime import date, timedelta

from django.utils import timezone

from cpis.core.periods import Period
from cpis.problems.models import (
    AgreedBy,
    MemberKind,
    Outcome,
    PriorityStatus,
    SectorPriority,
    VulnerableEntry,
)
from cpis.problems.selectors import counts
from cpis.problems.services import problems as services

H1 = Period(date(2026, 1, 1), date(2026, 6, 30))
H2 = Period(date(2026, 7, 1), date(2026, 12, 31))


def _priority(tree, *, agreed_on, from_concerns, status=PriorityStatus.AGREED, unit=None):
    unit = unit or tree.n1a
    return SectorPriority.objects.create(
        unit=unit,
        unit_path=unit.path,
        issue="Burglary",
        status=status,
        agreed_by_kind=AgreedBy.STATION if agreed_on else "",
        agreed_on=agreed_on,
        from_concerns=from_concerns,
    )


def test_agreed_priorities_count_by_the_day_agreed_and_by_place(tree):
    _priority(tree, agreed_on=date(2026, 2, 1), from_concerns=True)
    _priority(tree, agreed_on=date(2026, 8, 1), from_concerns=False, status=PriorityStatus.RETIRED)
    _priority(tree, agreed_on=None, from_concerns=True, status=PriorityStatus.PROPOSED)
    _priority(tree, agreed_on=date(2026, 3, 1), from_concerns=True, unit=tree.s1a)
    assert counts.count_priorities_agreed([H1, H2]) == [2, 1]
    assert counts.count_priorities_agreed([H1, H2], path=tree.n1.path) == [1, 1]
    assert counts.count_priorities_from_concerns([H1, H2], path=tree.n1.path) == [1, 0]


def test_citizens_partners_and_forums_on_teams_count_but_officers_do_not(problem, actor_for, officer_n1a):
    actor = actor_for("leader_n1a")
    services.add_team_member(actor, problem=problem, kind=MemberKind.OFFICER, officer=officer_n1a)
    services.add_team_member(
        actor, problem=problem, kind=MemberKind.CITIZEN, citizen_name="Drita", consent_on=timezone.localdate()
    )
    today = timezone.localdate()
    now = Period(today - timedelta(days=1), today + timedelta(days=1))
    assert counts.count_community_in_problem_solving([now]) == [1]
    assert counts.count_community_in_problem_solving([now], path=problem.unit.parent.parent.path) == [1]


def test_solved_problems_count_when_closed_solved_or_reduced(problem, actor_for):
    services.close_problem(actor_for("leader_n1a"), problem=problem, outcome=Outcome.REDUCED, reason="Fewer.")
    today = timezone.localdate()
    now = Period(today - timedelta(days=1), today + timedelta(days=1))
    assert counts.count_solved_problems([now]) == [1]
    assert counts.count_solved_problems([now], path="kp/south/") == [0]


def test_vulnerable_entries_count_by_the_day_identified(tree, officer_n1a):
    VulnerableEntry.objects.create(
        kind="person",
        name="X",
        vulnerability="elderly",
        unit=tree.n1a,
        unit_path=tree.n1a.path,
        officer=officer_n1a,
        legal_basis="prevention",
        identified_on=date(2026, 3, 3),
        review_on=date(2027, 3, 3),
    )
    assert counts.count_vulnerable_identified([H1, H2]) == [1, 0]
