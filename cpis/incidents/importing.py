"""The import pipeline behind services.import_incidents and run_import:
read the file in batches (reading.py), check each row (parsing.py), place
it in its sector (organisation.geo, through `locate_sectors`), and write
the batch (writing.py), each batch in its own transaction with the run's
counts. Every rejected row goes to the rejects file with its reason."""

import logging
import secrets
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import IO, Any

import numpy as np
from django.core.files import File
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cpis.core.collector import cycle_collection_paused
from cpis.core.errors import InvalidInput
from cpis.organisation.models import Unit, UnitKind
from cpis.organisation.selectors import locate_sectors

from .models import ImportRun, Incident, IncidentCategory, RunStatus
from .parsing import NO_UNIT, Batch, Context, Validator
from .reading import Reader, RejectsWriter
from .taxonomy import labels
from .writing import CopyWriter, OrmWriter, Written

logger = logging.getLogger(__name__)

ORM_BATCH = 5_000
COPY_BATCH = 100_000
# Progress is reported at most this often (the command's bar).
PROGRESS_SECONDS = 0.2
PROGRESS_STEP = 0.02


def _context(*, date_format: str, id_prefix: str) -> Context:
    categories: dict[str, int] = {}
    for category in IncidentCategory.objects.order_by("sort_order", "code"):
        for label in labels(
            category.code, (category.name_sq, category.name_sr, category.name_en), category.aliases
        ):
            categories.setdefault(label, category.pk)
    units: dict[str, int] = {}
    codes: dict[str, list[int]] = {}
    for pk, path, code, kind in Unit.objects.values_list("pk", "path", "code", "kind"):
        units[path] = units[path.rstrip("/")] = pk
        if kind in {UnitKind.STATION, UnitKind.SUBSTATION, UnitKind.SECTOR}:
            codes.setdefault(code, []).append(pk)
    for code, pks in codes.items():
        if len(pks) == 1:  # a code two units share names neither
            units.setdefault(code, pks[0])
    return Context(
        categories=categories,
        units=units,
        today=timezone.localdate(),
        date_format=date_format,
        id_prefix=id_prefix,
    )


class Progress:
    """Calls `report(fraction, rows)` a few dozen times at most: when at
    least PROGRESS_STEP more of the file is done and PROGRESS_SECONDS have
    passed, and once at the end."""

    def __init__(self, report: Callable[[float, int], None] | None) -> None:
        self.report = report
        self.last = 0.0
        self.done = -1.0

    def __call__(self, fraction: float, rows: int, *, final: bool = False) -> None:
        if self.report is None:
            return
        now = time.monotonic()
        if final or (fraction - self.done >= PROGRESS_STEP and now - self.last >= PROGRESS_SECONDS):
            self.last, self.done = now, fraction
            self.report(fraction, rows)


def _root_unit_id() -> int | None:
    return Unit.objects.filter(parent__isnull=True).order_by("path").values_list("pk", flat=True).first()


def _place(batch: Batch, root: int | None) -> np.ndarray:
    """Set each row's sector from its coordinates (one vectorised look-up)
    and return the unit whose path it takes: the sector, else the unit the
    file gave, else the root (-1 when there is none)."""
    sector = np.full(len(batch), -1, dtype=np.int64)
    located = ~np.isnan(batch.lat)
    if located.any():
        sector[located] = locate_sectors(lats=batch.lat[located], lons=batch.lon[located])
    batch.sector = sector
    units = np.where(sector >= 0, sector, batch.unit)
    return np.where(units == NO_UNIT, -1 if root is None else root, units)


class _Sink:
    """Writes prepared batches in order, each in its own transaction together
    with the run's counts, and keeps the counts of what was committed."""

    def __init__(self, run: ImportRun, *, use_copy: bool, paths: dict[int, str]) -> None:
        self.run = run
        self.use_copy = use_copy
        self.paths = paths
        self.writer: CopyWriter | OrmWriter | None = None
        self.lock = f"incidents-import:{run.source}"
        self.locked = False

    def open(self) -> None:
        """Lock the source (PostgreSQL; SQLite writes one at a time anyway) and
        make the writer, in the thread that will write."""
        run = self.run
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s))", [self.lock])
                if not cursor.fetchone()[0]:
                    raise InvalidInput(
                        _("Another import of “%(source)s” is running: try again when it has finished.")
                        % {"source": run.source}
                    )
            self.locked = True
        self.writer = (
            CopyWriter(source=run.source, run_id=run.pk, paths=self.paths)
            if self.use_copy
            else OrmWriter(source=run.source, run_id=run.pk, paths=self.paths)
        )

    def prepare(self, batch: Batch, units: np.ndarray) -> Any:
        if self.writer is None:
            raise RuntimeError("open() first")
        return self.writer.prepare(batch, units, now=timezone.now())

    def write(self, prepared: Any, *, rows: int, refused: int, unplaced: int, fraction: float) -> Written:
        if self.writer is None:
            raise RuntimeError("open() first")
        with transaction.atomic():
            written = self.writer.write(prepared, now=timezone.now())
            counts = {
                "rows": self.run.rows + rows,
                "rejected": self.run.rejected + refused,
                "created": self.run.created + written.created,
                "updated": self.run.updated + written.updated,
                "unchanged": self.run.unchanged + written.unchanged,
                "unplaced": self.run.unplaced + unplaced,
                "progress": fraction,
            }
            ImportRun.objects.filter(pk=self.run.pk).update(**counts)
        for name, value in counts.items():  # committed: now they are the run's
            setattr(self.run, name, value)
        return written

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        if self.locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtext(%s))", [self.lock])
            self.locked = False
        if self.use_copy and self.run.created > COPY_BATCH:
            with connection.cursor() as cursor:  # fresh planner statistics after a big load
                cursor.execute(f"ANALYZE {Incident._meta.db_table}")


