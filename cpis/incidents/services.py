"""Writes for incidents: import a file of incidents, now (the command) or in
the background (the staff page). Imports are national: only the directorate
and system administrators run them.

An import reads the file in batches. Each batch is one transaction: its
valid rows are upserted by (source, source id) and the run's counts saved
with them, so a failure leaves earlier batches in place, the counts true, and
running the same file again is safe: rows already there are counted
unchanged. Every rejected row goes to the rejects file with its reason.

This module holds the verbs and the checks of their options; the pipeline
that reads, checks, places and writes the batches is `importing.py`."""

import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cpis.core.errors import DomainError, InvalidInput
from cpis.organisation.access import Actor

from . import importing, selectors
from .models import SOURCE_LENGTH, Format, ImportRun, RunStatus
from .parsing import FIELDS
from .reading import GEOMETRY, MAX_UPLOAD_BYTES, Reader, format_of, match_columns, open_reader

MAX_BATCH = 1_000_000


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


@dataclass(frozen=True)
class _Options:
    """What an import is asked for, checked before a row is read: the preset
    by its name, the source, and the preset's mapping with the caller's."""

    preset: str | None
    source: str
    mapping: dict[str, str]
    date_format: str | None
    generate_ids: bool

    def read_header(self, raw: IO[bytes], fmt: str, size: int) -> tuple[Reader, dict[str, int]]:
        """The file's reader and its columns for the mapping (InvalidInput
        when the header does not fit)."""
        reader = open_reader(raw, fmt, size=size)
        return reader, resolve_mapping(reader.header, self.mapping, fmt=fmt, generate_ids=self.generate_ids)

    def new_run(
        self, actor: Actor, *, file_name: str, fmt: str, status: str, language: str = ""
    ) -> ImportRun:
        """An import run as the actor starts it (not saved yet)."""
        return ImportRun(
            created_by_id=actor.user_id,
            source=self.source,
            file_name=file_name[:255],
            format=fmt,
            preset=self.preset or "",
            mapping=self.mapping,
            date_format=self.date_format or "",
            status=status,
            language=language,
        )


def _options(
    *, source: str | None, mapping: dict[str, str] | None, date_format: str | None, preset: str | None
) -> _Options:
    chosen = get_preset(preset)
    checked_source = check_source(source or (chosen.source if chosen else ""))
    full_mapping = {**(chosen.mapping if chosen else {}), **(mapping or {})}
    return _Options(preset, checked_source, full_mapping, date_format, _generates_ids(chosen, full_mapping))


def resolve_mapping(
    header: list[str], mapping: dict[str, str], *, fmt: str, generate_ids: bool
) -> dict[str, int]:
    """Field → column index. Fields not mapped are read from a column of the
    same name when there is one. InvalidInput names what is wrong."""
    resolved, position = match_columns(header, mapping, FIELDS)
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
    options = _options(source=source, mapping=mapping, date_format=date_format, preset=preset)
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
        reader, resolved = options.read_header(raw, fmt, _file_size(raw))
        run = options.new_run(actor, file_name=file_name, fmt=fmt, status=RunStatus.RUNNING)
        run.save()
        id_prefix = Path(file_name).stem if options.generate_ids else ""
        run = importing.execute(
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
    options = _options(source=source, mapping=mapping, date_format=date_format, preset=preset)
    name = Path(upload.name or "incidents").name
    fmt = format_of(name, fmt)
    if upload.size and upload.size > MAX_UPLOAD_BYTES:
        raise InvalidInput(
            _("The file is larger than %(size)s MB: import it with the command instead.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
        )
    upload.seek(0)
    options.read_header(upload, fmt, upload.size or 0)
    upload.seek(0)
    with transaction.atomic():
        run = options.new_run(
            actor, file_name=name, fmt=fmt, status=RunStatus.QUEUED, language=translation.get_language() or ""
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
    generate_ids = _generates_ids(PRESETS.get(run.preset), run.mapping)
    options = _Options(run.preset, run.source, run.mapping, run.date_format, generate_ids)
    try:
        with translation.override(run.language or None), run.upload.open("rb") as raw:
            try:
                reader, resolved = options.read_header(raw, run.format, run.upload.size)
            except InvalidInput as exc:
                run.status, run.error, run.finished_at = RunStatus.FAILED, str(exc), timezone.now()
                run.save()
                return run
            id_prefix = Path(run.file_name).stem if generate_ids else ""
            run = importing.execute(
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
