"""Closing the loop with the reporter: after a concern is resolved, the reporter
answers "resolved / not resolved" through a signed link; "not resolved" within
four weeks reopens it, flags it and tells the assignee; one answer per closure;
the answers are counted for the monthly report."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from cpis.accounts.tests.factories import UserFactory
from cpis.concerns import selectors, services
from cpis.concerns.models import ClosureAnswer, EventKind, Status
from cpis.concerns.tests.factories import submit
from cpis.core.periods import Period
from cpis.notifications.models import Kind, Notification
from cpis.organisation.tests.factories import OfficerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolved(tree, actor_for):
    """A concern at n1a with a reporter's e-mail, assigned to an officer with an
    account, then resolved by the sector leader."""
    officer = OfficerFactory(unit=tree.n1, user=UserFactory())
    concern = submit(reporter_email="citizen@example.org").concern
    lead = actor_for("leader_n1a")
    services.assign_concern(lead, concern=concern, officer=officer)
    services.close_concern(lead, concern=concern, status=Status.RESOLVED, reason="Patrols stopped it.")
    concern.refresh_from_db()
    return concern


def test_resolved_is_recorded_and_the_concern_stays_closed(resolved):
    answer = services.answer_closure(token=services.answer_token(resolved), resolved=True)
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED and answer.resolved and not answer.reopened
    assert resolved.events.filter(kind=EventKind.CITIZEN, is_public=True).count() == 1


def test_not_resolved_within_four_weeks_reopens_flags_and_tells_the_assignee(resolved):
    token = services.answer_token(resolved)
    with time_machine.travel(timezone.now() + timedelta(days=27)):
        answer = services.answer_closure(token=token, resolved=False)
    resolved.refresh_from_db()
    assert answer.reopened and resolved.status == Status.IN_PROGRESS and resolved.closed_at is None
    assert resolved.citizen_wrote_at is not None and resolved.outcome == ""
    [told] = Notification.objects.filter(kind=Kind.CITIZEN_WROTE, recipient=resolved.assigned_officer.user)
    assert resolved.reference in told.title


def test_not_resolved_after_four_weeks_is_kept_without_reopening(resolved):
    token = services.answer_token(resolved)
    with time_machine.travel(timezone.now() + timedelta(days=29)):
        answer = services.answer_closure(token=token, resolved=False)
    resolved.refresh_from_db()
    assert not answer.reopened and resolved.status == Status.RESOLVED
    assert not Notification.objects.filter(kind=Kind.CITIZEN_WROTE).exists()


def test_one_answer_per_closure_and_a_new_closure_is_asked_again(resolved, actor_for):
    token = services.answer_token(resolved)
    services.answer_closure(token=token, resolved=False)
    with pytest.raises(services.ConcernChangedSinceClosed):  # it was reopened: the link is spent
        services.answer_closure(token=token, resolved=True)
    services.close_concern(
        actor_for("leader_n1a"), concern=resolved, status=Status.RESOLVED, reason="Fixed for good."
    )
    resolved.refresh_from_db()
    again = services.answer_token(resolved)
    services.answer_closure(token=again, resolved=True)
    with pytest.raises(services.AlreadyAnswered):
        services.answer_closure(token=again, resolved=False)
    assert ClosureAnswer.objects.filter(concern=resolved).count() == 2


@pytest.mark.parametrize("token", ["", "nonsense", "eyJjIjoxfQ:1abc:def"])
def test_a_bad_link_is_refused_and_changes_nothing(resolved, token):
    with pytest.raises(services.AnswerLinkInvalid):
        services.answer_closure(token=token, resolved=False)
    resolved.refresh_from_db()
    assert resolved.status == Status.RESOLVED and not ClosureAnswer.objects.exists()


def test_an_expired_link_is_refused(resolved):
    token = services.answer_token(resolved)
    with time_machine.travel(timezone.now() + timedelta(days=91)), pytest.raises(services.AnswerLinkInvalid):
        services.answer_closure(token=token, resolved=True)


def test_the_answers_are_counted_for_the_monthly_report(resolved, tree):
    services.answer_closure(token=services.answer_token(resolved), resolved=True)
    today = timezone.localdate()
    period = Period(today.replace(day=1), today)
    assert selectors.count_reporter_resolved([period], path=tree.n1.path) == [1]
    assert selectors.count_reporter_not_resolved([period], path=tree.n1.path) == [0]
    assert selectors.count_reporter_resolved([period], path=tree.s1.path) == [0]


def test_the_closing_email_asks_and_the_link_answers_on_post_only(resolved, client):
    from cpis.core.models import OutboxMessage

    mails = OutboxMessage.objects.filter(to_email="citizen@example.org")
    [closing] = mails.filter(body__contains="/reports/answer/")
    link = next(word for word in closing.body.split() if "/reports/answer/" in word)
    path = link[link.index("/reports/answer/") :]
    client.cookies["cpis_language"] = "en"
    page = client.get(path)
    assert page.status_code == 200 and resolved.reference in page.content.decode()
    assert not ClosureAnswer.objects.exists()  # a GET (a mail scanner's too) changes nothing
    assert client.post(path, {"resolved": "maybe"}).status_code == 400
    answered = client.post(path, {"resolved": "no"})
    assert answered.status_code == 200 and "open again" in answered.content.decode()
    resolved.refresh_from_db()
    assert resolved.status == Status.IN_PROGRESS
    spent = client.get(path)
    assert spent.status_code == 409  # the concern was reopened: the link is spent


def test_a_forged_link_shows_the_error_and_changes_nothing(resolved, client):
    client.cookies["cpis_language"] = "en"
    page = client.post("/reports/answer/forged:token/", {"resolved": "no"})
    assert page.status_code == 400 and "not valid" in page.content.decode()
    assert not ClosureAnswer.objects.exists()
