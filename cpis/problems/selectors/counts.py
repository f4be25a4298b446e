"""Counts the action plan's indicators read, per half-year and per place
(`path`; every place when empty), one query each [2.5.3, 3.1.2, 3.1.3, 3.2.4,
3.2.5]. Counts only: no name or text of a record leaves here."""

from django.db.models import Q

from cpis.core.periods import Period, count_per_period

from ..models import (
    EFFECT_OUTCOMES,
    MemberKind,
    PriorityStatus,
    Problem,
    SectorPriority,
    TeamMember,
    VulnerableEntry,
)


def _agreed(path: str) -> "Q":
    return Q(status__in=(PriorityStatus.AGREED, PriorityStatus.RETIRED), agreed_on__isnull=False) & Q(
        unit_path__startswith=path
    )


def count_priorities_agreed(periods: list[Period], *, path: str = "") -> list[int]:
    """Sector priorities agreed (at a forum meeting or by the station) in each
    period, whether still standing or retired since [3.2.4]."""
    return count_per_period(SectorPriority.objects.filter(_agreed(path)), "agreed_on", periods)


def count_priorities_from_concerns(periods: list[Period], *, path: str = "") -> list[int]:
    """Agreed priorities that citizens' concerns raised: the police's documents
    that put concerns among the priorities of their plans [2.5.3]."""
    priorities = SectorPriority.objects.filter(_agreed(path), from_concerns=True)
    return count_per_period(priorities, "agreed_on", periods)


def count_community_in_problem_solving(periods: list[Period], *, path: str = "") -> list[int]:
    """Citizens, partners (NGOs and others) and forums who joined a problem's
    team in each period [3.1.2]."""
    members = TeamMember.objects.filter(
        kind__in=(MemberKind.CITIZEN, MemberKind.PARTNER, MemberKind.FORUM),
        problem__unit_path__startswith=path,
    )
    return count_per_period(members, "created_at", periods)


def count_vulnerable_identified(periods: list[Period], *, path: str = "") -> list[int]:
    """Vulnerable persons and groups identified, each with an appointed officer,
    in each period (entries still held: the retention job erases those whose
    review lapsed) [3.1.3]."""
    entries = VulnerableEntry.objects.filter(unit_path__startswith=path)
    return count_per_period(entries, "identified_on", periods)


def count_solved_problems(periods: list[Period], *, path: str = "") -> list[int]:
    """Problems closed as solved or reduced in each period [3.2.5]."""
    solved = Problem.objects.filter(outcome__in=sorted(EFFECT_OUTCOMES), unit_path__startswith=path)
    return count_per_period(solved, "closed_at", periods)
