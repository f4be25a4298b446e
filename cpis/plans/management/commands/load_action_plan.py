"""`cpis load_action_plan`: load the curated 2012–2016 action plan (or
another file of the same shape) once."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.core.errors import DomainError
from cpis.plans.services import load_plan_data
from cpis.plans.spec import DATA_FILE, load_data_file


class Command(BaseCommand):
    help = "Load the action plan from its curated data file (nothing happens if it is loaded already)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file", type=Path, default=DATA_FILE, help="A JSON file in the data file's shape."
        )

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            plan, created = load_plan_data(load_data_file(file))
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        counts = f"{plan.goals.count()} goals, {plan.activities.count()} activities"
        if created:
            self.stdout.write(self.style.SUCCESS(f"Loaded {plan.code}: {counts}."))
        else:
            self.stdout.write(f"{plan.code} is loaded already ({counts}).")
