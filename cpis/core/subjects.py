"""What the apps hold about a person, for data-subject requests (Law No.
06/L-082; LED Arts 14–16): access, erasure, restriction.

An app that keeps people's data names a module in its AppConfig
(`personal_data`, listed by `registry.personal_data_modules`) whose `KINDS`
are `Kind`s, one per record kind that holds a person: it finds the records
by name, e-mail or phone (`Terms`), describes them without their personal
data (`Hit`), exports everything it holds about one, and erases one where the
law allows, raising `ErasureRefused` with the law's reason where it does not.

A kind checks no permission and writes nothing to the access log: the
data-protection officer's screens (privacy) do both, for every kind alike."""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, Protocol

from django.db.models import Model, Q, QuerySet
from django.db.models.fields.files import FieldFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .errors import DomainError
from .i18n import fold
from .models import OutboxMessage

# Phones are compared by their last eight digits: the national number, whether
# written +383 44 123 456, 00383 44 123 456 or 044 123 456.
PHONE_DIGITS = 8
# Values at a time in one `IN (…)` (SQLite allows 999 parameters in old builds).
CHUNK = 500
WORD = re.compile(r"\w+")
# What separates an e-mail address from a phone in a field that holds either or both.
CONTACT_SEPARATORS = re.compile(r"[\s,;/]+")
NAME, EMAIL, PHONE = "name", "email", "phone"
MATCHED = {NAME: _("name"), EMAIL: _("e-mail"), PHONE: _("phone")}


class ErasureRefused(DomainError):
    """The law keeps this record's personal data; the message says which rule."""


class NoLongerHeld(DomainError):
    status_code = 404
    message = _("This record is no longer held.")


def name_words(text: str) -> frozenset[str]:
    """The words of a name, folded: case, diacritics (ë, ç, č, ć…) and the
    Serbian script dropped, so that "Đorđe Pavlović", "ђорђе павловић" and
    "Djordje Pavlovic" have the same words."""
    return frozenset(WORD.findall(fold(text)))


def phone_key(text: str) -> str | None:
    """The last PHONE_DIGITS digits of a phone as written, or None for fewer."""
    digits = "".join(char for char in text if char in "0123456789")
    return digits[-PHONE_DIGITS:] if len(digits) >= PHONE_DIGITS else None


