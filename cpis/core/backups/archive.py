"""`make_backup` writes an archive; `restore_backup` stages, checks and then restores one."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import secrets
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from .digests import (
    Manifest,
    cpis_version,
    differences,
    engine_name,
    engine_of,
    media_digest,
    media_files,
    table_names,
)
from .engines import (
    connect,
    database_label,
    restore_postgresql,
    restore_sqlite,
    snapshot_postgresql,
    snapshot_sqlite,
    unknown_migrations,
)
from .format import (
    ARCHIVE_PREFIX,
    ARCHIVE_SUFFIX,
    COMPRESS_LEVEL,
    DATABASE_MEMBERS,
    MANIFEST,
    MEDIA,
    BackupError,
    Identity,
    Recipient,
)
from .streams import Hashing, copy_hashed, decrypting, encrypting, file_sha256


class Laps:
    """The seconds each step of a backup or a restore took."""

    def __init__(self, report: Callable[[str], None] | None = None) -> None:
        self.started = self.last = time.monotonic()
        self.steps: dict[str, float] = {}
        self.report = report

    def lap(self, step: str) -> None:
        now = time.monotonic()
        self.steps[step], self.last = now - self.last, now
        if self.report is not None:
            self.report(f"{step}: {self.steps[step]:.1f} s")

    @property
    def total(self) -> float:
        return self.last - self.started


@dataclass
class BackupResult:
    path: Path
    bytes: int
    sha256: str
    manifest: Manifest
    seconds: float
    steps: dict[str, float]


def archive_name(now: dt.datetime) -> str:
    return f"{ARCHIVE_PREFIX}{now.astimezone(dt.UTC):%Y%m%dT%H%M%SZ}{ARCHIVE_SUFFIX}"


@contextmanager
def _private_directory(near: Path) -> Iterator[Path]:
    """A temporary folder only this user can read, on the same file system as `near`."""
    near.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=".cpis-backup-", dir=near))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _add_file(archive: tarfile.TarFile, name: str, path: Path) -> Hashing:
    with path.open("rb") as file:
        stat = os.fstat(file.fileno())
        info = tarfile.TarInfo(name)
        info.size, info.mtime, info.mode = stat.st_size, int(stat.st_mtime), 0o600
        hashing = Hashing(file)
        archive.addfile(info, hashing)
    return hashing


def make_backup(
    *,
    destination: Path,
    recipients: list[Recipient],
    media_root: Path,
    alias: str = "default",
    now: dt.datetime | None = None,
) -> BackupResult:
    """Write one encrypted archive of the database behind `alias` and the files under
    `media_root`. `destination` is a folder (the archive is named by the time) or a file.
    The archive appears under its name only once complete."""
    laps = Laps()
    now = now or dt.datetime.now(dt.UTC)
    connection = connections[alias]
    engine = engine_of(connection)
    connect(connection)
    if destination.is_dir():
        path = destination / archive_name(now)
    elif destination.name.endswith(".age"):
        path = destination
    else:
        raise BackupError(f"{destination} is neither a folder nor a file name ending in .age.")
    if path.exists():
        raise BackupError(f"{path} exists: it is not overwritten.")
    partial = path.with_name(f".{path.name}.partial")
    with _private_directory(path.parent) as work:
        database_file = work / DATABASE_MEMBERS[engine]
        if engine == "sqlite":
            manifest = snapshot_sqlite(connection, database_file)
        else:
            manifest = snapshot_postgresql(connection, database_file)
        laps.lap("snapshot and digests")
        manifest.created = now.astimezone(dt.UTC).isoformat()
        manifest.cpis_version = cpis_version()
        with (
            encrypting(partial, recipients) as plain,
            gzip.GzipFile(fileobj=plain, mode="wb", compresslevel=COMPRESS_LEVEL, mtime=0) as compressed,
            tarfile.open(fileobj=compressed, mode="w|", format=tarfile.PAX_FORMAT) as archive,
        ):
            hashed = _add_file(archive, DATABASE_MEMBERS[engine], database_file)
            manifest.database_sha256, manifest.database_bytes = hashed.sha256.hexdigest(), hashed.bytes
            database_file.unlink()
            entries = []
            for name, media_path in media_files(media_root):
                hashed = _add_file(archive, f"{MEDIA}/{name}", media_path)
                entries.append((name, hashed.sha256.hexdigest(), hashed.bytes))
            manifest.media = media_digest(entries)
            raw = manifest.to_json()
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mtime, info.mode = len(raw), int(now.timestamp()), 0o600
            archive.addfile(info, BytesIO(raw))
    partial.replace(path)
    laps.lap("compress and encrypt")
    sha256 = file_sha256(path)
    laps.lap("hash the archive")
    return BackupResult(
        path=path,
        bytes=path.stat().st_size,
        sha256=sha256,
        manifest=manifest,
        seconds=laps.total,
        steps=laps.steps,
    )


def prune(folder: Path, *, keep_days: int, now: dt.datetime) -> list[Path]:
    """Delete the archives in `folder` named for a time more than `keep_days` days ago."""
    removed = []
    for path in sorted(folder.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}")):
        stamp = path.name.removeprefix(ARCHIVE_PREFIX).removesuffix(ARCHIVE_SUFFIX)
        try:
            made = dt.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ").replace(tzinfo=dt.UTC)
        except ValueError:
            continue
        if now - made > dt.timedelta(days=keep_days):
            path.unlink()
            removed.append(path)
    return removed


@dataclass
class Staged:
    """An archive extracted and checked, before anything is restored from it."""

    manifest: Manifest
    database: Path
    media: Path


@dataclass
class RestoreResult:
    manifest: Manifest
    target: str
    seconds: float
    steps: dict[str, float]


def _member_path(name: str) -> str | None:
    """The path under media/ of an archive member, or None for a name that could escape."""
    path = PurePosixPath(name)
    if path.is_absolute() or len(path.parts) < 2 or path.parts[0] != MEDIA:
        return None
    if any(part in {"", ".", ".."} for part in path.parts):
        return None
    return "/".join(path.parts[1:])


def stage(archive: Path, identities: list[Identity], work: Path) -> Staged:
    """Decrypt and extract `archive` into `work` and check it against its manifest."""
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist.")
    media = work / MEDIA
    media.mkdir()
    database: Path | None = None
    database_digest: tuple[str, int] = ("", 0)
    raw_manifest: bytes | None = None
    entries = []
    try:
        with (
            decrypting(archive, identities) as plain,
            gzip.GzipFile(fileobj=plain, mode="rb") as compressed,
            tarfile.open(fileobj=compressed, mode="r|") as members,
        ):
            for member in members:
                source = members.extractfile(member) if member.isfile() else None
                if source is None:
                    raise BackupError(f"Unexpected entry {member.name!r} in the archive.")
                if member.name == MANIFEST:
                    raw_manifest = source.read()
                elif member.name in DATABASE_MEMBERS.values() and database is None:
                    database = work / member.name
                    database_digest = copy_hashed(source, database)
                elif (name := _member_path(member.name)) is not None:
                    path = media / name
                    path.parent.mkdir(parents=True, exist_ok=True)
                    sha, size = copy_hashed(source, path)
                    os.utime(path, (member.mtime, member.mtime))
                    entries.append((name, sha, size))
                else:
                    raise BackupError(f"Unexpected entry {member.name!r} in the archive.")
    except (tarfile.TarError, OSError, EOFError, gzip.BadGzipFile) as error:
        raise BackupError(
            f"{archive} is not a readable CPIS backup ({error}). Nothing was changed."
        ) from error
    if raw_manifest is None or database is None:
        raise BackupError(f"{archive} lacks its manifest or its database. Nothing was changed.")
    manifest = Manifest.from_json(raw_manifest)
    if database.name != DATABASE_MEMBERS[manifest.engine] or database_digest != (
        manifest.database_sha256,
        manifest.database_bytes,
    ):
        raise BackupError(f"{archive}: the database file does not match the manifest. Nothing was changed.")
    if media_digest(entries) != manifest.media:
        raise BackupError(f"{archive}: the media files do not match the manifest. Nothing was changed.")
    return Staged(manifest=manifest, database=database, media=media)


def _replace_media(staged: Path, media_root: Path) -> None:
    """Put the staged files in the media folder's place (renames on one file system)."""
    media_root.parent.mkdir(parents=True, exist_ok=True)
    old = media_root.with_name(f".{media_root.name}.replaced-{secrets.token_hex(4)}")
    if media_root.exists():
        media_root.rename(old)
    shutil.move(str(staged), str(media_root))
    shutil.rmtree(old, ignore_errors=True)


