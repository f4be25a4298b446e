"""Volunteers [2.2.2], their contact (logged), and the hours they gave per
half-year, per volunteer and per interest group."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from cpis.accounts.audit import log_personal_data_access
from cpis.core.filters import Filters, flag, search
from cpis.core.periods import Period, half_year_of, half_years, sum_per_period
from cpis.organisation.access import Actor

from ..models import InterestGroup, Volunteer, VolunteerHours
from ..policy import policy
from .common import get_one, visible

HOURS: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)


def _serving() -> Q:
    """Volunteers who have not left (or leave today or later)."""
    return Q(left_on__isnull=True) | Q(left_on__gte=timezone.localdate())


@dataclass(frozen=True)
class VolunteerFilters(Filters):
    group: int | None = None
    active: str = flag(_serving)
    query: str = search("name")


def list_volunteers(actor: Actor, filters: VolunteerFilters | None = None) -> QuerySet[Volunteer]:
    """Volunteers of the actor's places with the hours they gave in all."""
    volunteers = (filters or VolunteerFilters()).apply(visible(actor, Volunteer))
    return (
        volunteers.select_related("unit", "group")
        .annotate(total_hours=Coalesce(Sum("hours__hours"), Value(Decimal(0)), output_field=HOURS))
        .order_by("name", "id")
    )


def get_volunteer(actor: Actor, volunteer_id: int) -> Volunteer:
    return get_one(visible(actor, Volunteer).select_related("unit", "group"), volunteer_id)


def get_volunteer_contact(actor: Actor, volunteer: Volunteer, *, request: HttpRequest | None) -> str:
    """A volunteer's phone or e-mail, for roles that need it; the view is logged."""
    policy.require(actor, "view_contact", volunteer.unit_path)
    log_personal_data_access(
        user_id=actor.user_id, subject_type="partners.volunteer", subject_id=volunteer.pk, request=request
    )
    return volunteer.contact


def list_hours(volunteer: Volunteer) -> QuerySet[VolunteerHours]:
    return volunteer.hours.select_related("recorded_by").order_by("-date", "-id")


def get_hours_entry(actor: Actor, entry_id: int) -> VolunteerHours:
    entries = VolunteerHours.objects.filter(policy.scope(actor, "view", "volunteer__unit_path"))
    return get_one(entries.select_related("volunteer"), entry_id)


@dataclass(frozen=True)
class PeriodTotal:
    period: Period
    hours: Decimal


def hours_by_period(entries: QuerySet[VolunteerHours], *, since: date) -> list[PeriodTotal]:
    """Hours per half-year from `since` (at most the last 15 years) to today,
    newest first, in one query."""
    today = timezone.localdate()
    since = max(since, today.replace(year=today.year - 15, month=1, day=1))
    periods = half_years(min(since, today), today)
    totals = sum_per_period(entries, "date", periods, value="hours", empty=Decimal(0))
    return [PeriodTotal(p, t) for p, t in zip(periods, totals, strict=True)][::-1]


def volunteer_hours_by_period(volunteer: Volunteer) -> list[PeriodTotal]:
    return hours_by_period(volunteer.hours.all(), since=volunteer.joined_on)


def group_hours_by_period(group: InterestGroup) -> list[PeriodTotal]:
    return hours_by_period(VolunteerHours.objects.filter(volunteer__group=group), since=group.founded_on)


def hour_periods(actor: Actor) -> list[Period]:
    """Half-years to choose from on the hours page: since the first hours the
    actor may see (or this half-year), newest first."""
    first = (
        VolunteerHours.objects.filter(policy.scope(actor, "view", "volunteer__unit_path"))
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    today = timezone.localdate()
    return half_years(first or today, today)[::-1]


def default_hour_period() -> Period:
    return half_year_of(timezone.localdate())


@dataclass(frozen=True)
class HoursTotals:
    by_volunteer: list[dict[str, Any]]
    by_group: list[dict[str, Any]]
    total: Decimal


def hours_totals(actor: Actor, period: Period) -> HoursTotals:
    """Hours given in a period under the actor's places: per volunteer and per
    interest group (volunteers in no group count under "no group")."""
    entries = VolunteerHours.objects.filter(
        policy.scope(actor, "view", "volunteer__unit_path"),
        date__gte=period.start,
        date__lte=period.end,
    )
    by_volunteer = list(
        entries.values("volunteer_id", "volunteer__name", "volunteer__group__name")
        .annotate(total=Sum("hours"), days=Count("date", distinct=True))
        .order_by("-total", "volunteer__name")
    )
    by_group = list(
        entries.values("volunteer__group_id", "volunteer__group__name")
        .annotate(total=Sum("hours"), volunteers=Count("volunteer_id", distinct=True))
        .order_by("-total", "volunteer__group__name")
    )
    total = sum((row["total"] for row in by_group), Decimal(0))
    return HoursTotals(by_volunteer=by_volunteer, by_group=by_group, total=total)
