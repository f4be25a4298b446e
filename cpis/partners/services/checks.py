"""What every partners record checks alike: plausible past dates, names, the level a partner is held
at, moving a record between units, the unit that holds it, and the signed document."""

from dataclasses import replace
from datetime import date
from typing import TypeVar

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core import uploads
from cpis.core.errors import DomainError, InvalidInput
from cpis.core.text import check_choice, clean_text
from cpis.core.uploads import Upload
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ..models import Agreement, InterestGroup, Partner, PartnerLevel, Recognition, Volunteer
from ..policy import policy
from ..selectors import CENTRAL_KINDS, LOCAL_KINDS

MAX_DOCUMENT_BYTES = uploads.MAX_BYTES

Held = TypeVar("Held", Partner, Agreement, InterestGroup, Volunteer, Recognition)


class DateInFuture(DomainError):
    message = gettext_lazy("The date cannot be in the future.")


class LevelDoesNotMatchUnit(DomainError):
    message = gettext_lazy(
        "A central partner is held by the General Directorate; a local partner by a region, "
        "station, substation or sector."
    )


# Before the Kosovo Police existed there is nothing to record.
EARLIEST = date(1999, 6, 1)


def check_past(day: date | None) -> date | None:
    if day is not None and day > timezone.localdate():
        raise DateInFuture()
    if day is not None and day < EARLIEST:
        raise InvalidInput(_("The date must be after June 1999."))
    return day


def clean_name(text: str) -> str:
    return clean_text(text, limit=200, required=True, missing=_("Enter a name."))


def check_level(level: str, unit: Unit) -> None:
    check_choice(level, PartnerLevel.values, _("Choose central or local level."))
    kinds = CENTRAL_KINDS if level == PartnerLevel.CENTRAL else LOCAL_KINDS
    if unit.kind not in kinds:
        raise LevelDoesNotMatchUnit()


def require_move(actor: Actor, old_path: str, unit: Unit) -> None:
    """Moving a record to another unit needs the right at both."""
    policy.require(actor, "manage", old_path)
    if unit.path != old_path:
        policy.require(actor, "manage", unit.path)


def save_at(record: Held, unit: Unit) -> Held:
    """Save the record as held by the unit (its path kept beside it for the
    place filters)."""
    record.unit = unit
    record.unit_path = unit.path
    record.save()
    return record


def check_document(upload: Upload) -> Upload:
    """A signed agreement is kept as a PDF of at most 10 MB whose content
    really is a PDF (the first bytes, not the name, decide)."""
    upload = replace(upload, name=uploads.base_name(upload.name, "document.pdf"))
    if upload.suffix != ".pdf":
        raise InvalidInput(_("%(name)s: the signed document must be a PDF file.") % {"name": upload.name})
    uploads.check_size(upload)
    return uploads.check_content(upload, uploads.PDF, wrong=_("%(name)s is not a PDF file."))
