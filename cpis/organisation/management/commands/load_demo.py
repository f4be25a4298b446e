from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from cpis.core import registry
from cpis.organisation.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Replace the organisation data with the deterministic demo set and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        # small: two regions (tests); standard: the whole country with about 200,000
        # incidents; national: the same with 1,000,000 incidents.
        parser.add_argument("--scale", choices=["small", "standard", "national"], default="standard")
        parser.add_argument("--seed", type=int, default=2012)

    def handle(self, *args: Any, scale: str, seed: int, **options: Any) -> None:
        # Higher apps add their demo data through the `demo` module their
        # AppConfig names (with clear_demo() and load_demo()), so this lower
        # app never imports them.
        extensions = registry.demo_modules()
        today = timezone.localdate()
        with transaction.atomic():
            for extension in reversed(extensions):
                extension.clear_demo()
            logins = load_demo(scale=scale, seed=seed, today=today)
            lines = [line for e in extensions for line in e.load_demo(scale=scale, seed=seed, today=today)]
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({scale}, seed {seed})."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.role} – {login.place}")
        for line in lines:
            self.stdout.write(line)
