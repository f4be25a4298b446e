"""Writes for incidents: import a file of incidents, now (the command) or in
the background (the staff page). Imports are national: only the directorate
and system administrators run them.

An import reads the file in batches. Each batch is one transaction: its
valid rows are upserted by (source, source id) and the run's counts saved
with them, so a failure leaves earlier batches in place, the counts true, and
running the same file again is safe: rows already there are counted
unchanged. Every rejected row goes to the rejects file with its reason."""

import gc
import logging
import os
import secrets
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, connection, connections, transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.organisation.access import Actor
from cpis.organisation.models import Unit, UnitKind

from . import placing, selectors
from .models import SOURCE_LENGTH, Format, ImportRun, Incident, IncidentCategory, RunStatus
from .parsing import FIELDS, NO_UNIT, Batch, Context, Validator
from .reading import GEOMETRY, Reader, RejectsWriter, format_of, open_reader
from .taxonomy import labels
from .writing import CopyWriter, OrmWriter, Written

logger = logging.getLogger(__name__)

ORM_BATCH = 5_000
COPY_BATCH = 100_000
MAX_BATCH = 1_000_000
# Progress is reported at most this often (the command's bar).
PROGRESS_SECONDS = 0.2
PROGRESS_STEP = 0.02
# Files larger than this are not accepted through the web page (use the command).
MAX_UPLOAD_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class Preset:
    """How a known file is read: its source and its columns."""

    source: str
    mapping: dict[str, str]
    # The file has no ids: make them from each row's content (see parsing.Validator).
    generate_ids: bool = False
    label: str = ""


PRESETS = {
    # Toronto Police Service, Major Crime Indicators (open data): no ids; the
    # date's time part is an artefact of time zones and is ignored, the hour
    # is its own column.
    "toronto-mci": Preset(
        source="toronto-mci",
        mapping={
            "occurred_on": "occurrencedate",
            "occurred_time": "occurrencehour",
            "category": "MCI",
            "lat": "Lat",
            "lon": "Long",
            "place": "Neighbourhood",
        },
        generate_ids=True,
        label="Toronto Police MCI",
    ),
}


class NotQueued(DomainError):
    status_code = 409
    message = gettext_lazy("This import has already run.")


# --- options ------------------------------------------------------------------------


def _generates_ids(preset: Preset | None, mapping: dict[str, str]) -> bool:
    """Ids from the rows' content: for a preset's file without ids,
    unless a column was named for them after all."""
    return bool(preset and preset.generate_ids and not mapping.get("source_id"))


def check_source(source: str) -> str:
    value = (source or "").strip()
    if not value or value != slugify(value) or len(value) > SOURCE_LENGTH:
        raise InvalidInput(
            _("The source must be a short code of lower-case letters, digits and hyphens, such as “kp-ims”.")
        )
    return value


def get_preset(name: str | None) -> Preset | None:
    if not name:
        return None
    if name not in PRESETS:
        raise InvalidInput(
            _("Unknown preset “%(name)s”. Presets: %(presets)s.")
            % {"name": name, "presets": ", ".join(PRESETS)}
        )
    return PRESETS[name]


def resolve_mapping(
    header: list[str], mapping: dict[str, str], *, fmt: str, generate_ids: bool
) -> dict[str, int]:
    """Field → column index. Fields not mapped are read from a column of the
    same name when there is one. InvalidInput names what is wrong."""
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise InvalidInput(
            _("Unknown field “%(field)s”. The fields are: %(fields)s.")
            % {"field": unknown[0], "fields": ", ".join(FIELDS)}
        )
    position = {name: i for i, name in enumerate(header) if name}
    folded = {name.lower(): i for name, i in reversed(position.items())}
    resolved: dict[str, int] = {}
    for name in FIELDS:
        column = (mapping.get(name) or "").strip()
        if column:
            if column not in position and column.lower() not in folded:
                raise InvalidInput(
                    _("The file has no column “%(column)s” (for %(field)s). Its columns are: %(columns)s.")
                    % {"column": column, "field": name, "columns": ", ".join(header)}
                )
            resolved[name] = position.get(column, folded.get(column.lower(), -1))
        elif name in folded:
            resolved[name] = folded[name]
    if generate_ids:
        resolved.pop("source_id", None)
    if fmt == Format.GEOJSON and GEOMETRY in position:
        resolved[GEOMETRY] = position[GEOMETRY]
    required = ["category", "occurred_on"] + ([] if generate_ids else ["source_id"])
    missing = [name for name in required if name not in resolved]
    if missing:
        raise InvalidInput(
            _("Say which column holds %(field)s (for example --map %(field)s=COLUMN).")
            % {"field": missing[0]}
        )
    if ("lat" in resolved) != ("lon" in resolved):
        raise InvalidInput(_("Map both the latitude (lat) and the longitude (lon), or neither."))
    if "lat" not in resolved and GEOMETRY not in resolved and "unit" not in resolved:
        raise InvalidInput(_("Say which columns hold the coordinates (lat and lon) or the unit."))
    return resolved


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


