"""Reads for partners: the registry of a place, contacts (logged),
agreements, interest groups, volunteers and their hours, recognitions, the
rows of the exports and the counts for the action plan's indicators."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.db.models import Count, DecimalField, Model, Prefetch, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.accounts.services import log_personal_data_access
from cpis.core.periods import Period, count_per_period, half_year_of, half_years, sum_per_period
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from .models import (
    SIGNED_STATUSES,
    Agreement,
    InterestGroup,
    Partner,
    PartnerContact,
    Recognition,
    Volunteer,
    VolunteerHours,
)
from .policy import policy

M = TypeVar("M", bound=Model)

CENTRAL_KINDS = frozenset({UnitKind.DIRECTORATE})
LOCAL_KINDS = frozenset({UnitKind.REGION, UnitKind.STATION, UnitKind.SUBSTATION, UnitKind.SECTOR})
HOURS: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)


def _visible(actor: Actor, model: type[M]) -> QuerySet[M]:
    """Records held by a unit at or under the actor's places (fails closed)."""
    return model._default_manager.filter(policy.scope(actor, "view", "unit_path"))


def _one(queryset: QuerySet[M], pk: int) -> M:
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise Http404(_("Not found."))
    return found


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def list_units(actor: Actor, *, kinds: Iterable[str], action: str = "manage") -> QuerySet[Unit]:
    """Units of these kinds where the actor may do `action`, for a form's choice."""
    return (
        Unit.objects.filter(policy.scope(actor, action), kind__in=list(kinds))
        .select_related("parent")
        .order_by("path")
    )


# --- partners -------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerFilters:
    kind: str = ""
    level: str = ""
    active: str = ""  # "", "yes", "no"
    query: str = ""


def list_partners(actor: Actor, filters: PartnerFilters | None = None) -> QuerySet[Partner]:
    """The registry of the actor's places, by name."""
    filters = filters or PartnerFilters()
    partners = _visible(actor, Partner)
    if filters.kind:
        partners = partners.filter(kind=filters.kind)
    if filters.level:
        partners = partners.filter(level=filters.level)
    active = _yes_no(filters.active)
    if active is not None:
        partners = partners.filter(is_active=active)
    if filters.query:
        partners = partners.filter(Q(name__icontains=filters.query) | Q(description__icontains=filters.query))
    return partners.select_related("unit", "municipality").order_by("name", "id")


def get_partner(actor: Actor, partner_id: int) -> Partner:
    return _one(_visible(actor, Partner).select_related("unit", "municipality"), partner_id)


def list_partner_choices(actor: Actor) -> QuerySet[Partner]:
    """Partners the actor may name in an agreement or a recognition."""
    return (
        Partner.objects.filter(policy.scope(actor, "manage", "unit_path"))
        .select_related("unit")
        .order_by("name", "id")
    )


def can_view_contacts(actor: Actor, path: str) -> bool:
    return policy.can(actor, "view_contact", path)


def count_contacts(partner: Partner) -> int:
    return partner.contacts.count()


def list_contacts(actor: Actor, partner: Partner, *, request: HttpRequest | None) -> list[PartnerContact]:
    """A partner's contact people with their phone and e-mail, for roles that
    need them; each contact shown is written to the access log."""
    policy.require(actor, "view_contact", partner.unit_path)
    contacts = list(partner.contacts.order_by("name", "id"))
    for contact in contacts:
        log_personal_data_access(
            user_id=actor.user_id,
            subject_type="partners.partnercontact",
            subject_id=contact.pk,
            request=request,
        )
    return contacts


def get_contact(actor: Actor, contact_id: int, *, request: HttpRequest | None) -> PartnerContact:
    """One contact with its personal data (to edit it); the view is logged."""
    contact = get_contact_record(actor, contact_id)
    policy.require(actor, "view_contact", contact.partner.unit_path)
    log_personal_data_access(
        user_id=actor.user_id, subject_type="partners.partnercontact", subject_id=contact.pk, request=request
    )
    return contact


