"""`cpis run_scheduled`: the periodic jobs, run by cron (`--once`, e.g. every
five minutes) or as a long-running process beside `cpis db_worker`.

Every call runs the apps' frequent jobs (`frequent_jobs`, e.g. the alerts'
fan-out) and then sweeps the outbox, within its rate. Each app's daily jobs (`daily_jobs` on its
AppConfig, see core.registry, so the kernel never imports them) run at most
once a calendar day: the day each last ran is kept in the database
(core.scheduling), so the cron interval and a second runner change nothing."""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cpis.core import outbox, registry, scheduling


class Command(BaseCommand):
    help = "Send due e-mail, run the apps' daily jobs and prune spent limits and challenges."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run what is due once and exit (for cron).")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between outbox sweeps.")

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        daily_jobs = registry.daily_jobs()
        frequent_jobs = registry.frequent_jobs()
        while True:
            today = timezone.localdate()
            for job, function in daily_jobs:
                line = scheduling.run_daily(job, function, today=today)
                if line is not None:
                    self.stdout.write(line)
            for _job, function in frequent_jobs:
                line = function()
                if line:
                    self.stdout.write(line)
            sent = outbox.deliver_due()
            if sent:
                self.stdout.write(f"{sent} queued e-mails sent.")
            if once:
                return
            time.sleep(interval)
