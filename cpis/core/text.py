"""Free text from people: normalised, bounded, never with NUL bytes."""

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import InvalidInput


def clean_text(text: str, *, limit: int, required: bool, missing: str | Promise = "") -> str:
    """The text with Windows line ends and outer blanks removed, or
    InvalidInput: `missing` when required and empty, or a limit message."""
    text = (text or "").replace("\r\n", "\n").strip()
    if "\x00" in text:
        raise InvalidInput(_("The text contains characters that are not allowed."))
    if required and not text:
        raise InvalidInput(missing or _("This field is required."))
    if len(text) > limit:
        raise InvalidInput(_("The text is too long: at most %(limit)s characters.") % {"limit": limit})
    return text
