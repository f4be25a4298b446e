"""How a person is recognised in the records for a data-subject request: a
name by all its words whatever the script, case or diacritics; an e-mail in
any case; a phone by its last eight digits."""

import pytest

from cpis.core.subjects import EMAIL, NAME, PHONE, Terms, matching, phone_key


@pytest.mark.parametrize(
    ("typed", "held"),
    [
        ("Jelena Petrović", "Jelena Petrović"),
        ("jelena petrovic", "Jelena Petrović"),
        ("Јелена Петровић", "Jelena Petrović"),
        ("Jelena Petrovic", "Петровић Јелена"),
        ("Dritë Thaçi", "DRITE THACI"),
        ("Drite Thaci", "Dritë Thaçi"),
        ("Đorđe Pavlović", "Djordje Pavlovic"),
        ("Arta Krasniqi", "Arta Krasniqi-Berisha"),
    ],
)
def test_a_name_matches_in_any_script_case_or_diacritics(typed, held):
    assert Terms.of(names=[typed]).name_matches(held)


@pytest.mark.parametrize("held", ["Jelena Petrovska", "Milena Petrović", "Jelena", "Petrović"])
def test_a_name_needs_all_its_words(held):
    assert not Terms.of(names=["Jelena Petrović"]).name_matches(held)


def test_an_email_matches_in_any_case_and_only_whole():
    terms = Terms.of(emails=[" Drita.K@Example.org "])
    assert terms.email_matches("drita.k@example.org")
    assert not terms.email_matches("drita.k@example.org.mk")
    assert not terms.email_matches("xdrita.k@example.org")


@pytest.mark.parametrize("held", ["+383 44 123 456", "044 123 456", "00383-44-123-456", "(044) 123456"])
def test_a_phone_matches_by_its_last_eight_digits(held):
    assert Terms.of(phones=["+38344123456"]).phone_matches(held)


def test_a_phone_with_other_digits_or_too_few_never_matches():
    terms = Terms.of(phones=["044 123 456"])
    assert not terms.phone_matches("044 123 457")
    assert not terms.phone_matches("")
    assert phone_key("123 456") is None
    assert not Terms.of(phones=["123 456"])  # no usable identifier at all


def test_a_field_holding_a_phone_or_an_email_matches_either():
    terms = Terms.of(emails=["arta@example.org"], phones=["049 555 111"])
    assert terms.contact_matches("ARTA@example.org") == {EMAIL}
    assert terms.contact_matches("+383 49 555 111") == {PHONE}
    assert terms.contact_matches("+383 49 555 111 / arta@example.org") == {EMAIL, PHONE}
    assert terms.contact_matches("arta@example.com") == set()


def test_matching_finds_the_rows_and_says_what_matched(db):
    from cpis.core.models import OutboxMessage

    def row(name: str, email: str) -> OutboxMessage:
        return OutboxMessage.objects.create(record_type="t", record_id="1", to_email=email, subject=name)

    jelena = row("Jelena Petrović", "JP@example.org")
    namesake = row("Јелена Петровић", "other@example.org")
    row("Milena Petrović", "jp@example.org.mk")
    terms = Terms.of(names=["jelena petrovic"], emails=["jp@example.org"])
    found = matching(OutboxMessage.objects.all(), terms, name="subject", email="to_email")
    assert found == {jelena.pk: (NAME, EMAIL), namesake.pk: (NAME,)}
