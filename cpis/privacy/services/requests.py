"""Answering data-subject requests (Law No. 06/L-082; LED Arts 14–16), for
the data-protection officer only: record a request, search every kind of
record for the person, show or export what is held, erase or restrict a
record, and close the request with the answer given.

Each of these is a step of the request, written in the same transaction as
what it did; every record whose personal data the officer is shown (a
search's finds, a look, an export) is written to the access log with the
purpose "answering the person's data-subject request" and the request's
reference, restricted records included."""

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.accounts import audit
from cpis.accounts.audit import Why, log_personal_data_reads
from cpis.accounts.models import Purpose, Restriction
from cpis.core.contact import clean_email
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.subjects import ErasureRefused, Kind, NoLongerHeld, name_words, phone_key
from cpis.core.text import check_choice, clean_text
from cpis.organisation.access import Actor

from ..models import RequestKind, RequestStatus, StepKind, SubjectRequest, SubjectRequestStep
from ..selectors import requests as selectors

# Records of one kind a search keeps: a search that finds more needs narrowing.
MAX_HITS = 200
MAX_IDENTIFIERS = 10
REASON_LIMIT = 2000


class RequestClosed(DomainError):
    message = gettext_lazy("This request has been closed: nothing more can be done under it.")


class IdentifierRequired(DomainError):
    status_code = 400
    message = gettext_lazy("Give at least one name, e-mail address or phone number the person is known by.")


class NoSearchYet(DomainError):
    message = gettext_lazy("Run the search first.")


class NotFoundByRequest(DomainError):
    status_code = 400
    message = gettext_lazy("This record is not among those the last search found for this request.")


class RestrictedRecord(DomainError):
    message = gettext_lazy(
        "Processing of this record is restricted: lift the restriction first if the law allows erasing it."
    )


class OutcomeRequired(DomainError):
    status_code = 400
    message = gettext_lazy("Write the answer given to the person, and for a refusal the law's reason.")


def due_by(received_on: date, months: int | None = None) -> date:
    """The legal deadline: `months` calendar months after receipt (the same
    day of the month, or its last day when that month is shorter)."""
    months = settings.SUBJECT_REQUEST_MONTHS if months is None else months
    month_index = received_on.month - 1 + months
    year, month = received_on.year + month_index // 12, month_index % 12 + 1
    return received_on.replace(
        year=year, month=month, day=min(received_on.day, calendar.monthrange(year, month)[1])
    )


def _user_id(actor: Actor) -> int:
    """A request is answered by a person, never by the system."""
    if actor.user_id is None:
        raise PermissionDenied(_("You may not do this here."))
    return actor.user_id


def _why(subject_request: SubjectRequest) -> Why:
    return Why(Purpose.SUBJECT_REQUEST, subject_request.reference)


def _step(subject_request: SubjectRequest, actor: Actor, kind: str, **values: Any) -> SubjectRequestStep:
    return SubjectRequestStep.objects.create(
        request=subject_request, by_id=_user_id(actor), kind=kind, **values
    )


def _locked_open(actor: Actor, subject_request: SubjectRequest) -> SubjectRequest:
    selectors.require_officer(actor)
    locked = SubjectRequest.objects.select_for_update().get(pk=subject_request.pk)
    if not locked.is_open:
        raise RequestClosed
    return locked


def _identifiers(text: str, clean: Any) -> str:
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    lines = [clean(line) for line in lines if line]
    if len(lines) > MAX_IDENTIFIERS:
        raise InvalidInput(_("At most %(count)s of each, one per line.") % {"count": MAX_IDENTIFIERS})
    return "\n".join(dict.fromkeys(lines))


def _name(line: str) -> str:
    line = clean_text(line, limit=200, required=True)
    if not name_words(line):
        raise InvalidInput(_("A name needs at least one word."))
    return line


def _email(line: str) -> str:
    return clean_email(line)


def _phone(line: str) -> str:
    line = clean_text(line, limit=40, required=True)
    if phone_key(line) is None:
        raise InvalidInput(_("A phone number needs at least eight digits: %(phone)s") % {"phone": line})
    return line


def _next_reference(year: int) -> str:
    prefix = f"DSR-{year}-"
    taken = SubjectRequest.objects.filter(reference__startswith=prefix).values_list("reference", flat=True)
    numbers = [
        int(reference.removeprefix(prefix))
        for reference in taken
        if reference.removeprefix(prefix).isdecimal()
    ]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


@dataclass(frozen=True)
class RequestData:
    kind: str
    requester_name: str
    requester_contact: str
    received_on: date
    names: str = ""
    emails: str = ""
    phones: str = ""
    note: str = ""


