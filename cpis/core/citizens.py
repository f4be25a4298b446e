"""What a citizen is given for a record they submitted (a concern, a
complaint): a receipt with its tracking code, and e-mails about it written
now in their language and sent through the outbox; and the contact they
left on it."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from django.db.models.options import Options

from . import outbox
from .tracking import format_code


class Submitted(Protocol):
    """A record a citizen submitted: a model row with its public reference
    and the citizen's language."""

    @property
    def pk(self) -> Any: ...

    @property
    def reference(self) -> str: ...

    @property
    def language(self) -> str: ...

    @property
    def _meta(self) -> Options[Any]: ...


R = TypeVar("R")


@dataclass(frozen=True)
class Receipt(Generic[R]):
    """What a submission gives back: the record, its tracking code, and
    whether the same submission had been received already (`replayed`)."""

    record: R
    tracking_code: str
    replayed: bool


CONTACT = ("name", "email", "phone")


def contact_of(record: object, person: str) -> dict[str, str]:
    """The name, e-mail and phone a citizen left on a record, in its fields
    `<person>_name`, `<person>_email` and `<person>_phone`."""
    return {part: str(getattr(record, f"{person}_{part}")) for part in CONTACT}


def _nothing() -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Tracked:
    """A kind of record a citizen follows with a tracking code of this
    `namespace`. The record has a `reference`, the citizen's `language` and
    what they left of their contact in the fields of `person` (see
    `contact_of`)."""

    namespace: str
    person: str

    def code(self, record: Submitted) -> str:
        return format_code(self.namespace, record.reference)

    def mail(self, record: Submitted, kind: str, context: Callable[[], dict[str, Any]] = _nothing) -> None:
        """Queue the e-mail `<app>/email/<kind>` to the citizen, if they left an
        address: its context is the record (under its model's name), its
        tracking code and `context()`, all built in the citizen's language."""
        to_email = contact_of(record, self.person)["email"]
        if not to_email:
            return
        meta = record._meta
        outbox.queue_rendered(
            template=f"{meta.app_label}/email/{kind}",
            context=lambda: {str(meta.model_name): record, "code": self.code(record), **context()},
            record_type=meta.label_lower,
            record_id=record.pk,
            to_email=to_email,
            language=record.language,
        )
