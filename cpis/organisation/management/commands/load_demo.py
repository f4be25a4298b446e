from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cpis.organisation.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Replace the organisation data with the deterministic demo set and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--scale", choices=["small", "national"], default="national")
        parser.add_argument("--seed", type=int, default=2012)

    def handle(self, *args: Any, scale: str, seed: int, **options: Any) -> None:
        logins = load_demo(scale=scale, seed=seed)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({scale}, seed {seed})."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(login.username) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.username.ljust(width)}  {login.role} – {login.place}")
