"""Writing a checked batch of incidents: insert the new ones, update the
changed ones, leave the unchanged ones alone, and say how many of each.

Two ways, with the same result: through the ORM on any database (one look-up
of the batch's ids, then bulk inserts and a bulk upsert), and on PostgreSQL
through COPY (see CopyWriter). A writer's `prepare` does the CPU work and may
run while the previous batch is written; `write` runs in the batch's
transaction."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import repeat
from typing import Any

import numpy as np
from django.db import connection

from .models import Incident
from .parsing import UNKNOWN_TIME, Batch

# SQLite allows 32,766 parameters per statement; stay well below.
LOOKUP_CHUNK = 900
# The incident's fields an import sets (besides source and source_id), and their columns: a
# row is unchanged when these are.
DATA_FIELDS = ["category", "occurred_on", "occurred_time", "lat", "lon", "place", "sector", "unit_path"]
_COLUMNS = {field.name: field.attname for field in Incident._meta.concrete_fields}
COMPARED = [_COLUMNS[name] for name in DATA_FIELDS]


@dataclass(frozen=True)
class Written:
    created: int
    updated: int
    unchanged: int


def _day(ordinal: int) -> date:
    return date.fromordinal(ordinal)


def _time(minute: int) -> time | None:
    return None if minute == UNKNOWN_TIME else time(minute // 60, minute % 60)


def _float(value: float) -> float | None:
    return None if value != value else value  # NaN → None


class OrmWriter:
    """Any database (SQLite's way; PostgreSQL has CopyWriter): look up the
    batch's ids, compare; insert the new rows with one executemany of plain
    values (no model instances: a quarter of the cost on SQLite), upsert the
    changed ones through the ORM."""

    def __init__(self, *, source: str, run_id: int | None, paths: dict[int, str]) -> None:
        self.source = source
        self.run_id = run_id
        self.paths = paths
        fields = ["source", "source_id", *COMPARED, "import_run_id", "created_at", "updated_at"]
        self.insert = (
            f"INSERT INTO {Incident._meta.db_table} ({', '.join(fields)}) "  # noqa: S608 - names, not input
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )

    def prepare(self, batch: Batch, units: np.ndarray, *, now: datetime) -> tuple[Batch, np.ndarray]:
        return batch, units

    def write(self, prepared: tuple[Batch, np.ndarray], *, now: datetime) -> Written:
        batch, units = prepared
        existing: dict[str, tuple[Any, ...]] = {}
        ids = batch.source_id
        for start in range(0, len(ids), LOOKUP_CHUNK):
            rows = Incident.objects.filter(
                source=self.source, source_id__in=ids[start : start + LOOKUP_CHUNK]
            ).values_list("source_id", *COMPARED)
            existing.update((row[0], row[1:]) for row in rows)
        new: list[tuple[Any, ...]] = []
        changed: list[Incident] = []
        unchanged = 0
        paths = self.paths
        for sid, category, day, minute, lat, lon, place, sector, unit in zip(
            ids,
            batch.category.tolist(),
            batch.day.tolist(),
            batch.minute.tolist(),
            batch.lat.tolist(),
            batch.lon.tolist(),
            batch.place,
            batch.sector.tolist(),
            units.tolist(),
            strict=True,
        ):
            values = (
                category,
                _day(day),
                _time(minute),
                _float(lat),
                _float(lon),
                place,
                sector if sector >= 0 else None,
                paths.get(unit, ""),
            )
            old = existing.get(sid)
            if old == values:
                unchanged += 1
                continue
            if old is None:
                new.append((sid, *values))
                continue
            incident = Incident(
                source=self.source,
                source_id=sid,
                import_run_id=self.run_id,
                created_at=now,
                updated_at=now,
                **dict(zip(COMPARED, values, strict=True)),
            )
            changed.append(incident)
        if new:
            self._insert(new, now)
        if changed:
            Incident.objects.bulk_create(
                changed,
                batch_size=1000,
                update_conflicts=True,
                unique_fields=["source", "source_id"],
                update_fields=[*DATA_FIELDS, "import_run", "updated_at"],
            )
        return Written(created=len(new), updated=len(changed), unchanged=unchanged)

    def _insert(self, rows: list[tuple[Any, ...]], now: datetime) -> None:
        ops = connection.ops
        stamp = ops.adapt_datetimefield_value(now)
        days = {row[2] for row in rows}
        day_value = {day: ops.adapt_datefield_value(day) for day in days}
        times = {row[3] for row in rows}
        time_value = {t: ops.adapt_timefield_value(t) for t in times}
        values = [
            (self.source, sid, category, day_value[day], time_value[moment], lat, lon, place, sector, path,
             self.run_id, stamp, stamp)
            for sid, category, day, moment, lat, lon, place, sector, path in rows
        ]  # fmt: skip
        with connection.cursor() as cursor:
            cursor.executemany(self.insert, values)

    def close(self) -> None:
        pass


STAGING = "incident_import_staging"
NULL = "\\N"
# The columns an import writes, in the order of COPY's lines.
COPY_COLUMNS = ["source_id", *COMPARED, "source", "import_run_id"]


def _copy_text(values: Sequence[str]) -> Sequence[str]:
    """Text values escaped for COPY's text format (only when one needs it)."""
    joined = "".join(values)
    if "\\" in joined or "\t" in joined or "\n" in joined or "\r" in joined:
        return [
            v.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
            for v in values
        ]
    return values


def _distinct_text(values: np.ndarray, show: Callable[[int], str]) -> list[str]:
    """`show(v)` for each value, computed once per distinct value."""
    if not len(values):
        return []
    distinct, inverse = np.unique(values, return_inverse=True)
    texts = np.array([show(v) for v in distinct.tolist()], dtype=object)
    return texts[inverse].tolist()


def _float_text(values: np.ndarray, text: list[str] | None) -> list[str]:
    if text is not None:
        return text
    return [NULL if v != v else repr(v) for v in values.tolist()]


def _clock(minute: int) -> str:
    return NULL if minute == UNKNOWN_TIME else f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class CopyBatch:
    """A batch as COPY text: one line per row, in COPY_COLUMNS order."""

    size: int
    data: bytes


class CopyWriter:
    """PostgreSQL, with the source locked for the whole run (see services:
    two imports of one source never interleave).

    When the source had no rows as the run began, a batch is COPYed straight
    into the table (PostgreSQL's bulk-insert path): the run's own ids are
    all different, so none can exist. Otherwise the batch is COPYed into a
    temporary staging table and moved with one INSERT … SELECT … ON CONFLICT
    DO UPDATE … WHERE (the row differs): one index probe per row, unchanged
    rows not written at all, and RETURNING (xmax = 0) tells new rows from
    updated ones."""

    def __init__(self, *, source: str, run_id: int | None, paths: dict[int, str]) -> None:
        self.source = source
        self.run_id = run_id
        self.paths = paths
        self.table = Incident._meta.db_table
        columns = ", ".join(COPY_COLUMNS)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {self.table} WHERE source = %s)", [source])  # noqa: S608
            self.fresh = not cursor.fetchone()[0]
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
            cursor.execute(f"CREATE TEMP TABLE {STAGING} AS SELECT {columns} FROM {self.table} WITH NO DATA")  # noqa: S608
        old = ", ".join(f"i.{c}" for c in COMPARED)
        new = ", ".join(f"EXCLUDED.{c}" for c in COMPARED)
        assignments = ", ".join(f"{c} = EXCLUDED.{c}" for c in [*COMPARED, "import_run_id"])
        self.upsert = (
            f"WITH written AS (INSERT INTO {self.table} AS i ({columns}) SELECT {columns} FROM {STAGING} "  # noqa: S608
            f"ON CONFLICT (source, source_id) DO UPDATE SET {assignments}, updated_at = now() "
            f"WHERE ({old}) IS DISTINCT FROM ({new}) RETURNING (i.xmax = 0) AS inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written"
        )

    def prepare(self, batch: Batch, units: np.ndarray, *, now: datetime) -> CopyBatch:
        """The batch as COPY text (done while the previous batch is written)."""
        if not len(batch):
            return CopyBatch(0, b"")
        paths = self.paths
        constant = "\t".join([self.source, NULL if self.run_id is None else str(self.run_id)])
        lines = map(
            "\t".join,
            zip(
                _copy_text(batch.source_id),
                _distinct_text(batch.category, str),
                _distinct_text(batch.day, lambda d: date.fromordinal(d).isoformat()),
                _distinct_text(batch.minute, _clock),
                _float_text(batch.lat, batch.lat_text),
                _float_text(batch.lon, batch.lon_text),
                _copy_text(batch.place),
                _distinct_text(batch.sector, lambda v: NULL if v < 0 else str(v)),
                _distinct_text(units, lambda v: _copy_text([paths.get(v, "")])[0]),
                repeat(constant, len(batch)),
                strict=True,
            ),
        )
        return CopyBatch(len(batch), ("\n".join(lines) + "\n").encode())

    def _copy(self, cursor: Any, table: str, data: bytes) -> None:
        with cursor.copy(f"COPY {table} ({', '.join(COPY_COLUMNS)}) FROM STDIN") as copy:
            view = memoryview(data)
            step = 1 << 20
            for start in range(0, len(view), step):
                copy.write(view[start : start + step])

    def write(self, prepared: CopyBatch, *, now: datetime) -> Written:
        if not prepared.size:
            return Written(0, 0, 0)
        with connection.cursor() as cursor:
            if self.fresh:
                self._copy(cursor, self.table, prepared.data)
                return Written(created=prepared.size, updated=0, unchanged=0)
            cursor.execute(f"TRUNCATE {STAGING}")
            self._copy(cursor, STAGING, prepared.data)
            cursor.execute(self.upsert)
            created, updated = cursor.fetchone()
        return Written(created=created, updated=updated, unchanged=prepared.size - created - updated)

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
