"""notify(): the inbox row, the e-mail, once per event, the person's choice per
kind, the language, the transaction; the daily digest."""

import pytest
from django.db import transaction
from django.utils import translation

from cpis.core.errors import InvalidInput
from cpis.core.models import OutboxMessage
from cpis.notifications import selectors, services
from cpis.notifications.models import Kind, Mode, Notification


def _tell(
    *users, key="concern:1:assigned:1", kind=Kind.CONCERN_ASSIGNED, actor=None, title="A concern for you"
):
    return services.notify(
        kind=kind, recipients=users, key=key, title=title, link="/staff/concerns/1/", body="", actor=actor
    )


def test_a_notification_goes_to_the_inbox_and_is_e_mailed_at_once(staff, mails, actor_for, settings):
    officer = staff("officer_n1a")
    [notification] = _tell(officer)
    assert list(selectors.list_inbox(actor_for("officer_n1a"))) == [notification]
    assert notification.mode == Mode.IMMEDIATELY and notification.emailed_at is not None
    [mail] = mails(officer)
    assert mail.subject == "A concern for you"
    assert mail.record_id == str(notification.pk)
    assert f"{settings.SITE_URL}/staff/concerns/1/" in mail.body


def test_the_same_event_never_notifies_twice(staff, mails):
    officer = staff("officer_n1a")
    assert len(_tell(officer)) == 1
    assert _tell(officer) == []
    assert Notification.objects.filter(recipient=officer).count() == 1
    assert len(mails(officer)) == 1
    # Another event is told.
    assert len(_tell(officer, key="concern:1:assigned:2")) == 1


def test_the_actor_is_never_told_of_their_own_action(staff, actor_for, mails):
    coordinator, officer = staff("coordinator_n1"), staff("officer_n1a")
    written = _tell(coordinator, officer, actor=actor_for("coordinator_n1"))
    assert [n.recipient_id for n in written] == [officer.pk]
    assert mails(coordinator) == []


def test_without_an_address_it_is_in_the_inbox_only(staff):
    officer = staff("officer_n1a", email=False)
    [notification] = _tell(officer)
    assert notification.emailed_at is None
    assert not OutboxMessage.objects.filter(record_type="notifications.notification").exists()


def test_an_inactive_user_is_not_told(staff):
    officer = staff("officer_n1a")
    officer.is_active = False
    officer.save()
    assert _tell(officer) == []


def test_off_writes_nothing(staff, actor_for, mails):
    officer = staff("officer_n1a")
    services.set_preferences(actor_for("officer_n1a"), modes={Kind.CONCERN_ASSIGNED: Mode.OFF})
    assert _tell(officer) == []
    assert not Notification.objects.exists()
    assert mails(officer) == []
    # Only that kind is off.
    assert len(_tell(officer, kind=Kind.CITIZEN_WROTE, key="concern:1:citizen:5")) == 1


def test_daily_waits_for_the_digest_which_comes_once(staff, actor_for, mails):
    officer = staff("officer_n1a")
    services.set_preferences(actor_for("officer_n1a"), modes={Kind.CONCERN_ASSIGNED: Mode.DAILY})
    _tell(officer, key="concern:1:assigned:1", title="First")
    _tell(officer, key="concern:2:assigned:2", title="Second")
    assert mails(officer) == []
    assert selectors.count_unread(actor_for("officer_n1a")) == 2
    assert services.send_digests() == 1
    [digest] = mails(officer, digests=True)
    assert "First" in digest.body and "Second" in digest.body
    assert not Notification.objects.awaiting_digest().exists()
    # Nothing new: no second digest.
    assert services.send_digests() == 0
    assert len(mails(officer, digests=True)) == 1


def test_the_digest_leaves_out_what_was_read_already(staff, actor_for, mails):
    officer = staff("officer_n1a")
    actor = actor_for("officer_n1a")
    services.set_preferences(actor, modes={Kind.CONCERN_ASSIGNED: Mode.DAILY})
    [read] = _tell(officer, key="a", title="Read already")
    _tell(officer, key="b", title="Still unread")
    services.mark_read(actor, notification=read)
    services.send_digests()
    [digest] = mails(officer, digests=True)
    assert "Still unread" in digest.body and "Read already" not in digest.body


