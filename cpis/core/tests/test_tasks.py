"""The production task backend: mail queued through django-tasks-db is sent by
`cpis db_worker`, including a run left queued from before (tests otherwise run
tasks with the immediate backend)."""

import logging
import signal
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from cpis.core import outbox
from cpis.core.models import OutboxMessage

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def worker_leaves_no_trace():
    """db_worker installs its own signal handlers and log levels; put them back."""
    signals = [s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGQUIT", None)) if s]
    handlers = {s: signal.getsignal(s) for s in signals}
    loggers = {name: logging.getLogger(name).level for name in ("django_tasks", "django_tasks_db")}
    yield
    for s, handler in handlers.items():
        signal.signal(s, handler)
    for name, level in loggers.items():
        logging.getLogger(name).setLevel(level)


def _queue(record_id: int) -> OutboxMessage:
    return outbox.queue(
        record_type="test.record",
        record_id=record_id,
        to_email=f"citizen{record_id}@example.org",
        language="sq",
        subject="Raporti juaj",
        body="U pranua.",
    )


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_the_database_worker_sends_queued_mail_once_including_a_run_left_from_before(
    worker_leaves_no_trace,
):
    # A run left queued from before: its message was already sent by the sweeper while no
    # worker ran, and a day has passed.
    earlier = _queue(1)
    assert outbox.deliver_due() == 1
    DBTaskResult.objects.update(enqueued_at=timezone.now() - timedelta(days=1))
    later = _queue(2)
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 2
    assert [m.to for m in mail.outbox] == [["citizen1@example.org"]]

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0", verbosity=0)

    runs = {r.args_kwargs["args"][0]: r for r in DBTaskResult.objects.all()}
    assert {pk: (run.status, run.return_value) for pk, run in runs.items()} == {
        earlier.pk: (TaskResultStatus.SUCCESSFUL, False),  # already sent: not sent again
        later.pk: (TaskResultStatus.SUCCESSFUL, True),
    }
    assert all(run.task_path == "cpis.core.tasks.deliver_message" for run in runs.values())
    assert [m.to for m in mail.outbox] == [["citizen1@example.org"], ["citizen2@example.org"]]
    assert OutboxMessage.objects.filter(sent_at__isnull=True).count() == 0
