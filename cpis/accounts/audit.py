"""The personal-data access log (docs/decisions/0014): every read of a person's
data, and every refused attempt at a record, appended as one entry of a hash
chain, with why it was read. Every app logs through here; the checks of the
chain and the data-protection officer's screens read what it writes.

Why a read happened (its purpose) comes from the form that asked for the data
(the fields `purpose` and `purpose_note`) or from a purpose the reader declared
for the same record a little earlier in this session. Records of the types in
SENSITIVE_RECORD_TYPES are not shown without one; for other records an unstated
purpose is recorded as routine work on the record."""

import hashlib
import ipaddress
import json
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cpis.core.errors import DomainError
from cpis.core.http import client_ip

from .models import AccessLogEntry, Outcome, Purpose, Restriction

GENESIS = "0" * 64
# The PostgreSQL advisory lock that orders writers of the chain ("CPIS" in ASCII).
CHAIN_LOCK = 0x43504953
# The session remembers purposes declared for records: {"type:id": [purpose, note, epoch]}.
DECLARED = "cpis_purposes"
NOTE_LENGTH = 300


class PurposeRequired(DomainError):
    message = _("Say why you need this person's data: choose a purpose from the list.")


class ReasonRequired(DomainError):
    message = _("You chose another reason: type it in a few words.")


class Restricted(PermissionDenied):
    """The record's processing is restricted: its personal data is not shown."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Processing of this person's data is restricted by the data-protection officer: "
                "it is kept but not shown."
            )
        )


@dataclass(frozen=True)
class Why:
    purpose: str
    note: str = ""


ROUTINE = Why(Purpose.ROUTINE)


def is_sensitive(subject_type: str) -> bool:
    return subject_type in settings.SENSITIVE_RECORD_TYPES


def purpose_from(data: Mapping[str, Any]) -> Why | None:
    """The purpose a form sent (`purpose`, and `purpose_note` for another
    reason); None when it sent none. PurposeRequired or ReasonRequired when
    what it sent is not one."""
    value = str(data.get("purpose") or "").strip()
    note = " ".join(str(data.get("purpose_note") or "").split())[:NOTE_LENGTH]
    if not value:
        return None
    if value not in Purpose.values:
        raise PurposeRequired
    if value == Purpose.OTHER and not note:
        raise ReasonRequired
    return Why(value, note if value == Purpose.OTHER else "")


def _key(subject_type: str, subject_id: object) -> str:
    return f"{subject_type}:{subject_id}"


def declare(request: HttpRequest, subject_type: str, subject_id: object, why: Why) -> None:
    """Remember for PURPOSE_SECONDS that the reader gave `why` for this record
    (in the session; a request without one, as a test's, remembers nothing)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    declared = {
        key: value
        for key, value in session.get(DECLARED, {}).items()
        if time.time() - value[2] <= settings.PURPOSE_SECONDS
    }
    declared[_key(subject_type, subject_id)] = [why.purpose, why.note, time.time()]
    session[DECLARED] = declared


def declared(request: HttpRequest, subject_type: str, subject_id: object) -> Why | None:
    """The purpose the reader declared for this record within PURPOSE_SECONDS."""
    value = getattr(request, "session", {}).get(DECLARED, {}).get(_key(subject_type, subject_id))
    if not value or not 0 <= time.time() - value[2] <= settings.PURPOSE_SECONDS:
        return None
    return Why(value[0], value[1])


def why_for(request: HttpRequest | None, subject_type: str, subject_id: object) -> Why:
    """Why this read happens: the purpose the request's form sent (remembered
    for the record), else one declared earlier, else routine work on a record
    that is not sensitive. PurposeRequired for a sensitive one."""
    if request is None:
        return ROUTINE
    sent = purpose_from(request.POST) if request.method == "POST" else None
    if sent is not None:
        declare(request, subject_type, subject_id, sent)
        return sent
    earlier = declared(request, subject_type, subject_id)
    if earlier is not None:
        return earlier
    if is_sensitive(subject_type):
        raise PurposeRequired
    return ROUTINE