def test_a_digest_with_only_read_notifications_is_not_sent(staff, actor_for, mails):
    officer = staff("officer_n1a")
    actor = actor_for("officer_n1a")
    services.set_preferences(actor, modes={Kind.ACTION_DUE: Mode.DAILY})
    _tell(officer, kind=Kind.ACTION_DUE, key="a")
    services.mark_all_read(actor)
    assert services.send_digests() == 0
    assert not Notification.objects.awaiting_digest().exists()


def test_the_text_is_written_in_the_recipients_language(staff, mails):
    serbian, albanian = staff("officer_n1a", language="sr"), staff("leader_n1a", language="sq")
    written = _tell(serbian, albanian, title=lambda: f"[{translation.get_language()}]")
    assert {n.recipient_id: n.title for n in written} == {serbian.pk: "[sr]", albanian.pk: "[sq]"}
    assert mails(serbian)[0].language == "sr"


class Refused(Exception):
    pass


def _tell_then_fail(officer):
    with transaction.atomic():
        _tell(officer)
        raise Refused


def test_a_rolled_back_event_tells_nobody(staff):
    officer = staff("officer_n1a")
    with pytest.raises(Refused):
        _tell_then_fail(officer)
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_an_event_needs_a_key(staff):
    with pytest.raises(InvalidInput):
        _tell(staff("officer_n1a"), key="")


def test_preferences_refuse_a_kind_the_roles_do_not_receive(actor_for):
    with pytest.raises(InvalidInput):
        services.set_preferences(actor_for("officer_n1a"), modes={Kind.COMPLAINT_ARRIVED: Mode.OFF})
    with pytest.raises(InvalidInput):
        services.set_preferences(actor_for("officer_n1a"), modes={Kind.CONCERN_ASSIGNED: "sometimes"})


def test_defaults_are_at_once_but_due_actions_and_clusters_daily(actor_for):
    modes = dict(selectors.list_preferences(actor_for("officer_n1a")))
    assert modes[Kind.CONCERN_ASSIGNED] == Mode.IMMEDIATELY
    assert modes[Kind.ACTION_DUE] == Mode.DAILY
    assert modes[Kind.EMERGING_CLUSTER] == Mode.DAILY


def test_holders_are_those_with_the_role_at_the_place_or_above(persona, tree):
    commander, other, officer = persona("commander_n1"), persona("commander_s1"), persona("officer_n1a")
    found = set(selectors.holders(frozenset({"station_commander", "sector_officer"}), tree.n1a.path))
    assert found == {commander, officer}
    assert other not in found
    assert set(selectors.holders(frozenset({"sector_officer"}), tree.n1b.path)) == set()


def test_read_notifications_are_deleted_after_the_keeping_time(staff, actor_for):
    from datetime import timedelta

    from django.utils import timezone

    officer = staff("officer_n1a")
    [old] = _tell(officer, key="old")
    [recent] = _tell(officer, key="recent")
    [unread] = _tell(officer, key="unread")
    now = timezone.now()
    Notification.objects.filter(pk=old.pk).update(read_at=now - timedelta(days=services.KEEP_READ_DAYS + 1))
    Notification.objects.filter(pk=recent.pk).update(read_at=now - timedelta(days=3))
    assert services.prune_read() == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {recent.pk, unread.pk}


def test_the_e_mail_leaves_after_commit_in_the_recipients_language(staff, django_capture_on_commit_callbacks):
    from django.core import mail

    officer = staff("officer_n1a", language="en")
    with django_capture_on_commit_callbacks(execute=True):
        _tell(officer, title=lambda: f"Assigned ({translation.get_language()})")
        assert mail.outbox == []  # nothing is sent before the event is committed
    [sent] = mail.outbox
    assert sent.to == [officer.email]
    assert sent.subject == "Assigned (en)"
    assert sent.extra_headers["Content-Language"] == "en"
