"""Contact details people type: a phone number and an e-mail address, checked
the same way wherever they are entered (concerns, complaints, forum members,
partners' contacts). Values are kept as typed (trimmed); `normalise_phone`
gives the one form to compare or dial."""

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from .errors import InvalidInput
from .text import clean_text

KOSOVO = "383"
# The national number after +383 or the trunk 0: eight digits, never starting
# with 0 (044 123 456, 038 123 456, 028 123 456 …).
KOSOVO_NUMBER = re.compile(r"[1-9]\d{7}")
# Another country's number in international form (E.164: at most 15 digits).
INTERNATIONAL = re.compile(r"[1-9]\d{6,14}")
# What people write between the digits: spaces, brackets, dashes, dots, slashes.
SEPARATORS = re.compile(r"[\s().\-/]")
PHONE_LIMIT = 40
EMAIL_LIMIT = 254


def normalise_phone(text: str) -> str | None:
    """The number in international form (+38344123456), or None when it is not
    a number a phone can dial. Kosovo numbers may be written +383 44 123 456,
    00383 44 123 456 or 044 123 456; other countries' only with + or 00."""
    compact = SEPARATORS.sub("", text or "")
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.startswith("+"):
        digits = compact[1:]
        if not digits.isdecimal() or not digits.isascii():
            return None
        if digits.startswith(KOSOVO):
            return f"+{digits}" if KOSOVO_NUMBER.fullmatch(digits[len(KOSOVO) :]) else None
        return f"+{digits}" if INTERNATIONAL.fullmatch(digits) else None
    if compact.startswith("0") and compact.isascii() and KOSOVO_NUMBER.fullmatch(compact[1:]):
        return f"+{KOSOVO}{compact[1:]}"
    return None


def clean_phone(text: str | None) -> str:
    """An optional phone number as typed (trimmed), or InvalidInput."""
    phone = clean_text(text or "", limit=PHONE_LIMIT, required=False)
    if phone and normalise_phone(phone) is None:
        raise InvalidInput(_("The phone number is not valid."))
    return phone


def clean_email(text: str | None) -> str:
    """An optional e-mail address (trimmed), or InvalidInput."""
    email = clean_text(text or "", limit=EMAIL_LIMIT, required=False)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise InvalidInput(_("The e-mail address is not valid.")) from None
    return email


def validate_phone(value: str) -> None:
    """The same check as a form field validator (the error shows on the field)."""
    try:
        clean_phone(value)
    except InvalidInput as exc:
        raise ValidationError(str(exc), code="invalid") from None


def phone_field(label: Any, *, required: bool = False) -> forms.CharField:
    """A form field for a phone number, checked as `clean_phone` checks it."""
    return forms.CharField(
        label=label, required=required, max_length=PHONE_LIMIT, validators=[validate_phone]
    )
