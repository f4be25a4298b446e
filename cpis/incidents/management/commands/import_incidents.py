"""`cpis import_incidents FILE`: import a CSV, XLSX or GeoJSON file of
incidents, with a progress bar on stderr and a summary at the end.

    cpis import_incidents kp-2024.csv --source kp-ims --map occurred_on=data --map category=vepra
    cpis import_incidents train.csv --preset toronto-mci --rejects rejected.csv
"""

import json
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.core.errors import InvalidInput
from cpis.incidents.models import Format, RunStatus
from cpis.incidents.parsing import FIELDS
from cpis.incidents.services import PRESETS, import_incidents
from cpis.organisation.access import Actor


class ProgressBar:
    """[#######-------]  48 %  480,000 rows  121,000 rows/s  ETA 4 s — redrawn in place."""

    WIDTH = 30

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.start = time.monotonic()
        self.drawn = False

    def __call__(self, fraction: float, rows: int) -> None:
        elapsed = max(time.monotonic() - self.start, 1e-9)
        filled = int(self.WIDTH * fraction)
        eta = elapsed * (1 - fraction) / fraction if fraction > 0 else 0.0
        self.out.write(
            f"\r[{'#' * filled}{'-' * (self.WIDTH - filled)}] {100 * fraction:3.0f} %  {rows:,} rows  "
            f"{rows / elapsed:,.0f} rows/s  ETA {eta:,.0f} s "
        )
        self.out.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.out.write("\n")
            self.out.flush()


def parse_maps(pairs: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise CommandError(f"--map takes FIELD=COLUMN, not “{pair}”. Fields: {', '.join(FIELDS)}.")
        mapping[field.strip()] = column.strip()
    return mapping


def read_mapping_file(path: str) -> dict[str, str]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CommandError(f"Cannot read the mapping file {path}: {exc}") from exc
    if not isinstance(data, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in data.items()
    ):
        raise CommandError(f"The mapping file {path} must hold one JSON object of field → column names.")
    return data


class Command(BaseCommand):
    help = "Import incidents from a CSV, XLSX or GeoJSON file (re-importing the same ids updates them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The CSV, XLSX or GeoJSON file.")
        parser.add_argument("--source", help="Where the records come from, e.g. kp-ims (given by a preset).")
        parser.add_argument("--format", choices=Format.values, help="Read from the file name when left out.")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=f"Read FIELD from COLUMN (repeatable). Fields: {', '.join(FIELDS)}.",
        )
        parser.add_argument("--mapping", help="A JSON file of field → column names.")
        parser.add_argument("--preset", choices=sorted(PRESETS), help="A known file layout.")
        parser.add_argument("--date-format", help="strptime format of the dates, e.g. %%m/%%d/%%Y.")
        parser.add_argument("--batch-size", type=int, help="Rows per transaction (5,000; 100,000 with COPY).")
        parser.add_argument("--rejects", help="Write the rejected rows here as well (CSV).")
        parser.add_argument(
            "--no-copy", action="store_true", help="Write through the ORM even on PostgreSQL."
        )
        parser.add_argument("--quiet-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        mapping = read_mapping_file(options["mapping"]) if options["mapping"] else {}
        mapping.update(parse_maps(options["map"]))
        bar = None if options["quiet_progress"] else ProgressBar(sys.stderr)
        try:
            run = import_incidents(
                Actor.system(),
                path_or_file=options["file"],
                source=options["source"],
                fmt=options["format"],
                mapping=mapping,
                date_format=options["date_format"],
                preset=options["preset"],
                batch_size=options["batch_size"],
                progress=bar,
                use_copy=False if options["no_copy"] else None,
                rejects_path=options["rejects"],
            )
        except InvalidInput as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if bar is not None:
                bar.close()
        seconds = (run.finished_at - run.created_at).total_seconds() if run.finished_at else 0.0
        self.stdout.write(
            f"Import {run.pk} ({run.source}, {run.file_name}): {run.rows:,} rows read in {seconds:,.1f} s — "
            f"{run.created:,} new, {run.updated:,} changed, {run.unchanged:,} unchanged, "
            f"{run.rejected:,} rejected; {run.unplaced:,} outside every sector."
        )
        if run.rejected:
            where = options["rejects"] or run.rejects_file.path
            self.stdout.write(f"Rejected rows, each with its reason: {where}")
        if run.status != RunStatus.DONE:
            raise CommandError(run.error or "The import failed.")
