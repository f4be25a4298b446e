"""The registry and the volunteer hours as rows for CSV or XLSX: no personal data."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q

from cpis.core.periods import Period
from cpis.organisation.access import Actor

from ..models import SIGNED_STATUSES, VolunteerHours
from ..policy import policy
from .partners import PartnerFilters, list_partners

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