class _Inline:
    """An executor that runs each call at once, in this thread."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> "Future[Any]":
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as exc:  # handed to whoever asks for the result
            future.set_exception(exc)
        return future

    def shutdown(self) -> None:
        pass


def psycopg_error() -> type[Exception]:
    """psycopg's base error (COPY goes around Django's error wrapping), or a
    class nothing raises when psycopg is not installed."""
    try:
        from psycopg import Error
    except ImportError:  # pragma: no cover - SQLite-only installs
        return DatabaseError
    return Error


def _failure(line: int, exc: Exception) -> str:
    first = str(exc).strip().splitlines()
    return _("The rows from line %(line)s on were not saved: %(error)s") % {
        "line": line,
        "error": first[0] if first else type(exc).__name__,
    }


class _InFlight:
    """The batch being written while the next one is read and checked: at
    most one. `settle` waits for it, writes its rejects and reports progress;
    False when it failed (the run is then failed, with the line it began at)."""

    def __init__(self, run: ImportRun, rejects: RejectsWriter, report: Progress) -> None:
        self.run = run
        self.rejects = rejects
        self.report = report
        self.pending: tuple[Future[Written], list[Any], int] | None = None

    def start(self, future: "Future[Written]", refused: list[Any], line: int) -> None:
        self.pending = (future, refused, line)

    def settle(self) -> bool:
        if self.pending is None:
            return True
        future, refused, line = self.pending
        self.pending = None
        run = self.run
        try:
            future.result()
        except (DatabaseError, psycopg_error()) as exc:
            logger.warning("Incident import %s failed at line %s: %s", run.pk, line, exc)
            run.error, run.status = _failure(line, exc), RunStatus.FAILED
            return False
        self.rejects.write(refused)
        self.report(run.progress, run.rows)
        return True


def _copy_chosen(use_copy: bool | None) -> bool:
    """COPY on PostgreSQL unless told otherwise; asked for elsewhere, InvalidInput."""
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if use_copy and connection.vendor != "postgresql":
        raise InvalidInput(_("The COPY path needs PostgreSQL."))
    return use_copy


def execute(
    run: ImportRun,
    reader: Reader,
    mapping: dict[str, int],
    *,
    id_prefix: str,
    batch_size: int | None,
    use_copy: bool | None,
    progress: Callable[[float, int], None] | None,
) -> ImportRun:
    """Read, check, place and write the file in batches (see the module's
    docstring); the run ends done, or failed with its error.

    On PostgreSQL outside a transaction, batches are written from a second
    thread with its own connection, so that reading and checking the next
    batch (Python) overlaps writing this one (the database server): at most
    one batch waits, and batches commit in order."""
    use_copy = _copy_chosen(use_copy)
    size = batch_size or (COPY_BATCH if use_copy else ORM_BATCH)
    validator = Validator(mapping, _context(date_format=run.date_format, id_prefix=id_prefix))
    root = _root_unit_id()
    run.status, run.used_copy = RunStatus.RUNNING, use_copy
    run.save(update_fields=["status", "used_copy"])
    sink = _Sink(run, use_copy=use_copy, paths=dict(Unit.objects.values_list("pk", "path")))
    threaded = use_copy and not connection.in_atomic_block
    executor: ThreadPoolExecutor | _Inline = ThreadPoolExecutor(max_workers=1) if threaded else _Inline()
    report = Progress(progress)
    with (
        tempfile.TemporaryFile("w+", encoding="utf-8-sig", newline="") as rejects_out,
        cycle_collection_paused(),
    ):
        rejects = RejectsWriter(rejects_out, reader.header, keep=[i for i in mapping.values() if i >= 0])
        in_flight = _InFlight(run, rejects, report)
        try:
            executor.submit(sink.open).result()
            for chunk in reader.chunks(size):
                batch, refused = validator.validate(chunk)
                units = _place(batch, root)
                prepared = sink.prepare(batch, units)
                if not in_flight.settle():
                    break
                future = executor.submit(
                    sink.write,
                    prepared,
                    rows=len(chunk),
                    refused=len(refused),
                    unplaced=int((batch.sector < 0).sum()),
                    fraction=chunk.fraction,
                )
                in_flight.start(future, refused, int(chunk.lines[0]))
            else:
                if in_flight.settle():
                    run.status, run.progress = RunStatus.DONE, 1.0
        except InvalidInput as exc:  # the file turned out unreadable part-way
            if in_flight.settle():
                run.error, run.status = str(exc), RunStatus.FAILED
        except BaseException:
            in_flight.settle()
            run.error, run.status = _("The import stopped unexpectedly."), RunStatus.FAILED
            raise
        finally:
            try:
                executor.submit(sink.close).result()
                if threaded:
                    executor.submit(connections.close_all).result()  # the writer thread's connection
            finally:
                executor.shutdown()
                _finish(run, rejects_out)
    report(run.progress, run.rows, final=True)
    return run


def _finish(run: ImportRun, rejects_out: IO[str]) -> None:
    """Keep the rejects file (under a name no one can guess) and save the run."""
    rejects_out.flush()
    if run.rejected:
        rejects_out.seek(0)
        run.rejects_file.save(f"{secrets.token_urlsafe(18)}.csv", File(rejects_out), save=False)
    run.finished_at = timezone.now()
    run.save()