def record_request(actor: Actor, *, data: RequestData) -> SubjectRequest:
    """Record a request as received, with its reference (DSR-<year>-<number>)
    and the legal deadline; InvalidInput or IdentifierRequired for bad input,
    and then nothing is kept."""
    selectors.require_officer(actor)
    kind = check_choice(data.kind, RequestKind.values, _("Choose the kind of request."))
    requester_name = clean_text(data.requester_name, limit=200, required=True)
    requester_contact = clean_text(data.requester_contact, limit=300, required=True)
    note = clean_text(data.note, limit=4000, required=False)
    if data.received_on > timezone.localdate():
        raise InvalidInput(_("The request cannot have been received in the future."))
    names = _identifiers(data.names, _name)
    emails = _identifiers(data.emails, _email)
    phones = _identifiers(data.phones, _phone)
    if not (names or emails or phones):
        raise IdentifierRequired
    for _attempt in range(5):
        try:
            with transaction.atomic():
                subject_request = SubjectRequest.objects.create(
                    reference=_next_reference(data.received_on.year),
                    kind=kind,
                    requester_name=requester_name,
                    requester_contact=requester_contact,
                    names=names,
                    emails=emails,
                    phones=phones,
                    note=note,
                    received_on=data.received_on,
                    due_by=due_by(data.received_on),
                    handled_by_id=actor.user_id,
                )
                _step(subject_request, actor, StepKind.RECEIVED)
                return subject_request
        except IntegrityError:  # the same reference taken meanwhile: take the next
            continue
    raise AssertionError("no free reference after five attempts")


@transaction.atomic
def run_search(
    actor: Actor, *, subject_request: SubjectRequest, http_request: HttpRequest | None
) -> SubjectRequestStep:
    """Search every kind of record for the person; the step keeps what was
    found (at most MAX_HITS of a kind), and each record found is logged as
    read for this request."""
    subject_request = _locked_open(actor, subject_request)
    terms = selectors.terms_of(subject_request)
    records: list[dict[str, Any]] = []
    more: list[str] = []
    counts = []
    for kind in selectors.kinds():
        hits = kind.find(terms)
        if len(hits) > MAX_HITS:
            more.append(kind.subject_type)
        hits = hits[:MAX_HITS]
        counts.append(f"{kind.label}: {len(hits)}{'+' if kind.subject_type in more else ''}")
        records += [{"type": kind.subject_type, "id": hit.id, "matched": list(hit.matched)} for hit in hits]
        _log_reads(actor, subject_request, kind.subject_type, [hit.id for hit in hits], http_request)
    return _step(
        subject_request,
        actor,
        StepKind.SEARCH,
        what="; ".join(counts),
        hits={"records": records, "more": more},
    )


def _log_reads(
    actor: Actor,
    subject_request: SubjectRequest,
    subject_type: str,
    subject_ids: list[str],
    http_request: HttpRequest | None,
) -> None:
    """The records of one kind read for the request, in one append to the
    access log; restricted ones too, since the person may see their own."""
    log_personal_data_reads(
        user_id=actor.user_id,
        subject_type=subject_type,
        subject_ids=subject_ids,
        request=http_request,
        why=_why(subject_request),
        restricted_ok=True,
    )


def _restriction(subject_type: str, subject_id: str) -> dict[str, Any] | None:
    standing = Restriction.objects.filter(
        subject_type=subject_type, subject_id=subject_id, lifted_at__isnull=True
    ).first()
    if standing is None:
        return None
    return {str(_("restricted at")): standing.restricted_at, str(_("legal reason")): standing.legal_reason}


@transaction.atomic
def export_found(
    actor: Actor, *, subject_request: SubjectRequest, http_request: HttpRequest | None, download: bool
) -> dict[str, Any]:
    """Everything every record the latest search found holds about the
    person, with each record's restriction if any: to look at on the page,
    or to download (`download`). Each record is logged as read for this
    request, and the look or the export is a step of it."""
    selectors.require_officer(actor)
    step = selectors.latest_search(subject_request)
    if step is None:
        raise NoSearchYet
    records = []
    read: dict[str, list[str]] = {}
    for subject_type, subject_id, matched in selectors.found_records(step):
        kind = selectors.kind_for(subject_type)
        if kind is None:
            continue
        try:
            data = kind.export(subject_id)
        except NoLongerHeld:
            records.append(_record(kind, subject_id, matched, None))
            continue
        read.setdefault(subject_type, []).append(subject_id)
        records.append(_record(kind, subject_id, matched, data))
    for subject_type, subject_ids in read.items():
        _log_reads(actor, subject_request, subject_type, subject_ids, http_request)
    _step(
        subject_request,
        actor,
        StepKind.EXPORT if download else StepKind.SHOWN,
        what=_("%(count)s records") % {"count": len(records)},
    )
    return {
        "request": subject_request.reference,
        "received_on": subject_request.received_on,
        "made_at": timezone.now(),
        "made_by": actor.username,
        "records": records,
    }


