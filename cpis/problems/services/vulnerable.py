"""Writes of the register of vulnerable persons and groups [3.1.3]: record an
entry, change it, review it (a new review date at most twelve months ahead)
and appoint its officer; and the retention job, which erases the entries whose
review date passed without a review. The sector leader, the station commander
and the safeguarding role record at their places. Bad input changes nothing."""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.accounts.audit import restricted_among
from cpis.core.errors import InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor
from cpis.organisation.models import Officer, Unit

from ..models import LegalBasis, Vulnerability, VulnerableEntry, VulnerableKind
from ..policy import policy
from ..selectors import vulnerable as selectors
from .history import record

# The longest an entry goes without a review: special category data is kept no longer
# than needed (LED Art. 4(1)(e), 5), and whether a person is still vulnerable is asked
# again at least once a year.
REVIEW_MONTHS = 12
# Entries erased at a time (one `IN (…)` each).
CHUNK = 500


@dataclass(frozen=True)
class EntryInput:
    """What an entry says about the person or group."""

    kind: str
    name: str
    vulnerability: str
    details: str
    legal_basis: str
    identified_on: date


def months_after(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has no such day)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def latest_review(today: date) -> date:
    return months_after(today, REVIEW_MONTHS)


def _clean(data: EntryInput, today: date) -> dict[str, object]:
    return {
        "kind": check_choice(data.kind, VulnerableKind.values, _("Say whether it is a person or a group.")),
        "name": clean_text(
            data.name, limit=200, required=True, missing=_("Give the name of the person or the group.")
        ),
        "vulnerability": check_choice(
            data.vulnerability, Vulnerability.values, _("Choose the kind of vulnerability.")
        ),
        "details": clean_text(data.details, limit=10_000, required=False),
        "legal_basis": check_choice(
            data.legal_basis, LegalBasis.values, _("Choose the legal basis for keeping the entry.")
        ),
        "identified_on": _identified_on(data.identified_on, today),
    }


def _identified_on(day: date | None, today: date) -> date:
    if day is None or day > today:
        raise InvalidInput(_("Give the date the vulnerability was identified: today or earlier."))
    return day


def _review_on(day: date | None, today: date) -> date:
    if day is None or not today < day <= latest_review(today):
        raise InvalidInput(
            _("Choose a review date after today and at most twelve months ahead (by %(date)s).")
            % {"date": latest_review(today).isoformat()}
        )
    return day


def _place(unit: Unit) -> Unit:
    if unit.kind not in selectors.ENTRY_PLACE_KINDS:
        raise InvalidInput(_("Choose a sector or a station as the entry's place."))
    return unit


def _officer(unit: Unit, officer: Officer | None) -> Officer:
    if officer is None or not selectors.list_officer_choices(unit).filter(pk=officer.pk).exists():
        raise InvalidInput(_("Appoint an officer in service at the station of the entry's place."))
    return officer


@transaction.atomic
def record_entry(
    actor: Actor, *, unit: Unit, data: EntryInput, officer: Officer | None, review_on: date | None
) -> VulnerableEntry:
    """Record a vulnerable person or group at a sector or station, with the
    officer appointed to them (serving at its station) and the date by which
    the entry is reviewed (at most twelve months ahead)."""
    policy.require(actor, "vulnerable_record", unit.path)
    today = timezone.localdate()
    fields = _clean(data, today)
    entry = VulnerableEntry.objects.create(
        unit=_place(unit),
        unit_path=unit.path,
        officer=_officer(unit, officer),
        review_on=_review_on(review_on, today),
        created_by_id=actor.user_id,
        **fields,
    )
    record(entry, actor, "recorded", to=str(entry.review_on))
    return entry


def _locked(actor: Actor, entry: VulnerableEntry) -> VulnerableEntry:
    policy.require(actor, "vulnerable_record", entry.unit_path)
    return VulnerableEntry.objects.select_for_update().get(pk=entry.pk)


@transaction.atomic
def update_entry(actor: Actor, *, entry: VulnerableEntry, data: EntryInput) -> VulnerableEntry:
    """Correct what an entry says (its place, officer and review date have
    their own steps)."""
    entry = _locked(actor, entry)
    fields = _clean(data, timezone.localdate())
    # The names of the fields changed, never their values: the history holds nothing
    # about the person.
    changed = [name for name, value in fields.items() if getattr(entry, name) != value]
    for name, value in fields.items():
        setattr(entry, name, value)
    entry.save(update_fields=[*fields, "updated_at"])
    if changed:
        record(entry, actor, "changed", fields=changed)
    return entry


@transaction.atomic
def review_entry(actor: Actor, *, entry: VulnerableEntry, review_on: date | None) -> VulnerableEntry:
    """Record that the entry was reviewed today and is still needed, with the
    next review date (after today, at most twelve months ahead)."""
    entry = _locked(actor, entry)
    today = timezone.localdate()
    entry.review_on = _review_on(review_on, today)
    entry.reviewed_on = today
    entry.save(update_fields=["review_on", "reviewed_on", "updated_at"])
    record(entry, actor, "reviewed", to=str(entry.review_on))
    return entry


@transaction.atomic
def appoint_officer(actor: Actor, *, entry: VulnerableEntry, officer: Officer | None) -> VulnerableEntry:
    """Appoint another officer, in service at the station of the entry's place."""
    entry = _locked(actor, entry)
    previous = entry.officer
    entry.officer = _officer(entry.unit, officer)
    entry.save(update_fields=["officer", "updated_at"])
    record(entry, actor, "officer", **{"from": str(previous), "to": str(entry.officer)})
    return entry


def expiry_cutoff(today: date) -> date:
    """Entries whose review date is before this day are erased."""
    return today - timedelta(days=settings.VULNERABLE_REVIEW_GRACE_DAYS)


@transaction.atomic
def erase_expired(today: date | None = None) -> str:
    """The retention job: delete the entries whose review date passed more than
    VULNERABLE_REVIEW_GRACE_DAYS ago (a review moves the date ahead, so these
    were not reviewed). Entries whose processing the data-protection officer
    restricted are kept (LED Art. 16(3)): restriction stands in for erasure."""
    due = VulnerableEntry.objects.filter(review_on__lt=expiry_cutoff(today or timezone.localdate()))
    ids = list(due.order_by("pk").values_list("pk", flat=True))
    erased = kept = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        restricted = restricted_among(selectors.SUBJECT, chunk)
        kept += len(restricted)
        deleted, _rows = VulnerableEntry.objects.filter(
            pk__in=[pk for pk in chunk if str(pk) not in restricted]
        ).delete()
        erased += deleted
    return (
        f"Vulnerable register: {erased} entries erased after their review date passed unreviewed; "
        f"{kept} kept under a restriction."
    )
