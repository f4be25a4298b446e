"""`cpis import_action_plan FILE.xlsx`: a plan from the coordinators'
workbook, all or nothing; every problem is reported with its sheet, row and column."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.core.errors import DomainError
from cpis.organisation.access import Actor
from cpis.plans.services import create_plan
from cpis.plans.workbook import WorkbookInvalid, read_workbook


class Command(BaseCommand):
    help = "Import an action plan from an XLSX workbook (the shape export_action_plan writes)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)

    def handle(self, *args: Any, file: Path, **options: Any) -> None:
        try:
            spec = read_workbook(file.read_bytes())
            plan = create_plan(Actor.system(), spec=spec)
        except OSError as exc:
            raise CommandError(str(exc)) from exc
        except WorkbookInvalid as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            raise CommandError(f"{file}: {len(exc.problems)} problems, nothing imported.") from exc
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {plan.code}: {plan.activities.count()} activities."))
