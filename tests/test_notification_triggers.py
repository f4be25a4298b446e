"""Staff notifications (cpis/notifications), each kind from the service of the
app where its event happens to the inbox and the outbox, and never twice for the
same event. Here, not in the notifications app, because those apps sit above it."""

import uuid
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cpis.accounts.tests.factories import UserFactory
from cpis.complaints import services as complaints
from cpis.concerns import services as concerns
from cpis.concerns.tests.factories import submit
from cpis.core.models import OutboxMessage
from cpis.notifications.models import Kind, Notification
from cpis.organisation.access import Actor
from cpis.organisation.models import Role
from cpis.organisation.tests.factories import OfficerFactory, RoleGrantFactory
from cpis.reporting import services as reporting
from cpis.reporting.models import Stage


@pytest.fixture
def staff(persona):
    """staff("officer_n1a") → the persona with a work address to be e-mailed at."""

    def make(name: str):
        user = persona(name)
        user.email = f"{name}@kosovopolice.example"
        user.save(update_fields=["email"])
        return user

    return make


@pytest.fixture
def mails():
    """mails(user) → the notification e-mails the outbox holds for the user."""

    def read(user):
        found = OutboxMessage.objects.filter(record_type="notifications.notification", to_email=user.email)
        return list(found.order_by("pk"))

    return read


def _inbox(user, kind=None):
    found = Notification.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


@pytest.fixture
def assigned(tree, staff, actor_for):
    """A concern at n1a assigned by the station coordinator to the sector officer."""
    officer = OfficerFactory(unit=tree.n1, user=staff("officer_n1a"))
    concern = submit().concern
    concerns.assign_concern(actor_for("coordinator_n1"), concern=concern, officer=officer)
    concern.refresh_from_db()
    return concern


# Concerns


def test_the_officer_is_told_of_a_concern_assigned_to_them(assigned, persona, mails):
    officer = persona("officer_n1a")
    [notification] = _inbox(officer, Kind.CONCERN_ASSIGNED)
    assert assigned.reference in notification.title
    assert notification.link == reverse("concerns:detail", args=[assigned.pk])
    assert notification.unit_path == assigned.unit_path
    assert len(mails(officer)) == 1


def test_assigning_again_to_the_same_officer_tells_nobody_twice(assigned, actor_for, persona):
    concerns.assign_concern(actor_for("coordinator_n1"), concern=assigned, officer=assigned.assigned_officer)
    assert len(_inbox(persona("officer_n1a"), Kind.CONCERN_ASSIGNED)) == 1


def test_bulk_assignment_tells_once_per_concern(tree, staff, actor_for):
    user = staff("officer_n1a")
    officer = OfficerFactory(unit=tree.n1, user=user)
    batch = [submit().concern for _ in range(3)]
    concerns.assign_concerns(actor_for("coordinator_n1"), concerns=batch, officer=officer)
    assert len(_inbox(user, Kind.CONCERN_ASSIGNED)) == 3


def test_an_officer_who_assigns_themselves_is_not_told(tree, staff):
    user = staff("coordinator_n1")
    officer = OfficerFactory(unit=tree.n1, user=user)
    concerns.assign_concern(Actor.for_user(user), concern=submit().concern, officer=officer)
    assert _inbox(user) == []


def test_a_citizens_message_tells_the_assignee_and_flags_the_concern(assigned, persona, mails):
    officer = persona("officer_n1a")
    concerns.add_citizen_message(concern=assigned, text="The car was a red Golf.")
    [notification] = _inbox(officer, Kind.CITIZEN_WROTE)
    assert assigned.reference in notification.title
    assert "Golf" not in notification.title + notification.body  # the citizen's words stay in the record
    assigned.refresh_from_db()
    assert assigned.citizen_wrote_at is not None
    # A second message is another event.
    concerns.add_citizen_message(concern=assigned, text="It is there again tonight.")
    assert len(_inbox(officer, Kind.CITIZEN_WROTE)) == 2
    assert len(mails(officer)) == 3  # assigned + two messages


def test_the_flag_is_cleared_by_a_reply(assigned, actor_for):
    concerns.add_citizen_message(concern=assigned, text="Any news?")
    concerns.reply_to_citizen(actor_for("officer_n1a"), concern=assigned, text="We patrol there nightly.")
    assigned.refresh_from_db()
    assert assigned.citizen_wrote_at is None


def test_the_flag_is_cleared_when_the_assignee_marks_it_seen(assigned, actor_for):
    concerns.add_citizen_message(concern=assigned, text="Thank you.")
    concerns.mark_citizen_message_seen(actor_for("officer_n1a"), concern=assigned)
    assigned.refresh_from_db()
    assert assigned.citizen_wrote_at is None


def test_an_unassigned_concern_is_flagged_and_tells_nobody(tree):
    concern = submit().concern
    concerns.add_citizen_message(concern=concern, text="More details.")
    concern.refresh_from_db()
    assert concern.citizen_wrote_at is not None
    assert not Notification.objects.exists()


