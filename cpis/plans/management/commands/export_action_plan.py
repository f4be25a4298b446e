"""`cpis export_action_plan FILE.xlsx [--plan CODE]`: the plan as the coordinators' workbook."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.plans.models import Plan
from cpis.plans.selectors import spec_from_plan
from cpis.plans.workbook import write_workbook


class Command(BaseCommand):
    help = "Export an action plan to an XLSX workbook, one row per activity."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--plan", help="The plan's code (default: the latest plan).")

    def handle(self, *args: Any, file: Path, plan: str | None, **options: Any) -> None:
        plans = Plan.objects.order_by("-period_start")
        found = plans.filter(code=plan).first() if plan else plans.first()
        if found is None:
            raise CommandError("No such plan.")
        file.write_bytes(write_workbook(spec_from_plan(found)))
        self.stdout.write(self.style.SUCCESS(f"Wrote {found.code} to {file}."))
