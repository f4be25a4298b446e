"""`cpis analyse trends|hotspots|near_repeat|scan …`: the analyses from the
command line. Prints a table; --csv and --geojson write files. Long runs
show their progress on stderr, one line per run.

With `--input FILE` the events come from the analyst's own CSV, XLSX or
GeoJSON file (the column mapping as `import_incidents` takes it, plus `x` and
`y` for projected coordinates, `--crs` and `--projection`) and the database is
not read at all:

    cpis analyse near_repeat --input chicago.csv --map x=x --map y=y \
        --map occurred_on=date_single --date-format %d/%m/%Y --crs EPSG:26971 \
        --mode nrc --space-bandwidth 100 --space-bands 3 --time-bandwidth 2 --time-bands 2 \
        --metric euclidean --significance 0.05
"""

import argparse
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
from ...analyses.files import FILE_FIELDS, FileEvents
from ...models import Subject


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from None


NEAR_REPEAT_ONLY = (
    "space_bandwidth",
    "space_bands",
    "time_bandwidth",
    "time_bands",
    "metric",
    "mode",
    "space_edges",
    "time_edges",
    "same_location",
    "same_location_tolerance",
    "closed",
    "more_than",
    "significance",
)


FILE_ONLY = ("format", "map", "mapping", "date_format", "crs", "projection", "rejects")
FILE_DEFAULTS = {"crs": "EPSG:4326"}


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
        parser.add_argument(
            "--mode",
            choices=["exact", "nrc"],
            help="near_repeat: exact bands, or the NRC's ([a, b) bands labelled as the NRC prints them).",
        )
        bands = parser.add_argument_group("near_repeat bands")
        bands.add_argument(
            "--space-edges", metavar="E1,E2,…", help="Upper edges of the distance bands in metres (not NRC)."
        )
        bands.add_argument(
            "--time-edges", metavar="E1,E2,…", help="Upper edges of the time bands in days (not NRC)."
        )
        bands.add_argument(
            "--same-location",
            type=float,
            metavar="METRES",
            dest="same_location_tolerance",
            help="Same-location band [0, METRES] first (default 0: the same point).",
        )
        bands.add_argument(
            "--no-same-location",
            action="store_false",
            dest="same_location",
            default=None,
            help="No same-location band.",
        )
        bands.add_argument(
            "--closed", choices=["right", "left"], help="right: (a, b] bands (default); left: [a, b)."
        )
        bands.add_argument(
            "--beyond",
            action=argparse.BooleanOptionalAction,
            dest="more_than",
            default=None,
            help="The open-ended 'more than' bands (on by default).",
        )
        bands.add_argument(
            "--significance",
            choices=["0.05", "0.01", "0.001"],
            help="The NRC's significance level: 19, 99 or 999 permutations.",
        )
        source = parser.add_argument_group("from a file (no database)")
        source.add_argument("--input", type=Path, help="Read the events from this CSV, XLSX or GeoJSON file.")
        source.add_argument(
            "--format", choices=["csv", "xlsx", "geojson"], help="Read from the file name if left out."
        )
        source.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=COLUMN",
            help=f"Read FIELD from COLUMN (repeatable). Fields: {', '.join(FILE_FIELDS)}.",
        )
        source.add_argument("--mapping", type=Path, help="A JSON file of field → column names.")
        source.add_argument(
            "--date-format", default="", help="strptime format of the dates, e.g. %%d/%%m/%%Y."
        )
        source.add_argument(
            "--crs", default="EPSG:4326", help="The coordinates' system (default EPSG:4326, lon/lat)."
        )
        source.add_argument(
            "--projection",
            default="",
            help="Projected system (metres) to measure distances in; default: the file's own if projected, "
            "else the UTM zone of the events.",
        )
        source.add_argument("--rejects", type=Path, help="Write the rows not read (line, reason) as CSV.")
        parser.add_argument("--days", type=int, help="scan: days of history.")
        parser.add_argument("--window", type=int, help="scan: longest cluster in days.")
        parser.add_argument("--radius", type=float, help="scan: largest radius in metres.")
        parser.add_argument("--replicates", type=int, help="scan: Monte Carlo replicates.")
        parser.add_argument("--save", action="store_true", help="scan: store signals as emerging clusters.")

    def handle(self, *args: Any, **options: Any) -> None:
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
                "space_edges",
                "time_edges",
                "same_location",
                "same_location_tolerance",
                "closed",
                "more_than",
                "significance",
            ],
            "scan": ["days", "window", "radius", "cell", "replicates", "seed"],
        }.get(options["analysis"], [])
        params = {name: options[name] for name in names if options.get(name) is not None}
        if options["analysis"] != "near_repeat":
            for name in NEAR_REPEAT_ONLY:
                if options.get(name) is not None:
                    raise CommandError(f"--{name.replace('_', '-')} is a near_repeat option.")
        if options["input"] is None:
            given = [
                name for name in FILE_ONLY if options.get(name) not in (None, "", [], FILE_DEFAULTS.get(name))
            ]
            if given:
                raise CommandError(
                    f"--{given[0].replace('_', '-')} is for a file: give it with --input FILE."
                )
        try:
            if options["input"] is not None:
                self._from_file(params, options)
                return
            unit = self._place(options["place"])
            scope = analyses.Scope(
                unit=unit,
                subject=options["subject"],
                categories=tuple(options["category"]),
                start=options["since"],
                end=options["until"],
            )
            getattr(self, f"_{options['analysis']}")(Actor.system(), scope, params, options)
        except DomainError as exc:
            raise CommandError(str(exc)) from None

    # --- from a file --------------------------------------------------------------------

    def _from_file(self, params: dict[str, Any], options: Any) -> None:
        mapping = self._mapping(options)
        events = analyses.read_events_from_path(
            options["input"],
            fmt=options["format"],
            mapping=mapping,
            date_format=options["date_format"],
            crs=options["crs"],
            projection=options["projection"],
            since=options["since"],
            until=options["until"],
            categories=tuple(options["category"]),
        )
        self.stdout.write(events.summary())
        for reason, count in sorted(events.reasons.items(), key=lambda item: -item[1])[:10]:
            self.stdout.write(f"  rejected {count:,}×: {reason}")
        if events.rejects:
            first = ", ".join(str(line) for line, _reason in events.rejects[:10])
            self.stdout.write(f"  first rejected lines: {first}")
        if options["rejects"] is not None:
            with options["rejects"].open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(["line", "reason"])
                writer.writerows(events.rejects)
            self.stderr.write(f"Wrote {options['rejects']}")
        self.stdout.write(f"Coordinates in {events.crs}. {events.projection.describe()}")
        if options["analysis"] == "near_repeat":
            outcome = analyses.near_repeat_of_file(events, progress=Progress("near-repeat"), **params)
            self._near_repeat_outcome(outcome, options)
        else:
            getattr(self, f"_{options['analysis']}_of_file")(events, params, options)

    @staticmethod
    def _mapping(options: Any) -> dict[str, str]:
        mapping: dict[str, str] = {}
        if options["mapping"] is not None:
            try:
                data = json.loads(options["mapping"].read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise CommandError(f"Cannot read the mapping file {options['mapping']}: {exc}") from None
            if not isinstance(data, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in data.items()
            ):
                raise CommandError("The mapping file must hold one JSON object of field → column names.")
            mapping.update(data)
        for pair in options["map"]:
            field, sep, column = pair.partition("=")
            if not sep or not field.strip() or not column.strip():
                raise CommandError(
                    f"--map takes FIELD=COLUMN, not “{pair}”. Fields: {', '.join(FILE_FIELDS)}."
                )
            mapping[field.strip()] = column.strip()
        return mapping

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
        self._trend_rows(report, options)

    def _trend_rows(self, report: Any, options: Any) -> None:
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
        self._hotspots_outcome(outcome, options)

    def _hotspots_outcome(self, outcome: analyses.HotspotOutcome, options: Any) -> None:
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
        self._near_repeat_outcome(outcome, options)

    def _near_repeat_outcome(self, outcome: analyses.NearRepeatOutcome, options: Any) -> None:
        result = outcome.result
        data = outcome.to_json()
        resolution = (
            f", so no p-value is below {1 / (result.permutations + 1):.3g}" if result.permutations else ""
        )
        self.stdout.write(
            f"{outcome.events:,} events, {result.pairs:,} pairs ({result.pairs_within:,} within the finite "
            f"distance bands), {result.metric} distance, {result.permutations} permutations{resolution}, "
            f"{outcome.seconds:.2f} s (bands {result.space.closed})"
        )
        if result.mode == "nrc":
            self.stdout.write(
                "NRC mode: labels as the Near Repeat Calculator prints them; each band's interval beside it."
            )
        self._table(*analyses.result_table("near_repeat", data), options["csv"])
        sentence = analyses.risk_sentence(data["risk"], data["space"])
        self.stdout.write(f"alert: {sentence}" if sentence else "alert: no raised risk.")

    def _hotspots_of_file(self, events: FileEvents, params: dict[str, Any], options: Any) -> None:
        outcome = analyses.hotspots_of_file(events, **params)
        self._hotspots_outcome(outcome, options)

    def _trends_of_file(self, events: FileEvents, params: dict[str, Any], options: Any) -> None:
        report = analyses.trends_of_file(events, on=options["until"])
        self.stdout.write(f"{events.name} — {report.today.isoformat()}")
        self._trend_rows(report, options)

    def _scan_of_file(self, events: FileEvents, params: dict[str, Any], options: Any) -> None:
        if options["save"]:
            raise CommandError("--save stores emerging clusters of places: not for a file's events.")
        outcome = analyses.scan_of_file(events, progress=Progress("scan"), **params)
        self._scan_outcome(outcome, options)

    def _scan(self, actor: Actor, scope: analyses.Scope, params: dict[str, Any], options: Any) -> None:
        outcome = analyses.scan(actor, scope, progress=Progress("scan"), **params)
        self._scan_outcome(outcome, options)
        if options["save"]:
            saved = services.save_clusters(outcome)
            self.stdout.write(f"{len(saved)} emerging clusters stored or updated.")

    def _scan_outcome(self, outcome: analyses.ScanOutcome, options: Any) -> None:
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