def _lines(values: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        value = " ".join(value.split())
        if value:
            seen.setdefault(value, None)
    return tuple(seen)


@dataclass(frozen=True)
class Terms:
    """What the person is known by: names, e-mail addresses, phones. A name
    matches a record that holds all of its words (in any order, among
    others); an e-mail the same address in any case; a phone the same last
    eight digits."""

    names: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()

    @classmethod
    def of(
        cls, *, names: Iterable[str] = (), emails: Iterable[str] = (), phones: Iterable[str] = ()
    ) -> "Terms":
        return cls(_lines(names), _lines(emails), _lines(phones))

    @cached_property
    def name_keys(self) -> tuple[frozenset[str], ...]:
        return tuple(words for words in map(name_words, self.names) if words)

    @cached_property
    def email_keys(self) -> frozenset[str]:
        return frozenset(email.lower() for email in self.emails)

    @cached_property
    def phone_keys(self) -> frozenset[str]:
        return frozenset(key for key in map(phone_key, self.phones) if key)

    def __bool__(self) -> bool:
        return bool(self.name_keys or self.email_keys or self.phone_keys)

    def name_matches(self, value: str) -> bool:
        words = name_words(value)
        return any(key <= words for key in self.name_keys)

    def email_matches(self, value: str) -> bool:
        return value.strip().lower() in self.email_keys

    def phone_matches(self, value: str) -> bool:
        return phone_key(value) in self.phone_keys

    def contact_matches(self, value: str) -> set[str]:
        """What matches in a field that holds a phone, an e-mail address or both."""
        parts = [part for part in CONTACT_SEPARATORS.split(value) if part]
        emails = [part for part in parts if "@" in part]
        found = {EMAIL} if any(self.email_matches(part) for part in emails) else set()
        if self.phone_matches(" ".join(part for part in parts if "@" not in part)):
            found.add(PHONE)
        return found


def matching(
    queryset: QuerySet[Any],
    terms: Terms,
    *,
    name: str = "",
    email: str = "",
    phone: str = "",
    contact: str = "",
) -> dict[Any, tuple[str, ...]]:
    """The primary keys of the rows of `queryset` that hold the person in the
    fields `name`, `email`, `phone` or `contact` (a phone or an e-mail), each
    with what matched (NAME, EMAIL, PHONE). E-mails are compared in the
    database; names, phones and contacts on each distinct value in Python,
    since no database folds Cyrillic and diacritics the same way, and then
    the rows holding the values that matched are fetched."""
    found: dict[Any, set[str]] = defaultdict(set)
    rows = queryset.order_by()

    def add(field: str, values: Sequence[str], what: Callable[[str], Iterable[str]]) -> None:
        for start in range(0, len(values), CHUNK):
            chunk = values[start : start + CHUNK]
            for pk, value in rows.filter(**{f"{field}__in": chunk}).values_list("pk", field):
                found[pk].update(what(value))

    def scan(field: str, rule: Callable[[str], bool]) -> list[str]:
        distinct = rows.exclude(**{field: ""}).values_list(field, flat=True).distinct()
        return [value for value in distinct.iterator(chunk_size=5000) if rule(value)]

    if name and terms.name_keys:
        add(name, scan(name, terms.name_matches), lambda _value: [NAME])
    if email and terms.email_keys:
        query = Q()
        for address in terms.email_keys:
            query |= Q(**{f"{email}__iexact": address})
        for pk in rows.filter(query).values_list("pk", flat=True):
            found[pk].add(EMAIL)
    if phone and terms.phone_keys:
        add(phone, scan(phone, terms.phone_matches), lambda _value: [PHONE])
    if contact and (terms.email_keys or terms.phone_keys):
        add(contact, scan(contact, lambda value: bool(terms.contact_matches(value))), terms.contact_matches)
    order = (NAME, EMAIL, PHONE)
    return {pk: tuple(sorted(what, key=order.index)) for pk, what in found.items()}


@dataclass(frozen=True)
class Hit:
    """One record that holds the person, told without their personal data:
    what it is (`summary`) and where it is kept (`place`); `matched`, what
    it was found by (NAME, EMAIL, PHONE), when it comes from a search."""

    id: str
    summary: str
    place: str = ""
    matched: tuple[str, ...] = ()


def matched_text(matched: Iterable[str]) -> str:
    """What a record was found by, in the reader's language: "name, phone"."""
    return ", ".join(str(MATCHED[what]) for what in matched if what in MATCHED)


class Eraser(Protocol):
    def __call__(self, subject_id: str, *, legal_reason: str, by_user_id: int, request_reference: str) -> str:
        """Erase (anonymise or delete) what the record holds about the person and
        say what was done; ErasureRefused where the law keeps it, NoLongerHeld
        for a record that is gone."""
        ...


@dataclass(frozen=True)
class Kind:
    """A kind of record that holds people: its record type (the one the
    access log and restrictions use), its name, what erasing one does (a
    sentence for the officer deciding), and the four operations."""

    subject_type: str
    label: str | Promise
    erasure: str | Promise
    find: Callable[[Terms], list[Hit]]
    describe: Callable[[Sequence[str]], dict[str, Hit]]
    export: Callable[[str], dict[str, Any]]
    erase: Eraser


def whole_id(subject_id: object) -> int:
    """A record's number from its text id; NoLongerHeld for anything else."""
    text = str(subject_id)
    if not text.isascii() or not text.isdecimal() or len(text) > 18:
        raise NoLongerHeld
    return int(text)


def fields(record: Model, names: Iterable[str]) -> dict[str, Any]:
    """{label: value} of these fields of a record, for an export: the
    field's name in the reader's language; a choice by its label, a related
    record by its text, a file by its name."""
    values: dict[str, Any] = {}
    for name in names:
        field = record._meta.get_field(name)
        value = getattr(record, name)
        if getattr(field, "choices", None):
            value = getattr(record, f"get_{name}_display")()
        elif isinstance(value, Model):
            value = str(value)
        elif isinstance(value, FieldFile):
            value = value.name or ""
        values[str(getattr(field, "verbose_name", name))] = value
    return values


def sent_messages(record_type: str, record_id: object) -> list[dict[str, Any]]:
    """The e-mails the outbox sent, or holds to send, about a record: to
    whom, when and what they said."""
    messages = OutboxMessage.objects.filter(record_type=record_type, record_id=str(record_id)).order_by(
        "created_at"
    )
    return [
        {
            str(_("to")): message.to_email,
            str(_("written at")): message.created_at,
            str(_("sent at")): message.sent_at,
            str(_("subject")): message.subject,
            str(_("text")): message.body,
        }
        for message in messages
    ]


def erased_name(request_reference: str) -> str:
    """What stands for an erased person's name where a name is required: the
    request under which it was erased, never anything about the person."""
    return f"[{request_reference}]"
