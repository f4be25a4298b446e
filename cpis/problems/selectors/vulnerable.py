"""Reads of the register of vulnerable persons and groups [3.1.3]: who may
open it (the chain of command and the safeguarding role at the entry's place,
and the officer appointed to an entry), the list without names or details, and
one entry whose name and details are read only with a stated purpose, each
read appended to the access log."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.accounts import audit
from cpis.core.http import one_or_404
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit, UnitKind, station_path

from ..models import Change, VulnerableEntry
from ..policy import policy

SUBJECT = "problems.vulnerableentry"
# Where an entry is kept: a sector, or a station (or substation) for a group or a
# person the whole station looks after.
ENTRY_PLACE_KINDS = (UnitKind.SECTOR, UnitKind.SUBSTATION, UnitKind.STATION)


@dataclass(frozen=True)
class Filters:
    kind: str = ""
    vulnerability: str = ""
    unit: Unit | None = None
    overdue: bool = False  # only entries whose review date has passed
    mine: bool = False  # only entries the actor is the appointed officer of


def _appointed(actor: Actor) -> Q:
    """The entries whose appointed officer is the actor, while in service."""
    if actor.user_id is None:
        return Q(pk__in=[])
    return Q(officer__user_id=actor.user_id, officer__is_active=True)


def visible_entries(actor: Actor) -> QuerySet[VulnerableEntry]:
    """The entries the actor may read: those at the places where they hold a
    reading role, and those they are the appointed officer of. Nobody else's,
    whatever their rank elsewhere."""
    return VulnerableEntry.objects.filter(
        policy.scope(actor, "vulnerable_read", "unit_path") | _appointed(actor)
    )


def may_open_register(actor: Actor) -> bool:
    """A reading role somewhere, or an entry the actor is appointed to."""
    if policy.anywhere(actor, "vulnerable_read"):
        return True
    return VulnerableEntry.objects.filter(_appointed(actor)).exists()


def require_register(actor: Actor) -> None:
    """The register's pages and export: 404 for who sees no policing records at
    all, 403 for the other roles (coordinators, the directorate, the strategy
    coordinator, administrators), who never see an entry."""
    if may_open_register(actor):
        return
    if not policy.sees_anything(actor):
        raise Http404(_("Not found."))
    raise PermissionDenied(_("The register of vulnerable persons is not open to your role."))


def may_record(actor: Actor) -> bool:
    return policy.anywhere(actor, "vulnerable_record")


def can_record(actor: Actor, entry: VulnerableEntry) -> bool:
    """May the actor change, review and appoint an officer to this entry?"""
    return policy.can(actor, "vulnerable_record", entry.unit_path)


def _rows(actor: Actor, filters: Filters, today: date) -> QuerySet[VulnerableEntry]:
    entries = visible_entries(actor)
    if filters.kind:
        entries = entries.filter(kind=filters.kind)
    if filters.vulnerability:
        entries = entries.filter(vulnerability=filters.vulnerability)
    if filters.unit is not None:
        entries = entries.filter(unit_path__startswith=filters.unit.path)
    if filters.overdue:
        entries = entries.filter(review_on__lt=today)
    if filters.mine:
        entries = entries.filter(_appointed(actor))
    return entries


def list_entries(actor: Actor, filters: Filters, *, today: date | None = None) -> QuerySet[VulnerableEntry]:
    """The visible entries that match, the first review due first, each with
    `overdue` (its review date has passed). The name and the details are not
    loaded: a list is no reading of anyone's data."""
    today = today or timezone.localdate()
    return (
        _rows(actor, filters, today)
        .defer("name", "details")
        .select_related("unit", "unit__parent", "officer")
        .annotate(overdue=ExpressionWrapper(Q(review_on__lt=today), output_field=BooleanField()))
        .order_by("review_on", "id")
    )


def get_entry(actor: Actor, entry_id: int) -> VulnerableEntry:
    """One visible entry, for its page: what it is, where, who looks after it
    and when it is reviewed, without the name or the details (not loaded). 404
    for an entry the actor may not read, as for one that does not exist; the
    attempt is logged as refused."""
    today = timezone.localdate()
    return one_or_404(
        visible_entries(actor)
        .defer("name", "details")
        .select_related("unit", "unit__parent", "officer", "created_by")
        .annotate(overdue=ExpressionWrapper(Q(review_on__lt=today), output_field=BooleanField())),
        pk=entry_id,
    )


@dataclass(frozen=True)
class Revealed:
    """An entry's personal data, as read."""

    name: str
    details: str