# --- running ------------------------------------------------------------------------


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
        sector[located] = placing.locate(batch.lon[located], batch.lat[located])
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


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cycle collector off while an import runs: the import makes
    millions of objects and no cycles, and each full collection would walk
    every string of the batch in hand (it tripled the cost of creating
    points for the sector look-up)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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


def _execute(
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
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    if use_copy and connection.vendor != "postgresql":
        raise InvalidInput(_("The COPY path needs PostgreSQL."))
    size = batch_size or (COPY_BATCH if use_copy else ORM_BATCH)
    validator = Validator(mapping, _context(date_format=run.date_format, id_prefix=id_prefix))
    root = _root_unit_id()
    run.status, run.used_copy = RunStatus.RUNNING, use_copy
    run.save(update_fields=["status", "used_copy"])
    sink = _Sink(run, use_copy=use_copy, paths=dict(Unit.objects.values_list("pk", "path")))
    threaded = use_copy and not connection.in_atomic_block
    executor: ThreadPoolExecutor | _Inline = ThreadPoolExecutor(max_workers=1) if threaded else _Inline()
    report = Progress(progress)
    pending: tuple[Future[Written], list[Any], int] | None = None

    def settle() -> bool:
        """Wait for the batch in flight; False when it failed."""
        nonlocal pending
        if pending is None:
            return True
        future, refused, line = pending
        pending = None
        try:
            future.result()
        except (DatabaseError, psycopg_error()) as exc:
            logger.warning("Incident import %s failed at line %s: %s", run.pk, line, exc)
            run.error, run.status = _failure(line, exc), RunStatus.FAILED
            return False
        rejects.write(refused)
        report(run.progress, run.rows)
        return True

    with tempfile.TemporaryFile("w+", encoding="utf-8-sig", newline="") as rejects_out, _no_gc():
        rejects = RejectsWriter(rejects_out, reader.header, keep=[i for i in mapping.values() if i >= 0])
        try:
            executor.submit(sink.open).result()
            for chunk in reader.chunks(size):
                batch, refused = validator.validate(chunk)
                units = _place(batch, root)
                prepared = sink.prepare(batch, units)
                if not settle():
                    break
                future = executor.submit(
                    sink.write,
                    prepared,
                    rows=len(chunk),
                    refused=len(refused),
                    unplaced=int((batch.sector < 0).sum()),
                    fraction=chunk.fraction,
                )
                pending = (future, refused, int(chunk.lines[0]))
            else:
                if settle():
                    run.status, run.progress = RunStatus.DONE, 1.0
        except InvalidInput as exc:  # the file turned out unreadable part-way
            if settle():
                run.error, run.status = str(exc), RunStatus.FAILED
        except BaseException:
            settle()
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


def _file_size(raw: IO[bytes]) -> int:
    try:
        here = raw.tell()
        raw.seek(0, os.SEEK_END)
        size = raw.tell()
        raw.seek(here)
    except (OSError, AttributeError, ValueError):
        return 0
    return size


def import_incidents(
    actor: Actor,
    *,
    path_or_file: str | Path | IO[bytes],
    source: str | None = None,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    date_format: str | None = None,
    preset: str | None = None,
    batch_size: int | None = None,
    progress: Callable[[float, int], None] | None = None,
    use_copy: bool | None = None,
    rejects_path: str | Path | None = None,
    file_name: str | None = None,
) -> ImportRun:
    """Import a CSV, XLSX or GeoJSON file of incidents now (see the module's
    docstring). Directorate and system administrators only. Bad options or
    an unreadable header raise InvalidInput and change nothing; a failure
    later ends the run `failed`, earlier batches kept. `progress(fraction,
    rows)` is called now and then; `rejects_path` gets a copy of the
    rejects file."""
    _require_import(actor)
    chosen = get_preset(preset)
    source = check_source(source or (chosen.source if chosen else ""))
    if batch_size is not None and not 1 <= batch_size <= MAX_BATCH:
        raise InvalidInput(_("The batch size must be from 1 to %(max)s.") % {"max": MAX_BATCH})
    if isinstance(path_or_file, str | Path):
        path = Path(path_or_file)
        if not path.is_file():
            raise InvalidInput(_("There is no file “%(name)s”.") % {"name": str(path)})
        raw: IO[bytes] = path.open("rb")
        file_name = file_name or path.name
    else:
        raw = path_or_file
        file_name = file_name or Path(str(getattr(raw, "name", "") or "incidents.csv")).name
    try:
        fmt = format_of(file_name, fmt)
        full_mapping = {**(chosen.mapping if chosen else {}), **(mapping or {})}
        reader = open_reader(raw, fmt, size=_file_size(raw))
        resolved = resolve_mapping(
            reader.header, full_mapping, fmt=fmt, generate_ids=_generates_ids(chosen, full_mapping)
        )
        run = ImportRun.objects.create(
            created_by_id=actor.user_id,
            source=source,
            file_name=file_name[:255],
            format=fmt,
            preset=preset or "",
            mapping=full_mapping,
            date_format=date_format or "",
            status=RunStatus.RUNNING,
        )
        id_prefix = Path(file_name).stem if _generates_ids(chosen, full_mapping) else ""
        run = _execute(
            run,
            reader,
            resolved,
            id_prefix=id_prefix,
            batch_size=batch_size,
            use_copy=use_copy,
            progress=progress,
        )
    finally:
        if isinstance(path_or_file, str | Path):
            raw.close()
    if rejects_path is not None:
        _copy_rejects(run, Path(rejects_path))
    return run


def _copy_rejects(run: ImportRun, target: Path) -> None:
    """The rejects file at `target` (a header line when nothing was rejected)."""
    if run.rejects_file:
        with run.rejects_file.open("rb") as stored, target.open("wb") as out:
            shutil.copyfileobj(stored, out)
    else:
        target.write_text("line,reason\n", encoding="utf-8-sig")


def _require_import(actor: Actor) -> None:
    """Imports are national: the import role at the root. Staff who see
    incidents are told so (403); anyone else finds nothing (404)."""
    if selectors.can_import(actor):
        return
    if selectors.can_view_any(actor):
        raise PermissionDenied(_("Only the directorate imports incidents."))
    raise Http404(_("Not found."))


# --- in the background ---------------------------------------------------------------


def start_import(
    actor: Actor,
    *,
    upload: UploadedFile,
    source: str | None,
    fmt: str | None = None,
    mapping: dict[str, str] | None = None,
    date_format: str | None = None,
    preset: str | None = None,
) -> ImportRun:
    """Store an uploaded file as a queued import. The header and the mapping
    are checked now (InvalidInput, and nothing is kept); `run_import` reads
    the rows later (tasks.queue_import enqueues it on commit)."""
    _require_import(actor)
    chosen = get_preset(preset)
    source = check_source(source or (chosen.source if chosen else ""))
    name = Path(upload.name or "incidents").name
    fmt = format_of(name, fmt)
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            _("The file is larger than %(size)s MB: import it with the command instead.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    full_mapping = {**(chosen.mapping if chosen else {}), **(mapping or {})}
    upload.seek(0)
    reader = open_reader(upload, fmt, size=upload.size or 0)
    resolve_mapping(reader.header, full_mapping, fmt=fmt, generate_ids=_generates_ids(chosen, full_mapping))
    upload.seek(0)
    with transaction.atomic():
        run = ImportRun(
            created_by_id=actor.user_id,
            source=source,
            file_name=name[:255],
            format=fmt,
            preset=preset or "",
            mapping=full_mapping,
            date_format=date_format or "",
            status=RunStatus.QUEUED,
            language=translation.get_language() or "",
        )
        # A name no one can guess; the file is served to no one and removed when the run ends.
        run.upload.save(f"{secrets.token_urlsafe(18)}{Path(name).suffix.lower()}", upload, save=False)
        run.save()
    return run


def run_import(run_id: int) -> ImportRun:
    """The background half of start_import: read the queued run's file, then
    remove it. Runs once: a run that is not queued any more is left alone."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.QUEUED:
            raise NotQueued()
        run.status = RunStatus.RUNNING
        run.save(update_fields=["status"])
    chosen = PRESETS.get(run.preset)
    try:
        with translation.override(run.language or None), run.upload.open("rb") as raw:
            try:
                reader = open_reader(raw, run.format, size=run.upload.size)
                resolved = resolve_mapping(
                    reader.header,
                    run.mapping,
                    fmt=run.format,
                    generate_ids=_generates_ids(chosen, run.mapping),
                )
            except InvalidInput as exc:
                run.status, run.error, run.finished_at = RunStatus.FAILED, str(exc), timezone.now()
                run.save()
                return run
            id_prefix = Path(run.file_name).stem if _generates_ids(chosen, run.mapping) else ""
            run = _execute(
                run, reader, resolved, id_prefix=id_prefix, batch_size=None, use_copy=None, progress=None
            )
    except Exception:
        ImportRun.objects.filter(pk=run.pk, status=RunStatus.RUNNING).update(
            status=RunStatus.FAILED, error=_("The import stopped unexpectedly."), finished_at=timezone.now()
        )
        raise
    finally:
        _remove_upload(run)
    return run


def _remove_upload(run: ImportRun) -> None:
    if run.upload:
        run.upload.delete(save=False)
        ImportRun.objects.filter(pk=run.pk).update(upload="")
