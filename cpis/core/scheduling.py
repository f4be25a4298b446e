"""Daily jobs run at most once a day each, however often `cpis run_scheduled
--once` is called and however many runners start together: a runner takes a
job's day with one compare-and-set UPDATE, which only one of them can win."""

from collections.abc import Callable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import ScheduledRun


def _take(job: str, today: date) -> tuple[bool, date | None]:
    """Whether this caller takes `job` for `today`, and the day it last ran."""
    try:
        with transaction.atomic():
            row, _created = ScheduledRun.objects.get_or_create(job=job)
    except IntegrityError:  # another runner created the row first
        row = ScheduledRun.objects.get(job=job)
    previous = row.last_day
    if previous is not None and previous >= today:
        return False, previous
    taken = ScheduledRun.objects.filter(job=job, last_day=previous).update(
        last_day=today, last_started_at=timezone.now()
    )
    return taken == 1, previous


def run_daily(job: str, function: Callable[[], str], *, today: date) -> str | None:
    """Run `function` unless `job` already ran on `today`; its line, or None
    when it was not due. A job that fails gives its day back, so the next call
    tries again."""
    taken, previous = _take(job, today)
    if not taken:
        return None
    try:
        return function()
    except BaseException:
        ScheduledRun.objects.filter(job=job, last_day=today).update(last_day=previous)
        raise