def is_restricted(subject_type: str, subject_id: object) -> bool:
    return Restriction.objects.filter(
        subject_type=subject_type, subject_id=str(subject_id), lifted_at__isnull=True
    ).exists()


def restricted_among(subject_type: str, subject_ids: Iterable[object]) -> set[str]:
    """Which of these records are restricted, as text ids."""
    return set(
        Restriction.objects.filter(
            subject_type=subject_type, subject_id__in=[str(i) for i in subject_ids], lifted_at__isnull=True
        ).values_list("subject_id", flat=True)
    )


def log_personal_data_access(
    *,
    user_id: int | None,
    subject_type: str,
    subject_id: object,
    request: HttpRequest | None,
    why: Why | None = None,
    restricted_ok: bool = False,
) -> AccessLogEntry:
    """Record that `user_id` is shown the personal data of one record, and why
    (`why`, else what `why_for` finds in the request). Restricted when the
    record's processing is restricted (unless `restricted_ok`: the
    data-protection officer answering the person); PurposeRequired when a
    sensitive record comes without a purpose."""
    if not restricted_ok and is_restricted(subject_type, subject_id):
        raise Restricted
    reason = why or why_for(request, subject_type, subject_id)
    return append([_entry(user_id, subject_type, subject_id, request, Outcome.READ, reason)])[0]


def log_personal_data_reads(
    *,
    user_id: int | None,
    subject_type: str,
    subject_ids: Iterable[object],
    request: HttpRequest | None,
    why: Why | None = None,
    restricted_ok: bool = False,
) -> set[str]:
    """Record one read per record of a list that shows personal data (a
    forum's members, a partner's contacts, what a data-subject request
    found), appended to the chain in one go; returns the ids (as text) whose
    data may be shown: the restricted ones are left out and not logged
    (unless `restricted_ok`). The purpose is `why`, else the one the form
    sent, else routine work."""
    ids = [str(i) for i in subject_ids]
    hidden = set() if restricted_ok else restricted_among(subject_type, ids)
    shown = [i for i in ids if i not in hidden]
    if why is None:
        sent = purpose_from(request.POST) if request is not None and request.method == "POST" else None
        why = sent or ROUTINE
    append([_entry(user_id, subject_type, i, request, Outcome.READ, why) for i in shown])
    return set(shown)


def log_refusal(
    *, user_id: int, subject_type: str, subject_id: object, outcome: str, request: HttpRequest | None
) -> AccessLogEntry:
    """Record an attempt at a record that was refused: outside the reader's
    places (Outcome.OUTSIDE) or not allowed there (Outcome.REFUSED)."""
    return append([_entry(user_id, subject_type, subject_id, request, outcome, Why(""))])[0]


def _entry(
    user_id: int | None,
    subject_type: str,
    subject_id: object,
    request: HttpRequest | None,
    outcome: str,
    why: Why,
) -> AccessLogEntry:
    """An unsealed entry. The source is the page or endpoint with the names of
    its query parameters but not their values: a search term is often a
    person's name."""
    source, address = "", None
    if request is not None:
        names = sorted(set(request.GET))
        source = (request.path + ("?" + "&".join(names) if names else ""))[:300]
        address = _canonical_ip(client_ip(request))
    return AccessLogEntry(
        user_id=user_id,
        subject_type=subject_type[:100],
        subject_id=str(subject_id)[:64],
        outcome=outcome,
        purpose=why.purpose,
        purpose_note=why.note,
        source=source,
        client_ip=address,
        # Whole microseconds survive every database, so the seal reads back the same.
        at=timezone.now(),
    )


def _canonical_ip(address: str | None) -> str | None:
    try:
        return ipaddress.ip_address(address).compressed if address else None
    except ValueError:
        return None


