import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from cpis.core.contact import clean_email, clean_phone, normalise_phone, validate_phone
from cpis.core.errors import InvalidInput


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("+383 44 123 456", "+38344123456"),
        ("+383 (44) 123-456", "+38344123456"),
        ("+38344999999", "+38344999999"),
        ("00383 49 123 456", "+38349123456"),
        ("044 123 456", "+38344123456"),
        ("044/123-456", "+38344123456"),
        ("038 512 345", "+38338512345"),
        ("028.123.456", "+38328123456"),
        ("+41 79 123 45 67", "+41791234567"),
        ("0049 30 1234567", "+49301234567"),
    ],
)
def test_kosovo_and_international_numbers_are_accepted_and_normalised(typed, normal):
    assert normalise_phone(typed) == normal
    assert clean_phone(f"  {typed} ") == typed


@pytest.mark.parametrize(
    "typed",
    [
        "call me maybe",
        "+383 44 1",  # too short for a Kosovo number
        "+383 44 123 4567",  # too long
        "+383 04 123 456",  # the trunk 0 has no place after +383
        "044 12",
        "44 123 456",  # neither +383 nor the trunk 0: cannot be dialled
        "0 44 123 456 789",
        "+1 23",
        "+0 44 123 456",
        "+383 44 123 45x",
        "+383 ٤٤ ١٢٣ ٤٥٦",  # digits, but not ones a phone keypad has
        "+ 383 44 123 456 +",
        "+1234567890123456",  # over the 15 digits of E.164
    ],
)
def test_what_is_not_a_phone_number_is_refused_with_a_translated_reason(typed):
    with translation.override("en"), pytest.raises(InvalidInput, match="phone number is not valid"):
        clean_phone(typed)
    with translation.override("sq"), pytest.raises(InvalidInput, match="Numri i telefonit"):
        clean_phone(typed)
    with pytest.raises(ValidationError):
        validate_phone(typed)


def test_no_phone_is_no_phone():
    assert clean_phone("") == clean_phone(None) == clean_phone("   ") == ""
    validate_phone("")


@pytest.mark.parametrize("typed", ["drita@example.net", "a.b+c@sub.example.org"])
def test_an_e_mail_address_is_kept_as_typed(typed):
    assert clean_email(f" {typed} ") == typed


@pytest.mark.parametrize("typed", ["not an address", "arta@", "@example.org", "a b@example.org", "a@example"])
def test_what_is_not_an_e_mail_address_is_refused_with_a_translated_reason(typed):
    with translation.override("sr"), pytest.raises(InvalidInput) as refused:
        clean_email(typed)
    assert str(refused.value) == "Адреса е-поште није исправна."


def test_an_e_mail_address_longer_than_254_characters_is_refused():
    with translation.override("en"), pytest.raises(InvalidInput, match="254"):
        clean_email("x" * 250 + "@example.org")


def test_no_e_mail_is_no_e_mail():
    assert clean_email("") == clean_email(None) == ""