def read_entry(actor: Actor, entry: VulnerableEntry, *, request: HttpRequest | None) -> Revealed:
    """The name and details of an entry the actor may read, logged with why
    (the purpose the request's form sent, or one declared for the entry
    lately): PurposeRequired without one, Restricted when the data-protection
    officer restricted its processing. The reveal view also asks for a fresh
    second factor."""
    full = one_or_404(visible_entries(actor), pk=entry.pk)
    _log(actor, full, request)
    return Revealed(full.name, full.details)


def _log(actor: Actor, entry: VulnerableEntry, request: HttpRequest | None) -> None:
    # Only a reader's request carries a purpose: without one there is none to record,
    # and the register is never read as routine work.
    if request is None:
        raise audit.PurposeRequired
    audit.log_personal_data_access(
        user_id=actor.user_id, subject_type=SUBJECT, subject_id=entry.pk, request=request
    )


def read_for_change(actor: Actor, entry: VulnerableEntry, *, request: HttpRequest | None) -> VulnerableEntry:
    """The whole entry, to fill its change form: for those who may record at
    its place, logged as a read with the purpose declared for it lately
    (PurposeRequired when none was)."""
    policy.require(actor, "vulnerable_record", entry.unit_path)
    full = one_or_404(visible_entries(actor).select_related("unit", "officer"), pk=entry.pk)
    _log(actor, full, request)
    return full


def require_declared_purpose(request: HttpRequest, entry: VulnerableEntry) -> audit.Why:
    """The purpose the reader declared for the entry within PURPOSE_MINUTES
    (a change is saved within it); PurposeRequired when there is none."""
    why = audit.declared(request, SUBJECT, entry.pk)
    if why is None:
        raise audit.PurposeRequired
    return why


def list_places(actor: Actor) -> QuerySet[Unit]:
    """Sectors and stations where the actor may record entries, in tree order."""
    return (
        Unit.objects.filter(kind__in=ENTRY_PLACE_KINDS)
        .filter(policy.scope(actor, "vulnerable_record"))
        .select_related("parent")
        .order_by("path")
    )


def list_filter_places(actor: Actor) -> QuerySet[Unit]:
    """Sectors and stations where the actor reads the register by role."""
    return (
        Unit.objects.filter(kind__in=ENTRY_PLACE_KINDS)
        .filter(policy.scope(actor, "vulnerable_read"))
        .select_related("parent")
        .order_by("path")
    )


def list_officer_choices(unit: Unit) -> QuerySet[Officer]:
    """Officers in service at the station of the entry's place: who may be
    appointed to it."""
    return Officer.objects.filter(is_active=True, unit__path__startswith=station_path(unit.path)).order_by(
        "last_name", "first_name", "id"
    )


def list_officer_choices_for(places: QuerySet[Unit]) -> QuerySet[Officer]:
    """Officers in service at any station of these places (the record form's
    choices before a place is chosen; the service checks the station)."""
    stations = {station_path(unit.path) for unit in places}
    query = Q(pk__in=[])
    for path in stations:
        query |= Q(unit__path__startswith=path)
    return (
        Officer.objects.filter(query, is_active=True)
        .select_related("unit")
        .order_by("last_name", "first_name", "id")
    )


def export_header() -> list[str]:
    return [
        _("Number"),
        _("Person or group"),
        _("Kind of vulnerability"),
        _("Place"),
        _("Appointed officer"),
        _("Legal basis"),
        _("Identified on"),
        _("Review by"),
        _("Last reviewed on"),
        _("Review overdue"),
    ]


def export_rows(actor: Actor, filters: Filters) -> Iterator[list[Any]]:
    """The list as rows for a file: never a name or the details."""
    yes, no = _("yes"), _("no")
    today = timezone.localdate()
    for entry in list_entries(actor, filters, today=today).iterator(chunk_size=2000):
        yield [
            entry.pk,
            entry.get_kind_display(),
            entry.get_vulnerability_display(),
            entry.unit.name,
            entry.officer.full_name,
            entry.get_legal_basis_display(),
            entry.identified_on,
            entry.review_on,
            entry.reviewed_on,
            yes if entry.review_on < today else no,
        ]


def list_entry_changes(entry: VulnerableEntry) -> QuerySet[Change]:
    """Who recorded, changed, reviewed the entry or appointed its officer, and when
    (the history holds the names of fields changed, never what the entry says)."""
    return Change.objects.filter(entry=entry).select_related("by").order_by("at", "id")