def get_contact_record(actor: Actor, contact_id: int) -> PartnerContact:
    """A contact without showing its personal data (to remove it): not logged."""
    contacts = PartnerContact.objects.filter(policy.scope(actor, "view", "partner__unit_path"))
    return _one(contacts.select_related("partner"), contact_id)


def list_partner_agreements(actor: Actor, partner: Partner) -> QuerySet[Agreement]:
    """The partner's agreements that the actor may open."""
    agreements = partner.agreements.filter(policy.scope(actor, "view", "unit_path"))
    return agreements.select_related("unit").order_by("-signed_on", "-id")


# --- agreements -----------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementFilters:
    kind: str = ""
    status: str = ""
    query: str = ""


def list_agreements(actor: Actor, filters: AgreementFilters | None = None) -> QuerySet[Agreement]:
    filters = filters or AgreementFilters()
    agreements = _visible(actor, Agreement)
    if filters.kind:
        agreements = agreements.filter(kind=filters.kind)
    if filters.status:
        agreements = agreements.filter(status=filters.status)
    if filters.query:
        agreements = agreements.filter(
            Q(title__icontains=filters.query) | Q(partners__name__icontains=filters.query)
        ).distinct()
    return (
        agreements.select_related("unit")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("name")))
        .order_by("-signed_on", "-id")
    )


def get_agreement(actor: Actor, agreement_id: int) -> Agreement:
    return _one(
        _visible(actor, Agreement)
        .select_related("unit")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("name"))),
        agreement_id,
    )


def get_agreement_document(actor: Actor, agreement_id: int) -> Agreement:
    agreement = get_agreement(actor, agreement_id)
    if not agreement.document:
        raise Http404(_("Not found."))
    return agreement


# --- interest groups and volunteers ---------------------------------------------------


@dataclass(frozen=True)
class GroupFilters:
    kind: str = ""
    active: str = ""
    query: str = ""


def list_groups(actor: Actor, filters: GroupFilters | None = None) -> QuerySet[InterestGroup]:
    filters = filters or GroupFilters()
    groups = _visible(actor, InterestGroup)
    if filters.kind:
        groups = groups.filter(kind=filters.kind)
    active = _yes_no(filters.active)
    if active is not None:
        groups = groups.filter(is_active=active)
    if filters.query:
        groups = groups.filter(name__icontains=filters.query)
    today = timezone.localdate()
    return (
        groups.select_related("unit")
        .annotate(
            volunteer_count=Count(
                "volunteers", filter=Q(volunteers__left_on__isnull=True) | Q(volunteers__left_on__gte=today)
            )
        )
        .order_by("name", "id")
    )


def get_group(actor: Actor, group_id: int) -> InterestGroup:
    return _one(_visible(actor, InterestGroup).select_related("unit"), group_id)


def list_group_choices(actor: Actor) -> QuerySet[InterestGroup]:
    """Groups a volunteer may be placed in by this actor."""
    return (
        InterestGroup.objects.filter(policy.scope(actor, "manage", "unit_path"))
        .select_related("unit")
        .order_by("name", "id")
    )


def list_group_volunteers(actor: Actor, group: InterestGroup) -> QuerySet[Volunteer]:
    """The group's volunteers that the actor may open."""
    volunteers = group.volunteers.filter(policy.scope(actor, "view", "unit_path"))
    return volunteers.select_related("unit").order_by("name", "id")


@dataclass(frozen=True)
class VolunteerFilters:
    group: int | None = None
    active: str = ""
    query: str = ""


