import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.core.errors import DomainError
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit
from cpis.organisation.services import import_sector_boundaries


class Command(BaseCommand):
    help = (
        "Create or update the sectors of a station or substation from a GeoJSON "
        "FeatureCollection (properties: code, name_sq, optional name_sr, name_en, population)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--parent", required=True, help="Path of the station or substation, e.g. kp/pr/prishtine/"
        )

    def handle(self, *args: Any, file: Path, parent: str, **options: Any) -> None:
        unit = Unit.objects.filter(path=parent if parent.endswith("/") else f"{parent}/").first()
        if unit is None:
            raise CommandError(f"No unit at path {parent}.")
        try:
            data = json.loads(file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {file}: {exc}") from exc
        try:
            sectors = import_sector_boundaries(Actor.system(), parent=unit, data=data)
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"{len(sectors)} sectors imported under {unit.path}."))
