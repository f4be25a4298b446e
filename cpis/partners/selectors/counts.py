"""Counts per period for the action plan's indicators."""

from django.db.models import Count, Q, QuerySet

from cpis.core.periods import Period, count_per_period

from ..models import (
    SIGNED_STATUSES,
    Agreement,
    Partner,
    Recognition,
    Volunteer,
)
from .common import M


def _under(queryset: QuerySet[M], path: str, field: str = "unit_path") -> QuerySet[M]:
    return queryset.filter(**{f"{field}__startswith": path}) if path else queryset


def count_partners_identified(periods: list[Period], *, path: str = "") -> list[int]:
    """Partners identified in each period, central and local [2.1.1, 2.1.3]."""
    return count_per_period(_under(Partner.objects.all(), path), "identified_on", periods)


def count_agreements_signed(periods: list[Period], *, path: str = "") -> list[int]:
    """Agreements, memoranda and administrative guidelines signed in each
    period (later expired or terminated ones included) [2.1.2]."""
    agreements = Agreement.objects.filter(status__in=SIGNED_STATUSES)
    return count_per_period(_under(agreements, path), "signed_on", periods)


def count_volunteers_active(periods: list[Period], *, path: str = "") -> list[int]:
    """Volunteers engaged at some time in each period: joined by its end and
    not left before its start [2.2.2]. One query."""
    volunteers = _under(Volunteer.objects.all(), path)
    counts = volunteers.aggregate(
        **{
            f"p{i}": Count(
                "pk",
                filter=Q(joined_on__lte=period.end)
                & (Q(left_on__isnull=True) | Q(left_on__gte=period.start)),
            )
            for i, period in enumerate(periods)
        }
    )
    return [counts[f"p{i}"] or 0 for i in range(len(periods))]


def count_recognitions(periods: list[Period], *, path: str = "") -> list[int]:
    """Recognitions awarded in each period to citizens, forums, partners and officers [2.2.3]."""
    return count_per_period(_under(Recognition.objects.all(), path), "awarded_on", periods)