def _record(
    kind: Kind, subject_id: str, matched: tuple[str, ...], data: dict[str, Any] | None
) -> dict[str, Any]:
    return {
        "type": kind.subject_type,
        "kind": str(kind.label),
        "id": subject_id,
        "matched": list(matched),
        "held": data is not None,
        "restriction": _restriction(kind.subject_type, subject_id),
        "data": data or {},
    }


def _found_kind(subject_request: SubjectRequest, subject_type: str, subject_id: str) -> Kind:
    """The kind of a record the latest search found; NotFoundByRequest for any other."""
    found = {(t, i) for t, i, _matched in selectors.found_records(selectors.latest_search(subject_request))}
    kind = selectors.kind_for(subject_type)
    if kind is None or (subject_type, subject_id) not in found:
        raise NotFoundByRequest
    return kind


def _reason(text: str) -> str:
    reason = clean_text(text, limit=REASON_LIMIT, required=False)
    if not reason:
        raise audit.LegalReasonRequired
    return reason


def erase_record(
    actor: Actor, *, subject_request: SubjectRequest, subject_type: str, subject_id: str, legal_reason: str
) -> str:
    """Erase what one record found holds about the person, as its kind
    erases (anonymises or deletes), and say what was done. Where the law
    keeps the data, the refusal is a step of the request too, and
    ErasureRefused says why; a restricted record is not erased."""
    refused: ErasureRefused | None = None
    with transaction.atomic():
        subject_request = _locked_open(actor, subject_request)
        kind = _found_kind(subject_request, subject_type, subject_id)
        reason = _reason(legal_reason)
        if audit.is_restricted(subject_type, subject_id):
            raise RestrictedRecord
        try:
            with transaction.atomic():
                what = kind.erase(
                    subject_id,
                    legal_reason=reason,
                    by_user_id=_user_id(actor),
                    request_reference=subject_request.reference,
                )
        except ErasureRefused as exc:
            refused, what = exc, str(exc)
        _step(
            subject_request,
            actor,
            StepKind.ERASURE_REFUSED if refused else StepKind.ERASED,
            subject_type=subject_type,
            subject_id=subject_id,
            legal_reason=reason,
            what=what,
        )
    if refused is not None:
        raise refused
    return what


def _held(kind: Kind, subject_id: str) -> None:
    if subject_id not in kind.describe([subject_id]):
        raise NoLongerHeld


@transaction.atomic
def restrict_record(
    actor: Actor, *, subject_request: SubjectRequest, subject_type: str, subject_id: str, legal_reason: str
) -> Restriction:
    """Restrict processing of one record found: it is kept, and from now on
    its personal data is shown to no one but the data-protection officer."""
    subject_request = _locked_open(actor, subject_request)
    kind = _found_kind(subject_request, subject_type, subject_id)
    reason = _reason(legal_reason)
    _held(kind, subject_id)
    restriction = audit.restrict(
        subject_type=subject_type, subject_id=subject_id, legal_reason=reason, by_user_id=_user_id(actor)
    )
    _step(
        subject_request,
        actor,
        StepKind.RESTRICTED,
        subject_type=subject_type,
        subject_id=subject_id,
        legal_reason=reason,
    )
    return restriction


@transaction.atomic
def lift_record_restriction(
    actor: Actor, *, subject_request: SubjectRequest, subject_type: str, subject_id: str, legal_reason: str
) -> Restriction:
    """Lift the restriction of one record found; the restriction stays on file."""
    subject_request = _locked_open(actor, subject_request)
    _found_kind(subject_request, subject_type, subject_id)
    reason = _reason(legal_reason)
    restriction = audit.lift_restriction(
        subject_type=subject_type, subject_id=subject_id, reason=reason, by_user_id=_user_id(actor)
    )
    _step(
        subject_request,
        actor,
        StepKind.LIFTED,
        subject_type=subject_type,
        subject_id=subject_id,
        legal_reason=reason,
    )
    return restriction


@transaction.atomic
def close_request(
    actor: Actor, *, subject_request: SubjectRequest, status: str, outcome: str
) -> SubjectRequest:
    """Close the request as answered or refused, with the answer given to the
    person (for a refusal, the law's reason)."""
    subject_request = _locked_open(actor, subject_request)
    status = check_choice(
        status, [RequestStatus.ANSWERED, RequestStatus.REFUSED], _("Choose how the request ends.")
    )
    text = clean_text(outcome, limit=4000, required=False)
    if not text:
        raise OutcomeRequired
    subject_request.status, subject_request.outcome = status, text
    subject_request.closed_at, subject_request.handled_by_id = timezone.now(), actor.user_id
    subject_request.save(update_fields=["status", "outcome", "closed_at", "handled_by"])
    _step(subject_request, actor, StepKind.CLOSED, what=f"{subject_request.get_status_display()}: {text}")
    return subject_request
