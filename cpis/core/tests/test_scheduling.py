"""`cpis run_scheduled --once` from cron every few minutes runs each daily job
once a day, and sweeps the outbox on every call."""

from datetime import datetime
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from cpis.core import scheduling
from cpis.core.models import OutboxMessage, ScheduledRun

PRUNED = "spent limits, challenges and submission keys pruned."


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time of the deployment (Europe/Belgrade)."""
    return datetime(2026, 3, day, hour, minute, tzinfo=timezone.get_current_timezone())


def _run_once() -> str:
    out = StringIO()
    call_command("run_scheduled", once=True, stdout=out)
    return out.getvalue()


def _queue_mail() -> OutboxMessage:
    return OutboxMessage.objects.create(
        record_type="test", record_id="1", to_email="a@example.org", language="en", subject="s", body="b"
    )


@pytest.mark.django_db
def test_cron_every_five_minutes_runs_the_daily_jobs_once_a_day_and_the_outbox_every_time():
    with time_machine.travel(_at(2, 8), tick=False):
        first = _run_once()
    assert PRUNED in first
    assert "Emerging-cluster scan enqueued." in first
    assert "Action plan deadline reminders enqueued." in first
    assert "closed concerns." in first

    with time_machine.travel(_at(2, 8, 5), tick=False):
        message = _queue_mail()
        second = _run_once()
    assert second == "1 queued e-mails sent.\n"  # the outbox, and no daily job again
    message.refresh_from_db()
    assert message.sent_at is not None

    with time_machine.travel(_at(2, 23, 55), tick=False):
        assert _run_once() == ""
    with time_machine.travel(_at(3, 0, 5), tick=False):
        next_day = _run_once()
    assert PRUNED in next_day and "Emerging-cluster scan enqueued." in next_day
    assert set(ScheduledRun.objects.values_list("last_day", flat=True)) == {_at(3, 0).date()}


@pytest.mark.django_db
def test_a_runner_that_starts_while_another_runs_the_job_leaves_it_alone():
    today = _at(2, 8).date()
    calls = []

    def job() -> str:
        calls.append("outer")
        assert scheduling.run_daily("test.job", lambda: calls.append("inner") or "inner", today=today) is None
        return "done"

    assert scheduling.run_daily("test.job", job, today=today) == "done"
    assert calls == ["outer"]
    assert scheduling.run_daily("test.job", job, today=today) is None


@pytest.mark.django_db
def test_a_job_that_fails_is_tried_again_on_the_next_call():
    today = _at(2, 8).date()

    def broken() -> str:
        raise RuntimeError("mail server down")

    with pytest.raises(RuntimeError, match="mail server down"):
        scheduling.run_daily("test.job", broken, today=today)
    assert ScheduledRun.objects.get(job="test.job").last_day is None
    assert scheduling.run_daily("test.job", lambda: "ran", today=today) == "ran"
    assert ScheduledRun.objects.get(job="test.job").last_day == today
