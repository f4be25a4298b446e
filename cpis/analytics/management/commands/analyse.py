"""`cpis analyse trends|hotspots|near_repeat|scan …`: the analyses from the
command line. Prints a table; --csv and --geojson write files. Long runs
show their progress on stderr."""

import csv
import json
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.core.errors import DomainError
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit

from ... import analyses, services
from ...models import Subject


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


class Progress:
    """A one-line progress bar on stderr."""

    def __init__(self, label: str) -> None:
        self.label, self.started = label, time.monotonic()

    def __call__(self, fraction: float) -> None:
        width = 30
        done = int(width * max(0.0, min(1.0, fraction)))
        elapsed = time.monotonic() - self.started
        sys.stderr.write(
            f"\r{self.label} [{'#' * done}{'.' * (width - done)}] {fraction:4.0%} {elapsed:6.1f} s"
        )
        sys.stderr.flush()
        if fraction >= 1.0:
            sys.stderr.write("\n")


class Command(BaseCommand):
    help = "Run an analysis of incidents or concerns and print it (optionally writing CSV or GeoJSON)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("analysis", choices=["trends", "hotspots", "near_repeat", "scan"])
        parser.add_argument(
            "--place", default="", help="Unit path, code or id (the whole country by default)."
        )
        parser.add_argument("--subject", choices=Subject.values, default=Subject.INCIDENTS)
        parser.add_argument("--category", action="append", default=[], help="Category code; repeat for more.")
        parser.add_argument("--since", type=_date)
        parser.add_argument("--until", type=_date)
        parser.add_argument("--csv", type=Path, help="Write the table as CSV.")
        parser.add_argument(
            "--geojson", type=Path, help="Write cells or clusters as GeoJSON (hotspots, scan)."
        )
        parser.add_argument("--cell", type=float, help="Grid cell size in metres (hotspots, scan).")
        parser.add_argument("--permutations", type=int, help="Permutations (hotspots, near_repeat).")
        parser.add_argument("--alpha", type=float, help="Significance level (hotspots).")
        parser.add_argument("--seed", type=int)
        parser.add_argument("--space-bandwidth", type=float)
        parser.add_argument("--space-bands", type=int)
        parser.add_argument("--time-bandwidth", type=float)
        parser.add_argument("--time-bands", type=int)
        parser.add_argument("--metric", choices=["manhattan", "euclidean"])
        parser.add_argument("--mode", choices=["exact", "nrc"], help="near_repeat: exact bands or the NRC's.")
        parser.add_argument("--days", type=int, help="scan: days of history.")
        parser.add_argument("--window", type=int, help="scan: longest cluster in days.")
        parser.add_argument("--radius", type=float, help="scan: largest radius in metres.")
        parser.add_argument("--replicates", type=int, help="scan: Monte Carlo replicates.")
        parser.add_argument("--save", action="store_true", help="scan: store signals as emerging clusters.")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = self._place(options["place"])
        scope = analyses.Scope(
            unit=unit,
            subject=options["subject"],
            categories=tuple(options["category"]),
            start=options["since"],
            end=options["until"],
        )
        names = {
            "hotspots": ["cell", "permutations", "alpha", "seed"],
            "near_repeat": [
                "space_bandwidth",
                "space_bands",
                "time_bandwidth",
                "time_bands",
                "metric",
                "mode",
                "permutations",
                "seed",
            ],
            "scan": ["days", "window", "radius", "cell", "replicates", "seed"],
        }.get(options["analysis"], [])
        params = {name: options[name] for name in names if options.get(name) is not None}
        try:
            getattr(self, f"_{options['analysis']}")(Actor.system(), scope, params, options)
        except DomainError as exc:
            raise CommandError(str(exc)) from None

    def _place(self, value: str) -> Unit:
        if not value:
            unit = Unit.objects.filter(parent__isnull=True).order_by("path").first()
        elif value.isdigit():
            unit = Unit.objects.filter(pk=int(value)).first()
        else:
            unit = (
                Unit.objects.filter(path=value if value.endswith("/") else f"{value}/").first()
                or Unit.objects.filter(code=value).order_by("path").first()
            )
        if unit is None:
            raise CommandError(f"No such place: {value or '(the root)'}")
        return unit

    def _table(self, header: list[str], rows: list[list[Any]], path: Path | None) -> None:
        widths = [max(len(str(h)), *(len(self._cell(r[i])) for r in rows)) for i, h in enumerate(header)]
        self.stdout.write("  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)))
        for row in rows:
            self.stdout.write("  ".join(self._cell(v).rjust(w) for v, w in zip(row, widths, strict=True)))
        if path is not None:
            with path.open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(header)
                writer.writerows(rows)
            self.stderr.write(f"Wrote {path}")

    @staticmethod
    def _cell(value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, float):
            return f"{value:.3f}" if abs(value) < 1000 else f"{value:,.0f}"
        return str(value)

    def _geojson(self, data: dict[str, Any], path: Path | None) -> None:
        if path is not None:
            path.write_text(json.dumps(data, default=str), encoding="utf-8")
            self.stderr.write(f"Wrote {path}")

    def _trends(self, actor: Actor, scope: analyses.Scope, params: dict[str, Any], options: Any) -> None:
        report = analyses.trends(actor, scope)
        self.stdout.write(f"{scope.unit.name} — {report.today.isoformat()}")
        header = [
            "category",
            "7d",
            "7d_before",
            "7d_z",
            "28d",
            "28d_before",
            "28d_z",
            "ytd",
            "ytd_before",
            "ytd_z",
        ]
        rows = []
        for row in [*report.rows, report.total]:
            rows.append(
                [
                    row.category.code if row.category else "all",
                    *(
                        value
                        for change in (row.week, row.days28, row.ytd)
                        for value in (change.now, change.before, round(change.z, 2))
                    ),
                ]
            )
        self._table(header, rows, options["csv"])
        for alert in report.alerts[:20]:
            self.stdout.write(
                f"alert {alert.week_start}..{alert.week_end} {alert.place.name}: {alert.category.code} "
                f"{alert.count} (usual {alert.baseline:.1f}, {alert.method})"
            )

    def _hotspots(self, actor: Actor, scope: analyses.Scope, params: dict[str, Any], options: Any) -> None:
        outcome = analyses.hotspots(actor, scope, **params)
        self.stdout.write(
            f"{outcome.events} events, {outcome.grid.nx}×{outcome.grid.ny} cells of {outcome.grid.cell:g} m, "
            f"{outcome.hot_cells} hot and {outcome.cold_cells} cold (FDR, alpha {outcome.alpha:g}), "
            f"{outcome.seconds:.2f} s"
        )
        rows = [
            [c.lat, c.lon, c.count, round(c.z, 3), c.p_value, c.q_value, c.level] for c in outcome.top(50)
        ]
        self._table(["lat", "lon", "count", "z", "p", "q", "level"], rows, options["csv"])
        self._geojson(outcome.to_geojson(), options["geojson"])

    def _near_repeat(self, actor: Actor, scope: analyses.Scope, params: dict[str, Any], options: Any) -> None:
        outcome = analyses.near_repeat(actor, scope, progress=Progress("near-repeat"), **params)
        result = outcome.result
        self.stdout.write(
            f"{outcome.events} events, {result.pairs_within:,} pairs within the bands, "
            f"{result.permutations} permutations, {outcome.seconds:.2f} s (bands {result.space.closed})"
        )
        self._table(*analyses.result_table("near_repeat", outcome.to_json()), options["csv"])
        if outcome.risk is not None:
            self.stdout.write(
                f"alert: raised risk within {outcome.risk.distance:g} m for {outcome.risk.days:g} days"
            )

    def _scan(self, actor: Actor, scope: analyses.Scope, params: dict[str, Any], options: Any) -> None:
        outcome = analyses.scan(actor, scope, progress=Progress("scan"), **params)
        self.stdout.write(
            f"{outcome.events} events, {outcome.replicates} replicates, {outcome.seconds:.2f} s"
        )
        self._table(*analyses.result_table("scan", outcome.to_json()), options["csv"])
        features = [
            {
                "type": "Feature",
                "geometry": f.area,
                "properties": {k: v for k, v in f.__dict__.items() if k != "area"},
            }
            for f in outcome.findings
        ]
        self._geojson({"type": "FeatureCollection", "features": features}, options["geojson"])
        if options["save"]:
            saved = services.save_clusters(outcome)
            self.stdout.write(f"{len(saved)} emerging clusters stored or updated.")
