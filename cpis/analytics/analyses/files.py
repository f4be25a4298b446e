"""Events from the analyst's own file, for an analysis that touches no database.

A CSV, XLSX or GeoJSON file is read with the incident import's readers
(`incidents.reading`) and value parsers (`incidents.values`), with the same
column mapping (`field=Column`; a field not mapped is read from a column of
its own name), plus `x` and `y` for projected coordinates. The coordinates
are in `crs` (EPSG:4326, longitude/latitude, unless said otherwise); distances
are measured in `projection`: the asked one, else the file's own system when
it is projected in metres, else the UTM zone of the points — and the outcome
says which. Nothing is stored, no unit or category needs to exist, and every
row that cannot be read is counted with its line and reason, never dropped
silently."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.errors import InvalidInput
from cpis.core.i18n import fold
from cpis.core.points import Points
from cpis.incidents.reading import GEOMETRY, MAX_UPLOAD_BYTES, format_of, match_columns, open_reader
from cpis.incidents.values import Memo, as_text, parse_coordinates, parse_date_value, parse_point, shown

# The fields an analysis reads from a file; the date and a location are needed.
FILE_FIELDS = ("occurred_on", "x", "y", "lon", "lat", "category")
DEFAULT_CRS = "EPSG:4326"
CHUNK_ROWS = 50_000
MAX_FILE_BYTES = MAX_UPLOAD_BYTES  # an upload to analyse: the incident import's limit
REJECTS_KEPT = 100_000  # lines and reasons kept to show or write; all are counted


@dataclass(frozen=True)
class Projection:
    """Where distances are measured: the CRS (an "EPSG:n" name), its name, and why it was chosen."""

    crs: str
    name: str
    reason: str  # "asked" | "input" | "utm"

    def describe(self) -> str:
        values = {"crs": self.crs, "name": self.name}
        if self.reason == "asked":
            return _("Distances in %(crs)s (%(name)s), as asked.") % values
        if self.reason == "input":
            return _("Distances in %(crs)s (%(name)s), the file's own coordinate system.") % values
        return _("Distances in %(crs)s (%(name)s), the UTM zone of the events.") % values


@dataclass(frozen=True)
class FileEvents:
    """The events read from a file: projected x, y (metres), longitude and
    latitude (WGS 84, for maps), day numbers (date ordinals), the category as
    written (empty when not mapped), each event's line in the file, and what was
    not used: `rejected` rows (all counted; the first REJECTS_KEPT kept as
    (line, reason)) and `left_out` rows outside the period or categories asked."""

    x: np.ndarray
    y: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    day: np.ndarray
    category: list[str]
    lines: np.ndarray
    rows: int
    rejected: int
    rejects: list[tuple[int, str]]
    left_out: int
    crs: str
    projection: Projection
    name: str = ""
    reasons: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.day)

    def points(self) -> Points:
        """The events as `core.points.Points` (the shape the grid analyses take):
        categories numbered in order of first appearance, no sector."""
        codes = {label: index for index, label in enumerate(dict.fromkeys(self.category))}
        category = np.array([codes[c] for c in self.category], dtype=np.int32)
        n = len(self)
        return Points(
            lon=self.lon,
            lat=self.lat,
            day=self.day.astype(np.int32),
            hour=np.full(n, -1, dtype=np.int8),
            category=category if len(category) == n else np.zeros(n, dtype=np.int32),
            sector=np.full(n, -1, dtype=np.int64),
        )

    def grid_projection(self) -> Any:
        """The events' projection as `stats.projection.LocalProjection` (WGS 84 ⇄
        metres), for the grid analyses that draw cells on maps: the file's
        projection when it has an EPSG code, else the UTM zone of the events."""
        from ..stats.projection import LocalProjection

        code = self.projection.crs.removeprefix("EPSG:")
        if code.isdigit():
            return LocalProjection.for_epsg(int(code))
        return LocalProjection.for_points(self.lon, self.lat)

    def summary(self) -> str:
        """One sentence: rows read, used, rejected and left out."""
        return _(
            "%(name)s: %(rows)s rows read, %(used)s used, %(rejected)s rejected, "
            "%(left_out)s outside the period or categories."
        ) % {
            "name": self.name,
            "rows": f"{self.rows:,}",
            "used": f"{len(self):,}",
            "rejected": f"{self.rejected:,}",
            "left_out": f"{self.left_out:,}",
        }


def parse_crs(value: str, *, projection: bool = False) -> Any:
    """A pyproj CRS from "EPSG:n" (or anything pyproj reads); InvalidInput otherwise."""
    import pyproj

    text = (value or "").strip()
    try:
        return pyproj.CRS.from_user_input(text)
    except (pyproj.exceptions.CRSError, TypeError, ValueError):
        message = (
            _("The projection “%(value)s” is not a coordinate system pyproj knows (write it as EPSG:NNNN).")
            if projection
            else _(
                "The file's coordinate system “%(value)s” is not one pyproj knows (write it as EPSG:NNNN)."
            )
        )
        raise InvalidInput(message % {"value": shown(text)}) from None


def _in_metres(crs: Any) -> bool:
    return bool(crs.is_projected) and all(axis.unit_name in ("metre", "meter") for axis in crs.axis_info[:2])


def _name(crs: Any) -> str:
    code = crs.to_epsg()
    return f"EPSG:{code}" if code else crs.to_string()


def resolve_file_mapping(header: list[str], mapping: dict[str, str], *, fmt: str) -> dict[str, int]:
    """Field → column index, as `import_incidents` resolves it: a field not
    mapped is read from a column of its own name (case aside)."""
    resolved, position = match_columns(header, mapping, FILE_FIELDS)
    if "occurred_on" not in resolved:
        raise InvalidInput(
            _("Say which column holds the date (occurred_on=COLUMN). The file's columns are: %(columns)s.")
            % {"columns": ", ".join(header)}
        )
    has_xy = "x" in resolved and "y" in resolved
    has_lonlat = "lon" in resolved and "lat" in resolved
    if ("x" in resolved) != ("y" in resolved) or ("lon" in resolved) != ("lat" in resolved):
        raise InvalidInput(_("Map both x and y, or both lon and lat."))
    if has_xy and has_lonlat:
        raise InvalidInput(_("Map either x and y or lon and lat, not both."))
    if not has_xy and not has_lonlat:
        if fmt == "geojson" and GEOMETRY in position:
            resolved[GEOMETRY] = position[GEOMETRY]
        else:
            raise InvalidInput(
                _(
                    "Say which columns hold the coordinates (x=COLUMN and y=COLUMN, or lon=COLUMN and "
                    "lat=COLUMN). The file's columns are: %(columns)s."
                )
                % {"columns": ", ".join(header)}
            )
    return resolved


def read_events(
    raw: IO[bytes],
    *,
    name: str,
    size: int,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    date_format: str = "",
    crs: str = DEFAULT_CRS,
    projection: str = "",
    since: date | None = None,
    until: date | None = None,
    categories: tuple[str, ...] = (),
) -> FileEvents:
    """The located, dated events of a file (`raw`, `size` bytes, called `name`).

    `mapping` is field → column (fields: FILE_FIELDS); `crs` the coordinates'
    system; `projection` the projected system (in metres) distances are measured
    in (see the module's docstring). Rows before `since`, after `until` or of
    another category than `categories` (as written, case aside) are left out
    and counted. InvalidInput for a file, mapping or CRS that cannot be used;
    rows that cannot be read are counted with their line and reason."""
    import pyproj

    source = parse_crs(crs or DEFAULT_CRS)
    target = parse_crs(projection, projection=True) if projection else None
    if target is not None and not _in_metres(target):
        raise InvalidInput(
            _("The projection %(crs)s is not a projected coordinate system in metres.")
            % {"crs": _name(target)}
        )
    if since and until and since > until:
        raise InvalidInput(_("The start date is after the end date."))
    chosen = format_of(name, fmt)
    reader = open_reader(raw, chosen, size=size)
    columns = resolve_file_mapping(reader.header, mapping or {}, fmt=chosen)
    # x and y in a geographic system are its longitude and latitude (always_xy).
    geographic = bool(source.is_geographic)
    today = timezone.localdate()
    dates = Memo(lambda v: parse_date_value(v, today=today, date_format=date_format or ""))
    wanted = {fold(c) for c in categories if c}

    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    days: list[np.ndarray] = []
    lines_kept: list[np.ndarray] = []
    labels: list[str] = []
    rejects: list[tuple[int, str]] = []
    reasons: Counter[str] = Counter()
    rows = rejected = left_out = 0

    for chunk in reader.chunks(CHUNK_ROWS):
        n = len(chunk)
        rows += n
        why: dict[int, str] = {i: reason for i, (reason, _row) in chunk.broken.items()}

        def refuse(bad: np.ndarray, reason: Any, why: dict[int, str] = why) -> None:
            for i in np.flatnonzero(bad).tolist():
                if i not in why:
                    why[i] = reason(i)

        day = dates(chunk.columns[columns["occurred_on"]])
        bad_day = day < 0
        refuse(bad_day, lambda i, day=day: dates.reason(int(day[i])))
        if GEOMETRY in columns:
            a, b = np.full(n, np.nan), np.full(n, np.nan)
            not_point = np.zeros(n, dtype=bool)
            for i, geometry in enumerate(chunk.columns[columns[GEOMETRY]]):
                point = parse_point(geometry)
                if point is None:
                    not_point[i] = True
                else:
                    a[i], b[i] = point
            refuse(not_point, lambda i: _("The geometry is not a point with two coordinates."))
        else:
            first, second = ("x", "y") if "x" in columns else ("lon", "lat")
            a_values, b_values = chunk.columns[columns[first]], chunk.columns[columns[second]]
            a, _text, a_bad = parse_coordinates(a_values, text=chunk.text)
            b, _text, b_bad = parse_coordinates(b_values, text=chunk.text)
            refuse(
                a_bad,
                lambda i, f=first, v=a_values: _("“%(value)s” is not a number (%(field)s).")
                % {"value": shown(v[i]), "field": f},
            )
            refuse(
                b_bad,
                lambda i, f=second, v=b_values: _("“%(value)s” is not a number (%(field)s).")
                % {"value": shown(v[i]), "field": f},
            )
        refuse(np.isnan(a) | np.isnan(b), lambda i: _("No coordinates."))
        if geographic:
            with np.errstate(invalid="ignore"):
                refuse(
                    (np.abs(b) > 90) | (np.abs(a) > 180),
                    lambda i, a=a, b=b: _("%(lon)s, %(lat)s is not a longitude and latitude.")
                    % {"lon": shown(a[i]), "lat": shown(b[i])},
                )
            refuse((a == 0) & (b == 0), lambda i: _("The coordinates are 0, 0: the place is unknown."))

        if categories or "category" in columns:
            label_values = (
                as_text(chunk.columns[columns["category"]], text=chunk.text)
                if "category" in columns
                else [""] * n
            )
        else:
            label_values = [""] * n

        valid = np.ones(n, dtype=bool)
        valid[list(why)] = False
        for i in sorted(why):
            reasons[why[i]] += 1
            if len(rejects) < REJECTS_KEPT:
                rejects.append((int(chunk.lines[i]), why[i]))
        rejected += len(why)

        keep = valid.copy()
        if since is not None:
            keep &= ~valid | (day >= since.toordinal())
        if until is not None:
            keep &= ~valid | (day <= until.toordinal())
        if wanted:
            keep &= np.fromiter((fold(v) in wanted for v in label_values), dtype=bool, count=n)
        left_out += int((valid & ~keep).sum())
        idx = np.flatnonzero(valid & keep)
        xs.append(a[idx])
        ys.append(b[idx])
        days.append(day[idx])
        lines_kept.append(chunk.lines[idx])
        labels.extend(label_values[i] for i in idx.tolist())

    a = np.concatenate(xs) if xs else np.zeros(0)
    b = np.concatenate(ys) if ys else np.zeros(0)
    wgs84 = pyproj.CRS.from_epsg(4326)
    if len(a) and source != wgs84:
        to_wgs84 = pyproj.Transformer.from_crs(source, wgs84, always_xy=True)
        lon_t, lat_t = to_wgs84.transform(a, b)
        lon, lat = np.asarray(lon_t, dtype=np.float64), np.asarray(lat_t, dtype=np.float64)
    else:
        lon, lat = a.copy(), b.copy()

    if target is not None:
        chosen_projection = Projection(_name(target), target.name, "asked")
    elif _in_metres(source):
        target = source
        chosen_projection = Projection(_name(source), source.name, "input")
    else:
        from ..stats.projection import utm_epsg

        finite = np.isfinite(lon) & np.isfinite(lat)
        if not finite.any():
            epsg = 32634  # no events: any zone will do (Kosovo's)
        else:
            epsg = utm_epsg(float(np.median(lon[finite])), float(np.median(lat[finite])))
        target = pyproj.CRS.from_epsg(epsg)
        chosen_projection = Projection(f"EPSG:{epsg}", target.name, "utm")

    if target == source:
        x, y = a, b
    elif len(a):
        forward = pyproj.Transformer.from_crs(source, target, always_xy=True)
        x_t, y_t = forward.transform(a, b)
        x, y = np.asarray(x_t, dtype=np.float64), np.asarray(y_t, dtype=np.float64)
    else:
        x, y = a.copy(), b.copy()
    if len(x) and not (np.isfinite(x).all() and np.isfinite(y).all()):
        raise InvalidInput(
            _(
                "Some coordinates cannot be projected from %(source)s to %(target)s: "
                "is the file's coordinate system right?"
            )
            % {"source": _name(source), "target": chosen_projection.crs}
        )
    return FileEvents(
        x=np.asarray(x, dtype=np.float64),
        y=np.asarray(y, dtype=np.float64),
        lon=np.asarray(lon, dtype=np.float64),
        lat=np.asarray(lat, dtype=np.float64),
        day=np.concatenate(days).astype(np.int64) if days else np.zeros(0, dtype=np.int64),
        category=labels,
        lines=np.concatenate(lines_kept) if lines_kept else np.zeros(0, dtype=np.int64),
        rows=rows,
        rejected=rejected,
        rejects=rejects,
        left_out=left_out,
        crs=_name(source),
        projection=chosen_projection,
        name=Path(name).name,
        reasons=dict(reasons),
    )


def read_events_from_path(path: str | Path, **options: Any) -> FileEvents:
    """`read_events` of a file on disk; InvalidInput when it cannot be opened."""
    file = Path(path)
    try:
        handle = file.open("rb")
    except OSError as exc:
        raise InvalidInput(
            _("Cannot open %(name)s: %(error)s") % {"name": str(file), "error": exc.strerror or exc}
        ) from None
    with handle:
        return read_events(handle, name=file.name, size=file.stat().st_size, **options)