def list_volunteers(actor: Actor, filters: VolunteerFilters | None = None) -> QuerySet[Volunteer]:
    """Volunteers of the actor's places with the hours they gave in all."""
    filters = filters or VolunteerFilters()
    volunteers = _visible(actor, Volunteer)
    if filters.group:
        volunteers = volunteers.filter(group_id=filters.group)
    today = timezone.localdate()
    current = Q(left_on__isnull=True) | Q(left_on__gte=today)
    active = _yes_no(filters.active)
    if active is True:
        volunteers = volunteers.filter(current)
    elif active is False:
        volunteers = volunteers.exclude(current)
    if filters.query:
        volunteers = volunteers.filter(name__icontains=filters.query)
    return (
        volunteers.select_related("unit", "group")
        .annotate(total_hours=Coalesce(Sum("hours__hours"), Value(Decimal(0)), output_field=HOURS))
        .order_by("name", "id")
    )


def get_volunteer(actor: Actor, volunteer_id: int) -> Volunteer:
    return _one(_visible(actor, Volunteer).select_related("unit", "group"), volunteer_id)


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
    return _one(entries.select_related("volunteer"), entry_id)


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


# --- recognitions ---------------------------------------------------------------------


@dataclass(frozen=True)
class RecognitionFilters:
    recipient_kind: str = ""
    published: str = ""
    query: str = ""


def list_recognitions(actor: Actor, filters: RecognitionFilters | None = None) -> QuerySet[Recognition]:
    filters = filters or RecognitionFilters()
    recognitions = _visible(actor, Recognition)
    if filters.recipient_kind:
        recognitions = recognitions.filter(recipient_kind=filters.recipient_kind)
    published = _yes_no(filters.published)
    if published is not None:
        recognitions = recognitions.filter(is_published=published)
    if filters.query:
        recognitions = recognitions.filter(
            Q(recipient_name__icontains=filters.query) | Q(reason__icontains=filters.query)
        )
    return recognitions.select_related("unit", "partner").order_by("-awarded_on", "-id")


def get_recognition(actor: Actor, recognition_id: int) -> Recognition:
    return _one(_visible(actor, Recognition).select_related("unit", "partner"), recognition_id)


# --- exports (no personal data) -------------------------------------------------------

PARTNER_EXPORT_HEADER = [
    "id",
    "name",
    "kind",
    "level",
    "unit",
    "municipality",
    "identified_on",
    "active",
    "agreements_signed",
    "description",
]


def partner_export_rows(actor: Actor, filters: PartnerFilters) -> Iterable[list[Any]]:
    """The registry as rows for a spreadsheet: no contact people, no phone or
    e-mail; kinds and levels as codes so that the columns sort in any language."""
    partners = list_partners(actor, filters).annotate(
        signed=Count("agreements", filter=Q(agreements__status__in=SIGNED_STATUSES), distinct=True)
    )
    for partner in partners.iterator(chunk_size=2000):
        yield [
            partner.pk,
            partner.name,
            partner.kind,
            partner.level,
            partner.unit.name,
            partner.municipality.name if partner.municipality else "",
            partner.identified_on,
            partner.is_active,
            partner.signed,
            partner.description,
        ]


HOURS_EXPORT_HEADER = ["date", "volunteer_id", "interest_group", "unit", "hours", "activity"]


def hours_export_rows(actor: Actor, period: Period | None = None) -> Iterable[list[Any]]:
    """Volunteer hours as rows: the volunteer by number only, never by name or contact."""
    entries = VolunteerHours.objects.filter(policy.scope(actor, "view", "volunteer__unit_path"))
    if period is not None:
        entries = entries.filter(date__gte=period.start, date__lte=period.end)
    entries = entries.select_related("volunteer__group", "volunteer__unit").order_by("date", "id")
    for entry in entries.iterator(chunk_size=2000):
        volunteer = entry.volunteer
        yield [
            entry.date,
            volunteer.pk,
            volunteer.group.name if volunteer.group else "",
            volunteer.unit.name,
            entry.hours,
            entry.activity,
        ]


# --- counts for the action plan's indicators ------------------------------------------


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
