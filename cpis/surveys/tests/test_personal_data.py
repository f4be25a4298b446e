"""A data-subject request finds the questionnaire a reporter was invited to after
their concern, exports its answers, and erasure unlinks them from the person."""

import pytest
from django.utils import translation

from cpis.core import registry
from cpis.core.subjects import NoLongerHeld, Terms
from cpis.surveys import personal_data
from cpis.surveys.models import Invitation, Response
from cpis.surveys.services import invitations

from .test_invitations import _answers, _closed, _token


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def answered(tree, client):
    concern = _closed(tree, language="en", email="drita@example.org")
    invitations.invite_after_concerns()
    client.get(f"/surveys/after/{_token(concern)}/")
    client.post("/surveys/after/", _answers(client.get("/surveys/after/")))
    return concern


def test_the_kind_is_registered():
    modules = registry.personal_data_modules()
    assert personal_data in modules


def test_the_reporter_is_found_by_the_concerns_e_mail_and_the_export_holds_the_answers(answered):
    [hit] = personal_data.find(Terms(emails=("DRITA@example.org",)))
    assert answered.reference in hit.summary and "answered" in hit.summary
    assert personal_data.find(Terms(emails=("someone.else@example.org",))) == []
    exported = personal_data.export(hit.id)
    assert exported["Invitation"]["concern"] == answered.reference
    assert exported["Answers"]["fixed"] == "partly"
    assert exported["Answers"]["comment"] == "Erdhën shpejt."  # their own words, reviewed or not


def test_erasure_deletes_the_link_and_keeps_the_anonymous_answers(answered):
    [hit] = personal_data.find(Terms(emails=("drita@example.org",)))
    said = personal_data.erase(hit.id, legal_reason="", by_user_id=0, request_reference="DSR-1")
    assert "linked to no one" in said
    assert not Invitation.objects.exists()
    response = Response.objects.get()
    assert response.answers["fixed"] == "partly"
    assert personal_data.find(Terms(emails=("drita@example.org",))) == []
    with pytest.raises(NoLongerHeld):
        personal_data.export(hit.id)