def seal(entry: AccessLogEntry) -> str:
    """The hash of an entry: SHA-256 of its fields (the previous entry's hash
    among them) as canonical JSON."""
    text = json.dumps(entry.sealed_fields(), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def append(entries: list[AccessLogEntry]) -> list[AccessLogEntry]:
    """Add entries at the head of the chain. Writers take turns: PostgreSQL
    through an advisory lock held to the end of the transaction, SQLite through
    its one writer (transactions begin IMMEDIATE); the unique sequence number
    stops a fork should two ever meet, and the loser tries again."""
    if not entries:
        return entries
    for attempt in range(5):
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])
                head = AccessLogEntry.objects.order_by("-seq").values_list("seq", "hash").first()
                seq, previous = head or (0, GENESIS)
                for entry in entries:
                    seq += 1
                    entry.seq, entry.prev_hash = seq, previous
                    entry.hash = previous = seal(entry)
                return AccessLogEntry.objects.bulk_create(entries)
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class ChainCheck:
    """What checking the chain found: how many entries, the head (the last
    entry's sequence number and hash, to note down and check later), and the
    first break, if any."""

    entries: int
    head_seq: int
    head_hash: str
    broken_at: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(*, anchor: tuple[int, str] | None = None, batch: int = 5000) -> ChainCheck:
    """Recompute every entry's hash in sequence: a changed entry no longer
    matches its hash, a removed or inserted one breaks the numbering or the
    link to the entry before. `anchor` (a head noted earlier) must still be in
    the chain with the same hash, which catches the removal of the newest
    entries too."""
    count, expected, previous = 0, 1, GENESIS
    anchor_seen = anchor is None
    rows = AccessLogEntry.objects.order_by("seq")
    for entry in rows.iterator(chunk_size=batch):
        count += 1
        problem, at = "", entry.seq
        if entry.seq != expected:
            gap = (
                f"entry {expected} is"
                if entry.seq == expected + 1
                else f"entries {expected} to {entry.seq - 1} are"
            )
            problem, at = f"{gap} missing", expected
        elif entry.prev_hash != previous:
            problem = "its link to the entry before does not match"
        elif seal(entry) != entry.hash:
            problem = "it was changed after it was written"
        if problem:
            return ChainCheck(count, entry.seq, entry.hash, broken_at=at, problem=problem)
        if anchor is not None and entry.seq == anchor[0]:
            if entry.hash != anchor[1]:
                return ChainCheck(count, entry.seq, entry.hash, entry.seq, "it differs from the noted head")
            anchor_seen = True
        expected, previous = entry.seq + 1, entry.hash
    if not anchor_seen and anchor is not None:
        return ChainCheck(
            count, expected - 1, previous, anchor[0], "the noted head is no longer in the chain"
        )
    return ChainCheck(count, expected - 1, previous)


# --- restriction of processing ------------------------------------------------


class AlreadyRestricted(DomainError):
    message = _("Processing of this record is already restricted.")


class NotRestricted(DomainError):
    message = _("Processing of this record is not restricted.")


class LegalReasonRequired(DomainError):
    status_code = 400
    message = _("State the legal reason.")


def restrict(*, subject_type: str, subject_id: object, legal_reason: str, by_user_id: int) -> Restriction:
    """Restrict processing of one record's personal data: from now on it is
    kept but not shown (reads raise Restricted) until lifted."""
    if not legal_reason.strip():
        raise LegalReasonRequired
    if is_restricted(subject_type, subject_id):
        raise AlreadyRestricted
    try:
        with transaction.atomic():
            return Restriction.objects.create(
                subject_type=subject_type,
                subject_id=str(subject_id),
                legal_reason=legal_reason.strip(),
                restricted_by_id=by_user_id,
            )
    except IntegrityError as exc:  # restricted by someone else meanwhile
        raise AlreadyRestricted from exc


def lift_restriction(*, subject_type: str, subject_id: object, reason: str, by_user_id: int) -> Restriction:
    """Lift the standing restriction of one record; it stays on file."""
    if not reason.strip():
        raise LegalReasonRequired
    standing = Restriction.objects.filter(
        subject_type=subject_type, subject_id=str(subject_id), lifted_at__isnull=True
    ).first()
    if standing is None:
        raise NotRestricted
    standing.lifted_at, standing.lifted_by_id, standing.lift_reason = (
        timezone.now(),
        by_user_id,
        reason.strip(),
    )
    standing.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
    return standing
