"""After a concern is closed: the reporter who left an e-mail address is
invited once, in their language, to the questionnaire after a concern —
never about a sensitive concern; the link opens it, is used once and expires."""

import hashlib
import re
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from cpis.concerns.models import Concern, Status
from cpis.concerns.tests.factories import submit
from cpis.core import registry
from cpis.core.models import OutboxMessage
from cpis.organisation.access import Actor
from cpis.surveys import tasks
from cpis.surveys.models import Invitation, Response
from cpis.surveys.services import invitations
from cpis.surveys.services import responses as services


def _closed(
    tree,
    *,
    days_ago=3,
    status=Status.RESOLVED,
    category="public-order",
    email="qytetari@example.org",
    **fields,
):
    concern = submit(
        category_code=category, reporter_email=email, language=fields.pop("language", "sq")
    ).concern
    values = {"status": status, "closed_at": timezone.now() - timedelta(days=days_ago), **fields}
    Concern.objects.filter(pk=concern.pk).update(**values)
    concern.refresh_from_db()
    return concern


def _token(concern) -> str:
    message = OutboxMessage.objects.get(
        record_type="surveys.invitation", record_id=str(concern.survey_invitation.pk)
    )
    return re.search(r"/surveys/after/([\w-]+)/", message.body).group(1)


def test_the_reporter_of_a_closed_concern_is_invited_once_in_their_language(tree):
    concern = _closed(tree, language="sr")
    OutboxMessage.objects.all().delete()  # the receipt of the concern itself
    assert invitations.invite_after_concerns() == 1
    assert invitations.invite_after_concerns() == 0  # the next day: not again
    invitation = Invitation.objects.get()
    assert invitation.concern == concern and invitation.version.questionnaire.code == "after-concern"
    assert invitation.expires_at - invitation.sent_at == timedelta(days=30)
    message = OutboxMessage.objects.get()
    assert message.to_email == "qytetari@example.org" and message.language == "sr"
    token = _token(concern)
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()  # only the hash is kept


@pytest.mark.parametrize("category", ["domestic-violence", "trafficking"])
def test_never_invites_about_a_sensitive_concern(tree, category):
    _closed(tree, category=category)
    assert invitations.invite_after_concerns() == 0
    assert not Invitation.objects.exists()
    assert not OutboxMessage.objects.filter(record_type="surveys.invitation").exists()


def test_only_reachable_reporters_of_recently_closed_handled_concerns_are_invited(tree):
    _closed(tree, email="")  # anonymous
    _closed(tree, email="", reporter_phone="+383 44 123 456")  # a phone only: no way to write
    _closed(tree, days_ago=20)  # closed before the window
    _closed(tree, status=Status.IN_PROGRESS, closed_at=None)  # still open
    _closed(tree, status=Status.DUPLICATE)
    _closed(tree, status=Status.REJECTED)
    _closed(tree, is_held=True)
    referred = _closed(tree, status=Status.REFERRED)
    assert invitations.invite_after_concerns() == 1
    assert Invitation.objects.get().concern == referred


def test_the_window_is_a_setting(tree, settings):
    _closed(tree, days_ago=20)
    settings.SURVEY_INVITATION_DAYS = 30
    assert invitations.invite_after_concerns() == 1


def test_the_daily_job_is_registered_and_invites(tree):
    _closed(tree)
    assert ("cpis.surveys.tasks.daily_job", tasks.daily_job) in registry.daily_jobs()
    assert tasks.daily_job() == "Survey invitations sent after 1 closed concerns."


# --- the link -----------------------------------------------------------------------------------


@pytest.fixture
def invited(tree):
    concern = _closed(tree, language="en")
    invitations.invite_after_concerns()
    return concern, _token(concern)


def _answers(page, **changes):
    data = {
        "q_fixed": "partly",
        "q_handled_well": "4",
        "q_comment": "Erdhën shpejt.",
        "submission_key": page.context["form"].initial["submission_key"],
        "started": page.context["form"].initial["started"],
    }
    data.update(changes)
    return data


def test_the_link_opens_the_questionnaire_in_the_citizens_language_and_leaves_the_address_bar(
    invited, client
):
    _concern, token = invited
    opened = client.get(f"/surveys/after/{token}/")
    assert opened.status_code == 302 and opened["Location"] == "/surveys/after/"
    assert opened.cookies["cpis_language"].value == "en"
    page = client.get("/surveys/after/")
    assert page.status_code == 200 and "Has the problem you reported been fixed?" in page.content.decode()


def test_the_answer_is_linked_to_the_invitation_and_the_concerns_sector(tree, invited, client):
    concern, token = invited
    client.get(f"/surveys/after/{token}/")
    page = client.get("/surveys/after/")
    done = client.post("/surveys/after/", _answers(page))
    assert done.status_code == 200 and 'id="thanks"' in done.content.decode()
    response = Response.objects.get()
    assert response.channel == "after_concern" and response.wave is None
    assert response.sector == concern.sector == tree.n1a
    assert response.answers["fixed"] == "partly" and response.text_review == "pending"
    assert Invitation.objects.get().response == response


def test_a_replayed_answer_gets_the_same_thank_you_and_a_second_one_is_told_it_was_used(invited, client):
    _concern, token = invited
    client.get(f"/surveys/after/{token}/")
    page = client.get("/surveys/after/")
    data = _answers(page)
    client.post("/surveys/after/", data)
    again = client.post("/surveys/after/", data)
    assert again.status_code == 200 and 'id="thanks"' in again.content.decode()
    other = client.post("/surveys/after/", _answers(page, submission_key=uuid.uuid4().hex))
    assert 'id="invitation-used"' in other.content.decode()
    assert Response.objects.count() == 1
    assert 'id="invitation-used"' in client.get(f"/surveys/after/{token}/").content.decode()


def test_a_required_answer_is_asked_for_and_nothing_is_used_up(invited, client):
    _concern, token = invited
    client.get(f"/surveys/after/{token}/")
    page = client.get("/surveys/after/")
    refused = client.post("/surveys/after/", _answers(page, q_fixed=""))
    assert refused.status_code == 400 and refused.context["form"].errors["q_fixed"]
    assert not Response.objects.exists() and Invitation.objects.get().response is None


def test_an_expired_or_unknown_link_gets_a_clear_page(invited, client):
    _concern, token = invited
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    expired = client.get(f"/surveys/after/{token}/")
    assert expired.status_code == 410 and 'id="invitation-expired"' in expired.content.decode()
    unknown = client.get("/surveys/after/not-a-token/")
    assert unknown.status_code == 404 and 'id="invitation-unknown"' in unknown.content.decode()
    assert client.get("/surveys/after/").status_code == 404  # no link opened in this browser


def test_the_service_refuses_a_used_or_expired_invitation(invited):
    _concern, token = invited
    with translation.override("en"):
        fields = {"channel": "after_concern", "answers": {"fixed": "yes"}, "invitation_token": token}
        services.record_response(Actor.anonymous(), idempotency_key="a", **fields)
        with pytest.raises(services.InvitationUsed):
            services.record_response(Actor.anonymous(), idempotency_key="b", **fields)
        with pytest.raises(services.InvitationUnknown):
            services.record_response(
                Actor.anonymous(), idempotency_key="c", **{**fields, "invitation_token": "x"}
            )
    assert Response.objects.count() == 1
