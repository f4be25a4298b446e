"""`cpis run_scheduled`: the periodic jobs, run by cron (`--once`, e.g. every
five minutes) or as a long-running process beside `cpis db_worker`."""

import time
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from cpis.concerns.services import anonymise_closed_concerns
from cpis.core import idempotency, outbox, pow, ratelimit

DAILY = timedelta(days=1)


class Command(BaseCommand):
    help = "Send due e-mail, remove contact details past retention and prune spent limits and challenges."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run every job once and exit (for cron).")
        parser.add_argument("--interval", type=int, default=60, help="Seconds between outbox sweeps.")

    def handle(self, *args: Any, once: bool, interval: int, **options: Any) -> None:
        last_daily = None
        while True:
            sent = outbox.deliver_due()
            if sent:
                self.stdout.write(f"{sent} queued e-mails sent.")
            if once or last_daily is None or timezone.now() - last_daily >= DAILY:
                anonymised = anonymise_closed_concerns()
                pruned = ratelimit.prune() + pow.prune() + idempotency.prune()
                self.stdout.write(f"Contact details removed from {anonymised} closed concerns.")
                self.stdout.write(f"{pruned} spent limits, challenges and submission keys pruned.")
                last_daily = timezone.now()
            if once:
                return
            time.sleep(interval)
