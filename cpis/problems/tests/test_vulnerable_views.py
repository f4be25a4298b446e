"""The register's pages: the list and its export without names, an entry's
name and details shown only on a POST with a purpose and a fresh second
factor (the read logged), its change form within that purpose, its review and
its officer's appointment; and nothing of it for the roles it is not for."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from cpis.accounts.models import AccessLogEntry, Outcome, Purpose
from cpis.accounts.tests.factories import code_of, english, give_code, next_of, signed_in_with_app
from cpis.organisation.models import Officer
from cpis.problems.models import Vulnerability, VulnerableEntry
from cpis.problems.services import vulnerable as services

from .vulnerable_entries import DETAILS, NAME, record

STALE = timedelta(seconds=settings.MFA_FRESH_SECONDS + 60)


@pytest.fixture
def entry(tree, actor_for, officer_n1a) -> VulnerableEntry:
    return record(actor_for("commander_n1"), unit=tree.n1a, officer=officer_n1a)


@pytest.fixture
def commander(persona):
    """The station commander, signed in with an authenticator app's code."""
    return signed_in_with_app(english(persona("commander_n1")))


def _url(name: str, entry: VulnerableEntry) -> str:
    return reverse(f"problems:{name}", args=[entry.pk])


def _reads() -> list[tuple[str, str, str]]:
    return list(
        AccessLogEntry.objects.reads()
        .filter(subject_type="problems.vulnerableentry")
        .values_list("user__username", "subject_id", "purpose")
    )


def test_the_list_and_the_entry_page_show_no_name_or_details(entry, client_for):
    client = client_for("leader_n1a")
    listed = client.get(reverse("problems:vulnerable_list"))
    assert listed.status_code == 200
    page = listed.content.decode()
    assert _url("vulnerable_detail", entry) in page and "Arben Krasniqi" in page
    detail = client.get(_url("vulnerable_detail", entry)).content.decode()
    for text in (page, detail):
        assert NAME not in text and "third floor" not in text
    assert 'name="purpose"' in detail
    assert _reads() == []


def test_the_export_has_no_names_and_is_for_readers_only(entry, client_for):
    for fmt in ("csv", "xlsx"):
        response = client_for("safeguarding_n1").get(reverse("problems:vulnerable_export", args=[fmt]))
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
        assert NAME.encode() not in response.content
    csv = (
        client_for("safeguarding_n1")
        .get(reverse("problems:vulnerable_export", args=["csv"]))
        .content.decode()
    )
    assert csv.count("\n") == 2 and "Arben Krasniqi" in csv
    assert (
        client_for("safeguarding_n1").get(reverse("problems:vulnerable_export", args=["pdf"])).status_code
        == 404
    )


def test_the_name_is_shown_on_a_post_with_a_purpose_and_the_read_logged(entry, commander):
    client, _app = commander
    response = client.post(_url("vulnerable_reveal", entry), {"purpose": Purpose.SUPERVISION})
    assert response.status_code == 200
    page = response.content.decode()
    assert NAME in page and "third floor" in page
    assert _reads() == [("commander_n1", str(entry.pk), Purpose.SUPERVISION)]
    assert client.get(_url("vulnerable_reveal", entry)).status_code == 405


def test_without_a_purpose_nothing_is_shown_or_logged(entry, commander):
    client, _app = commander
    response = client.post(_url("vulnerable_reveal", entry))
    assert response.status_code == 400
    page = response.content.decode()
    assert NAME not in page and "choose a purpose" in page
    other = client.post(_url("vulnerable_reveal", entry), {"purpose": Purpose.OTHER})
    assert other.status_code == 400 and NAME not in other.content.decode()
    assert _reads() == []


def test_a_stale_second_factor_is_asked_for_again(entry, commander):
    client, app = commander
    detail = _url("vulnerable_detail", entry)
    with time_machine.travel(timezone.now() + STALE, tick=False):
        response = client.post(
            _url("vulnerable_reveal", entry),
            {"purpose": Purpose.CONTACT},
            HTTP_REFERER=f"http://testserver{detail}",
        )
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:second_factor"))
        assert next_of(response) == detail
        assert _reads() == []
        assert give_code(client, code_of(app), detail)["Location"] == detail
        again = client.post(_url("vulnerable_reveal", entry), {"purpose": Purpose.CONTACT})
        assert NAME in again.content.decode()
    assert _reads() == [("commander_n1", str(entry.pk), Purpose.CONTACT)]