def check_target(target: BaseDatabaseWrapper, media_root: Path, *, force: bool) -> None:
    """Refuse a database or media folder that is not empty, unless told to replace it."""
    if force:
        return
    tables = table_names(target)
    if tables:
        raise BackupError(
            f"The target {database_label(target)} is not empty ({len(tables)} tables). "
            "Restore into an empty database, or pass --force to replace its contents."
        )
    files = media_files(media_root)
    if files:
        raise BackupError(
            f"The media folder {media_root} is not empty ({len(files)} files). "
            "Restore into an empty folder, or pass --force to replace it."
        )


def restore_backup(
    *,
    archive: Path,
    identities: list[Identity],
    target: BaseDatabaseWrapper,
    media_root: Path,
    force: bool = False,
    work_dir: Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> RestoreResult:
    """Restore `archive` into `target` and `media_root`, then check the database against
    the manifest. Nothing is changed until the whole archive has been read and checked."""
    laps = Laps(progress)
    engine = engine_of(target)
    connect(target)
    check_target(target, media_root, force=force)
    with _private_directory(work_dir or media_root.parent) as work:
        staged = stage(archive, identities, work)
        manifest = staged.manifest
        laps.lap("decrypt, extract and check the archive")
        if manifest.engine != engine:
            raise BackupError(
                f"The archive holds a {engine_name(manifest.engine)} database; the target is "
                f"{engine_name(engine)}. Restore into the engine it was made on. Nothing was changed."
            )
        unknown = unknown_migrations(manifest)
        if unknown:
            raise BackupError(
                f"The backup was made by a newer CPIS ({manifest.cpis_version}): this one does not know "
                f"the migrations {', '.join(unknown[:5])}. Install that version first. Nothing was changed."
            )
        if engine == "sqlite":
            restore_sqlite(staged.database, target)
        else:
            restore_postgresql(staged.database, target, manifest)
        laps.lap("load the database")
        staged.database.unlink()
        _replace_media(staged.media, media_root)
        laps.lap("put the media files in place")
    problems = differences(manifest, target)
    if problems:
        raise BackupError(
            "The restored database does not match the backup's manifest: " + "; ".join(problems)
        )
    laps.lap("compare every table with the manifest")
    return RestoreResult(
        manifest=manifest, target=database_label(target), seconds=laps.total, steps=laps.steps
    )
