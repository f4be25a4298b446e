"""Complaints within reach (issue #15, item 8): the home page and every page's
footer lead to the complaint form and to what the strategy promises [2.3.5] —
how complaints are handled, the deadlines, the independent Police Inspectorate —
and the form refuses a forged or replayed proof of work, keeping nothing; one sent
without a proof (no JavaScript) is kept, marked for professional standards."""

import uuid

import pytest
from django.core import mail

from cpis.complaints.models import Complaint, ComplaintEvent
from cpis.core import pow
from cpis.core.models import UsedChallenge


def _form(proof):
    return {
        "description": "Më kërkuan ryshfet në pikën e kontrollit.",
        "language": "sq",
        "email": "ankues@example.org",
        "submission_key": uuid.uuid4().hex,
        "pow": proof,
    }


def _english(client):
    client.cookies["cpis_language"] = "en"
    return client


def test_the_home_page_and_every_footer_lead_to_the_complaint_form_and_how_it_is_handled(tree, client):
    home = _english(client).get("/").content.decode()
    assert '<a class="card link-card" href="/complaint/" id="complaint-link">' in home
    for url in ("/", "/places/", "/places/north/n1/n1a/", "/solved/", "/report/"):
        footer = client.get(url).content.decode().split('class="site-footer"')[1]
        assert 'href="/complaint/"' in footer and 'href="/complaints/"' in footer, url
    form_page = client.get("/complaint/").content.decode()
    assert 'href="/complaints/"' in form_page and "https://ipk.rks-gov.net" in form_page


def test_how_complaints_are_handled_gives_the_deadlines_the_clocks_keep_and_the_inspectorate(
    tree, client, settings
):
    settings.COMPLAINT_ACKNOWLEDGE_DAYS = 4
    settings.COMPLAINT_DECISION_DAYS = 45
    settings.POLICE_INSPECTORATE = {"phone": "+383 38 000 111"}
    html = _english(client).get("/complaints/").content.decode()
    deadlines = html.split('id="deadlines"')[1].split("</section>")[0]
    assert "Within 4 days, professional standards acknowledge your complaint" in deadlines
    assert "Within 45 days of receiving it, they decide" in deadlines
    inspectorate = html.split('id="inspectorate"')[1].split("</section>")[0]
    assert "independent of the police" in inspectorate
    assert "https://ipk.rks-gov.net" in inspectorate and "+383 38 000 111" in inspectorate
    assert 'href="/complaint/"' in html


def test_the_page_is_in_the_citizens_language(tree, client):
    client.cookies["cpis_language"] = "sr"
    html = client.get("/complaints/").content.decode()
    assert '<html lang="sr">' in html


@pytest.mark.parametrize("proof", ["bm90IGEgcHJvb2Y=", "x" * 300])
def test_a_complaint_with_a_forged_proof_of_work_is_refused_and_nothing_is_kept(tree, client, proof):
    response = _english(client).post("/complaint/", _form(proof))
    assert response.status_code == 400
    body = response.content.decode()
    assert "security check" in body
    assert not Complaint.objects.exists() and not ComplaintEvent.objects.exists()
    assert not mail.outbox


def test_a_complaint_without_a_proof_is_kept_and_marked_for_professional_standards(tree, client):
    response = client.post("/complaint/", _form(""))
    assert response.status_code == 200 and "code" in response.context
    complaint = Complaint.objects.get()
    assert complaint.without_proof
    solved = client.post("/complaint/", _form(pow.solve(pow.new_challenge())))
    assert solved.status_code == 200
    assert Complaint.objects.filter(without_proof=False).count() == 1


def test_a_spent_proof_of_work_is_refused_the_second_time(tree, client):
    proof = pow.solve(pow.new_challenge())
    first = client.post("/complaint/", _form(proof))
    assert first.status_code == 200 and "code" in first.context
    again = _english(client).post("/complaint/", _form(proof))
    assert again.status_code == 400 and "security check" in again.content.decode()
    assert Complaint.objects.count() == 1 and UsedChallenge.objects.count() == 1