def test_a_reader_without_a_second_factor_sets_one_up_first(entry, client_for):
    response = client_for("safeguarding_n1").post(
        _url("vulnerable_reveal", entry), {"purpose": Purpose.CONTACT}
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:second_factor_setup"))
    assert _reads() == []


def test_the_appointed_officer_reads_their_own_entry_and_not_anothers(tree, entry, actor_for, persona):
    colleague = Officer.objects.create(
        unit=tree.n1, first_name="Luan", last_name="Gashi", badge_number="N1-002"
    )
    anothers = record(actor_for("commander_n1"), unit=tree.n1a, officer=colleague)
    client, _app = signed_in_with_app(english(persona("officer_n1a")))
    listed = client.get(reverse("problems:vulnerable_list")).content.decode()
    assert _url("vulnerable_detail", entry) in listed and _url("vulnerable_detail", anothers) not in listed
    own = client.post(_url("vulnerable_reveal", entry), {"purpose": Purpose.CONTACT})
    assert NAME in own.content.decode()
    assert "Record the review" not in own.content.decode()  # reads, but does not review
    for name in ("vulnerable_detail", "vulnerable_reveal", "vulnerable_edit"):
        method = client.post if name == "vulnerable_reveal" else client.get
        assert method(_url(name, anothers), {"purpose": Purpose.CONTACT}).status_code == 404, name
    assert _reads() == [("officer_n1a", str(entry.pk), Purpose.CONTACT)]
    refused = AccessLogEntry.objects.filter(outcome=Outcome.OUTSIDE, subject_id=str(anothers.pk))
    assert refused.count() == 3


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("coordinator_n1", 403),
        ("directorate", 403),
        ("strategy_coordinator", 403),
        ("admin", 403),
        ("officer_n1a", 403),  # a sector officer appointed to nothing
        ("standards", 404),
    ],
)
def test_the_register_is_refused_to_every_other_role(tree, actor_for, who, status, client_for):
    officer = Officer.objects.create(
        unit=tree.n1, first_name="Luan", last_name="Gashi", badge_number="N1-002"
    )
    entry = record(actor_for("commander_n1"), unit=tree.n1a, officer=officer)
    client = client_for(who)
    for url in (
        reverse("problems:vulnerable_list"),
        reverse("problems:vulnerable_export", args=["csv"]),
        reverse("problems:vulnerable_export", args=["xlsx"]),
    ):
        response = client.get(url)
        assert response.status_code == status, url
        assert NAME.encode() not in response.content
    assert client.get(reverse("problems:vulnerable_record")).status_code in {403, 404}
    for name in ("vulnerable_detail", "vulnerable_edit"):
        assert client.get(_url(name, entry)).status_code == 404, name
    for name in ("vulnerable_reveal", "vulnerable_review", "vulnerable_appoint"):
        response = client.post(_url(name, entry), {"purpose": Purpose.LEGAL})
        assert response.status_code == 404, name
        assert NAME.encode() not in response.content
    assert _reads() == []


def test_a_commander_records_an_entry_through_the_form(tree, client_for, officer_n1a):
    client = client_for("commander_n1")
    form = client.get(reverse("problems:vulnerable_record"))
    assert form.status_code == 200 and "Arben Krasniqi" in form.content.decode()
    review_on = timezone.localdate() + timedelta(days=60)
    data = {
        "kind": "person",
        "name": "Agim Morina",
        "vulnerability": Vulnerability.REPEAT_VICTIM,
        "details": "Three burglaries this year.",
        "legal_basis": "prevention",
        "identified_on": timezone.localdate().isoformat(),
        "unit": tree.n1a.pk,
        "officer": officer_n1a.pk,
        "review_on": review_on.isoformat(),
    }
    too_late = client.post(
        reverse("problems:vulnerable_record"),
        data | {"review_on": (timezone.localdate() + timedelta(days=400)).isoformat()},
    )
    assert too_late.status_code == 400 and "dymbëdhjetë muaj" in too_late.content.decode()
    assert not VulnerableEntry.objects.exists()
    response = client.post(reverse("problems:vulnerable_record"), data)
    entry = VulnerableEntry.objects.get()
    assert response["Location"] == _url("vulnerable_detail", entry)
    assert (entry.name, entry.review_on, entry.officer) == ("Agim Morina", review_on, officer_n1a)


def test_the_change_form_opens_within_the_purpose_given_when_the_entry_was_shown(entry, commander):
    client, _app = commander
    edit = _url("vulnerable_edit", entry)
    asked = client.get(edit)
    assert asked["Location"] == _url("vulnerable_detail", entry)
    assert _reads() == []
    client.post(_url("vulnerable_reveal", entry), {"purpose": Purpose.ROUTINE})
    form = client.get(edit)
    assert form.status_code == 200 and NAME in form.content.decode() and DETAILS in form.content.decode()
    assert len(_reads()) == 2
    data = {
        "kind": "person",
        "name": NAME,
        "vulnerability": Vulnerability.DISABILITY,
        "details": "Moved to the ground floor.",
        "legal_basis": "vital_interests",
        "identified_on": entry.identified_on.isoformat(),
    }
    assert client.post(edit, data | {"name": ""}).status_code == 400
    assert client.post(edit, data)["Location"] == _url("vulnerable_detail", entry)
    entry.refresh_from_db()
    assert (entry.vulnerability, entry.details, entry.legal_basis) == (
        Vulnerability.DISABILITY,
        "Moved to the ground floor.",
        "vital_interests",
    )


def test_a_review_and_an_appointment_from_the_entry_page(tree, entry, client_for):
    client = client_for("leader_n1a")
    today = timezone.localdate()
    late = client.post(
        _url("vulnerable_review", entry),
        {"review_on": (services.latest_review(today) + timedelta(days=1)).isoformat()},
    )
    assert late.status_code == 400 and "dymbëdhjetë muaj" in late.content.decode()
    next_review = today + timedelta(days=180)
    response = client.post(_url("vulnerable_review", entry), {"review_on": next_review.isoformat()})
    assert response["Location"] == _url("vulnerable_detail", entry)
    entry.refresh_from_db()
    assert (entry.reviewed_on, entry.review_on) == (today, next_review)

    colleague = Officer.objects.create(
        unit=tree.n1b, first_name="Luan", last_name="Gashi", badge_number="N1-002"
    )
    stranger = Officer.objects.create(
        unit=tree.s1, first_name="Drita", last_name="Hoxha", badge_number="S1-001"
    )
    assert client.post(_url("vulnerable_appoint", entry), {"officer": stranger.pk}).status_code == 400
    assert client.post(_url("vulnerable_appoint", entry), {"officer": colleague.pk}).status_code == 302
    entry.refresh_from_db()
    assert entry.officer == colleague
    assert client.get(_url("vulnerable_review", entry)).status_code == 405
