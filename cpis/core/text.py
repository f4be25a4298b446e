"""Free text from people: normalised, bounded, never with control characters;
and a choice from a fixed list."""

import re
from collections.abc import Collection

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from .errors import InvalidInput

# Control characters other than tab and newline: they break spreadsheets
# and reports, and no one types them.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(text: str, *, limit: int, required: bool, missing: str | Promise = "") -> str:
    """The text with Windows line ends and outer blanks removed, or
    InvalidInput: `missing` when required and empty, or a limit message."""
    text = (text or "").replace("\r\n", "\n").strip()
    if CONTROL.search(text):
        raise InvalidInput(_("The text contains characters that are not allowed."))
    if required and not text:
        raise InvalidInput(missing or _("This field is required."))
    if len(text) > limit:
        raise InvalidInput(_("The text is too long: at most %(limit)s characters.") % {"limit": limit})
    return text


def check_choice(value: str, choices: Collection[str], message: str | Promise) -> str:
    """The value when it is one of `choices`; else InvalidInput(`message`)."""
    if value not in choices:
        raise InvalidInput(message)
    return value