def test_the_flag_shows_in_the_queue_and_on_the_concern(assigned, client_for, settings):
    concerns.add_citizen_message(concern=assigned, text="Hello?")
    client = client_for("coordinator_n1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "the citizen wrote" in client.get(reverse("concerns:queue")).content.decode()
    page = client.get(reverse("concerns:detail", args=[assigned.pk])).content.decode()
    assert "citizen-wrote" in page
    response = client_for("officer_n1a").post(reverse("concerns:act", args=[assigned.pk, "seen"]))
    assert response.status_code == 302
    assigned.refresh_from_db()
    assert assigned.citizen_wrote_at is None


def test_an_overdue_concern_tells_its_assignee_once_per_due_date(assigned, persona, actor_for):
    officer = persona("officer_n1a")
    assigned.due_at = timezone.now() - timedelta(days=1)
    assigned.save()
    assert concerns.notify_overdue() == 1
    assert concerns.notify_overdue() == 0
    [notification] = _inbox(officer, Kind.CONCERN_OVERDUE)
    assert assigned.reference in notification.title
    # A new due date that passes again is a new event.
    assigned.due_at = timezone.now() - timedelta(hours=1)
    assigned.save()
    assert concerns.notify_overdue(now=timezone.now() + timedelta(days=3)) == 1
    # A closed concern is not overdue.
    concerns.close_concern(actor_for("officer_n1a"), concern=assigned, status="resolved", reason="Done.")
    assert concerns.notify_overdue(now=timezone.now() + timedelta(days=30)) == 0


def test_the_overdue_job_is_a_daily_job():
    from cpis.core.registry import daily_jobs

    assert "cpis.concerns.tasks.notify_overdue" in dict(daily_jobs())


# Complaints


def _complain(**fields):
    return complaints.submit_complaint(
        description="Zyrtari më fyeu.", language="sq", idempotency_key=uuid.uuid4().hex, **fields
    ).complaint


def test_a_complaint_tells_professional_standards_only(tree, staff, persona, mails):
    standards = staff("standards")
    commander = staff("commander_n1")
    complaint = _complain(unit=tree.n1)
    [notification] = _inbox(standards, Kind.COMPLAINT_ARRIVED)
    assert complaint.reference in notification.title
    assert notification.link == reverse("complaints:detail", args=[complaint.pk])
    assert len(mails(standards)) == 1
    assert _inbox(commander) == []


def test_professional_standards_of_another_place_are_not_told(tree, staff):
    south = UserFactory(username="standards_south", email="ps-south@kosovopolice.example")
    RoleGrantFactory(user=south, unit=tree.south, role=Role.PROFESSIONAL_STANDARDS)
    national = staff("standards")
    _complain(unit=tree.n1)
    assert _inbox(south) == []
    assert len(_inbox(national)) == 1
    # A complaint naming no place goes to the national office only.
    _complain()
    assert _inbox(south) == []
    assert len(_inbox(national)) == 2


def test_the_same_complaint_submitted_twice_tells_once(tree, staff):
    standards = staff("standards")
    key = uuid.uuid4().hex
    for _ in range(2):
        complaints.submit_complaint(description="Zyrtari më fyeu.", language="sq", idempotency_key=key)
    assert len(_inbox(standards)) == 1


# Reports

MONTH = date(2025, 3, 1)


@pytest.fixture
def written(tree, staff, actor_for):
    staff("leader_n1a")
    report = reporting.start_report(actor_for("leader_n1a"), unit=tree.n1a, month=MONTH)
    return reporting.save_report(
        actor_for("leader_n1a"), report=report, issues="Zhurmë.", actions="Patrullë.", needs="", remarks=""
    )


def test_a_submitted_report_tells_the_reviewers_of_the_first_level(written, staff, actor_for, mails):
    coordinator, director = staff("coordinator_n1"), staff("director_north")
    report = reporting.submit_report(actor_for("leader_n1a"), report=written)
    [notification] = _inbox(coordinator, Kind.REPORT_TO_REVIEW)
    assert notification.link == reverse("reporting:detail", args=[report.pk])
    assert len(mails(coordinator)) == 1
    assert _inbox(director) == []
    assert _inbox(written.author) == []


def test_an_approved_report_tells_the_next_level(written, tree, staff, actor_for):
    regional = UserFactory(username="regional_coordinator_north", email="rc@kosovopolice.example")
    RoleGrantFactory(user=regional, unit=tree.north, role=Role.REGIONAL_COORDINATOR)
    staff("coordinator_n1")
    report = reporting.submit_report(actor_for("leader_n1a"), report=written)
    reporting.review_report(
        actor_for("coordinator_n1"),
        report=report,
        decision="approved",
        comment="",
        version=1,
        stage=Stage.STATION,
    )
    assert len(_inbox(regional, Kind.REPORT_TO_REVIEW)) == 1
    assert _inbox(staff("coordinator_n1"), Kind.REPORT_TO_REVIEW)[0].key.endswith(":station")


def test_a_returned_report_tells_its_author_with_the_reason(written, staff, actor_for, mails):
    author = staff("leader_n1a")
    staff("coordinator_n1")
    report = reporting.submit_report(actor_for("leader_n1a"), report=written)
    reporting.review_report(
        actor_for("coordinator_n1"), report=report, decision="returned", comment="Shtoni takimet me KLSP.",
        version=1, stage=Stage.STATION,
    )  # fmt: skip
    [notification] = _inbox(author, Kind.REPORT_RETURNED)
    assert notification.body == "Shtoni takimet me KLSP."
    assert "Shtoni takimet me KLSP." in mails(author)[0].body
    # Resubmitted: the coordinator is told of version 2, a new event.
    report.refresh_from_db()
    reporting.submit_report(actor_for("leader_n1a"), report=report)
    assert len(_inbox(staff("coordinator_n1"), Kind.REPORT_TO_REVIEW)) == 2


# Forums


def test_a_high_tension_report_tells_the_station_command_and_the_sector_team(tree, staff, actor_for, mails):
    from cpis.forums import services as forums
    from cpis.forums.tests.factories import ForumFactory

    commander, officer = staff("commander_n1"), staff("officer_n1a")
    director, elsewhere = staff("director_north"), staff("commander_s1")
    forum = ForumFactory(unit=tree.n1a)
    day = timezone.localdate()
    forums.report_tension(
        actor_for("leader_n1a"), forum=forum, reported_on=day, level="medium", summary="Calm."
    )
    assert not Notification.objects.exists()
    report = forums.report_tension(
        actor_for("leader_n1a"), forum=forum, reported_on=day, level="high", summary="Fight after the match."
    )
    told = Notification.objects.filter(kind=Kind.HIGH_TENSION)
    assert set(told.values_list("recipient_id", flat=True)) == {commander.pk, officer.pk}
    assert told.filter(recipient=officer).get().key == f"forums.tension:{report.pk}"
    assert len(mails(commander)) == 1
    assert _inbox(director) == [] and _inbox(elsewhere) == []
    assert _inbox(staff("leader_n1a")) == []  # who recorded it


def test_an_action_item_coming_due_tells_its_officer_once(tree, staff):
    from cpis.forums import services as forums
    from cpis.forums.tests.factories import ActionItemFactory, ForumFactory

    officer = staff("officer_n1a")
    today = timezone.localdate()
    forum = ForumFactory(unit=tree.n1a)
    due = ActionItemFactory(meeting__forum=forum, owner_user=officer, due_on=today + timedelta(days=2))
    ActionItemFactory(meeting__forum=forum, owner_user=officer, due_on=today + timedelta(days=9))
    ActionItemFactory(meeting__forum=forum, owner_user=None, due_on=today)
    assert forums.notify_due_action_items(today=today) == 1
    assert forums.notify_due_action_items(today=today) == 0
    assert forums.notify_due_action_items(today=today + timedelta(days=1)) == 0
    [notification] = _inbox(officer, Kind.ACTION_DUE)
    assert notification.key == f"forums.action:{due.pk}:due:{due.due_on.isoformat()}"
    assert notification.mode == "daily"  # due actions come in the digest unless chosen otherwise


# Problems


def test_a_problem_action_coming_due_tells_its_officer_once(tree, staff, actor_for):
    from cpis.organisation.models import Officer
    from cpis.problems.services import actions
    from cpis.problems.services import problems as problem_services

    user = staff("officer_n1a")
    officer = Officer.objects.create(
        user=user, unit=tree.n1, first_name="A", last_name="K", badge_number="N1-9"
    )
    problem = problem_services.open_problem(
        actor_for("commander_n1"), unit=tree.n1a, title="Burglaries at the market", description="Night."
    )
    today = timezone.localdate()
    action = actions.add_action(
        actor_for("commander_n1"),
        problem=problem,
        data=actions.ActionInput(
            title="Lock the gates",
            technique="control_access",
            due_on=today + timedelta(days=1),
            owner_officer=officer,
        ),
    )
    assert actions.notify_due_actions(today=today) == 1
    assert actions.notify_due_actions(today=today) == 0
    [notification] = _inbox(user, Kind.ACTION_DUE)
    assert notification.key == f"problems.action:{action.pk}:due:{action.due_on.isoformat()}"
    assert "Lock the gates" in notification.title
    # Done: not recalled again, even on a later day within the window.
    actions.complete_action(actor_for("commander_n1"), action=action, done_on=today, evidence="Locked.")
    assert actions.notify_due_actions(today=today + timedelta(days=1)) == 0


def test_the_due_jobs_are_daily_jobs():
    from cpis.core.registry import daily_jobs

    jobs = dict(daily_jobs())
    assert "cpis.forums.tasks.notify_due_action_items" in jobs
    assert "cpis.problems.tasks.notify_due_actions" in jobs
    assert "cpis.notifications.tasks.send_digests" in jobs
