"""`cpis run_scheduled`: the periodic jobs, run by cron (`--once`, e.g. every
five minutes) or as a long-running process beside `cpis db_worker`.

Apps add their daily jobs through settings.SCHEDULED_DAILY_JOBS (dotted
paths to functions that take nothing and return a line to print), so the
kernel never imports them."""

import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.module_loading import import_string

from cpis.core import idempotency, outbox, pow, ratelimit

DAILY = timedelta(days=1)


class Command(BaseCommand):
    help = "Send due e-mail, run the apps' daily jobs and prune spent limits and challenges."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and exit (for cron).")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between outbox sweeps.")

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        daily_jobs = [import_string(path) for path in settings.SCHEDULED_DAILY_JOBS]
        last_daily = None
        while True:
            if once or last_daily is None or timezone.now() - last_daily >= DAILY:
                for job in daily_jobs:
                    self.stdout.write(job())
                pruned = ratelimit.prune() + pow.prune() + idempotency.prune()
                self.stdout.write(f"{pruned} spent limits, challenges and submission keys pruned.")
                last_daily = timezone.now()
            sent = outbox.deliver_due()
            if sent:
                self.stdout.write(f"{sent} queued e-mails sent.")
            if once:
                return
            time.sleep(interval)
