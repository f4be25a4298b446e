"""The manifest: the schema (applied migrations), each table's row count and digest, and
the media files' digest; and how a database differs from it.

A table's digest is the SHA-256 of its rows in primary-key order, one line each, ending
in a newline, in UTF-8, every row in its engine's own exact text form:

- SQLite: the SQL literals of the columns in table order, as `quote()` writes them
  (NULL, integers, reals that read back to the same value, 'text' with quotes doubled,
  X'…' for blobs), joined by commas;
- PostgreSQL: the row's composite literal, `(v1,v2,…)` as `row::text` writes it, with
  the settings that shape it pinned (ISO dates, UTC, exact floats, hex bytea), text keys
  ordered byte by byte (COLLATE "C") whatever the database's collation.

The server writes the text, so it costs the digest little, and the same rows give the
same digest on the same engine; the two engines' digests are not comparable."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

from .format import (
    DATABASE_MEMBERS,
    FORMAT,
    FORMAT_VERSION,
    ROWS_PER_FETCH,
    TEXT_FIELDS,
    BackupError,
)


@dataclass(frozen=True)
class TableDigest:
    rows: int
    sha256: str


@dataclass(frozen=True)
class MediaDigest:
    files: int
    bytes: int
    sha256: str


@dataclass
class Manifest:
    """What an archive holds: the schema (applied migrations), each table's row count and
    digest, the database file's and the media files' digests."""

    engine: str
    engine_version: str
    migrations: list[list[str]]
    tables: dict[str, TableDigest]
    media: MediaDigest
    database_sha256: str = ""
    database_bytes: int = 0
    created: str = ""
    cpis_version: str = ""

    @property
    def rows(self) -> int:
        return sum(table.rows for table in self.tables.values())

    @property
    def summary(self) -> str:
        return f"{len(self.tables)} tables, {self.rows:,} rows and {self.media.files} media files"

    def to_json(self) -> bytes:
        data = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created": self.created,
            "cpis_version": self.cpis_version,
            "engine": self.engine,
            "engine_version": self.engine_version,
            "database": {
                "member": DATABASE_MEMBERS[self.engine],
                "bytes": self.database_bytes,
                "sha256": self.database_sha256,
            },
            "migrations": self.migrations,
            "tables": {name: {"rows": t.rows, "sha256": t.sha256} for name, t in sorted(self.tables.items())},
            "media": {"files": self.media.files, "bytes": self.media.bytes, "sha256": self.media.sha256},
            "digest": "sha256 of each table's rows in primary-key order, one line each, engine's text form",
        }
        return json.dumps(data, indent=1, ensure_ascii=False).encode()

    @classmethod
    def from_json(cls, raw: bytes) -> Manifest:
        try:
            data = json.loads(raw)
            if data.get("format") != FORMAT:
                raise BackupError("This is not a CPIS backup (its manifest names another format).")
            if data.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"This backup is in format version {data.get('format_version')}; this CPIS reads "
                    f"version {FORMAT_VERSION}: restore it with the CPIS version that made it "
                    f"({data.get('cpis_version')})."
                )
            return cls(
                engine=data["engine"],
                engine_version=data["engine_version"],
                migrations=[list(pair) for pair in data["migrations"]],
                tables={
                    name: TableDigest(rows=int(t["rows"]), sha256=str(t["sha256"]))
                    for name, t in data["tables"].items()
                },
                media=MediaDigest(**data["media"]),
                database_sha256=data["database"]["sha256"],
                database_bytes=int(data["database"]["bytes"]),
                created=data["created"],
                cpis_version=data["cpis_version"],
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise BackupError("The archive's manifest is unreadable.") from None


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor not in DATABASE_MEMBERS:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return str(connection.vendor)


def engine_name(engine: str) -> str:
    return {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(engine, engine)


# What shapes a PostgreSQL row's text, pinned for the transaction that reads it.
PG_TEXT_SETTINGS = (
    "DateStyle = 'ISO, YMD'",
    "IntervalStyle = 'postgres'",
    "TimeZone = 'UTC'",
    "extra_float_digits = 3",
    "bytea_output = 'hex'",
)


def table_names(connection: BaseDatabaseWrapper) -> list[str]:
    with connection.cursor() as cursor:
        names = connection.introspection.table_names(cursor, include_views=False)
    return sorted(str(name) for name in names if not str(name).startswith("sqlite_"))


def _rows_as_text(connection: BaseDatabaseWrapper, table: str) -> str:
    """The query that reads each row of `table` as one text value, in primary-key order."""
    introspection = connection.introspection
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        columns = introspection.get_table_description(cursor, table)
        key = introspection.get_primary_key_columns(cursor, table) or [c.name for c in columns]
    # Names from the database's own catalogue, quoted: nothing here comes from a person.
    if connection.vendor == "sqlite":
        row = " || ',' || ".join(f"quote({quote(c.name)})" for c in columns)
        order = ", ".join(quote(name) for name in key)
        return f"SELECT {row} FROM {quote(table)} ORDER BY {order}"  # noqa: S608
    text = {c.name for c in columns if introspection.data_types_reverse.get(c.type_code) in TEXT_FIELDS}
    order = ", ".join(f'{quote(name)} COLLATE "C"' if name in text else quote(name) for name in key)
    return f"SELECT ROW(cpis_row.*)::text FROM {quote(table)} AS cpis_row ORDER BY {order}"  # noqa: S608


def digest_table(connection: BaseDatabaseWrapper, table: str) -> TableDigest:
    digest = hashlib.sha256()
    rows = 0
    # A server-side cursor on PostgreSQL: a large table is read in batches.
    with connection.chunked_cursor() as cursor:
        cursor.execute(_rows_as_text(connection, table))
        while batch := cursor.fetchmany(ROWS_PER_FETCH):
            for (line,) in batch:
                digest.update(line.encode())
                digest.update(b"\n")
            rows += len(batch)
    return TableDigest(rows=rows, sha256=digest.hexdigest())


def digest_tables(connection: BaseDatabaseWrapper) -> dict[str, TableDigest]:
    return {table: digest_table(connection, table) for table in table_names(connection)}


def applied_migrations(connection: BaseDatabaseWrapper) -> list[list[str]]:
    if "django_migrations" not in table_names(connection):
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [[str(app), str(name)] for app, name in cursor.fetchall()]


def _engine_version(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return str(cursor.fetchone()[0])
    return sqlite3.sqlite_version


def describe(connection: BaseDatabaseWrapper) -> Manifest:
    """The manifest of a database as it is now (media and file digests left empty)."""
    if connection.vendor == "postgresql":
        if not connection.in_atomic_block:
            # In a transaction, server-side cursors need not be held past a commit.
            with transaction.atomic(using=connection.alias):
                return describe(connection)
        with connection.cursor() as cursor:
            for setting in PG_TEXT_SETTINGS:
                cursor.execute(f"SET LOCAL {setting}")
    return Manifest(
        engine=engine_of(connection),
        engine_version=_engine_version(connection),
        migrations=applied_migrations(connection),
        tables=digest_tables(connection),
        media=MediaDigest(files=0, bytes=0, sha256=""),
    )


def differences(manifest: Manifest, connection: BaseDatabaseWrapper) -> list[str]:
    """How a database differs from a manifest: tables missing or extra, row counts and
    contents, applied migrations. Empty when they agree."""
    found = describe(connection)
    problems = []
    for table in sorted(manifest.tables.keys() - found.tables.keys()):
        problems.append(f"table {table} is missing")
    for table in sorted(found.tables.keys() - manifest.tables.keys()):
        problems.append(f"table {table} is not in the backup")
    for table in sorted(manifest.tables.keys() & found.tables.keys()):
        expected, actual = manifest.tables[table], found.tables[table]
        if expected.rows != actual.rows:
            problems.append(f"table {table} has {actual.rows} rows, the backup {expected.rows}")
        elif expected.sha256 != actual.sha256:
            problems.append(f"table {table} has {actual.rows} rows as in the backup, but other contents")
    if found.migrations != manifest.migrations:
        problems.append("the applied migrations differ from the backup's")
    return problems


def media_files(root: Path) -> list[tuple[str, Path]]:
    """Every regular file under `root`, by its relative POSIX path, in a stable order."""
    if not root.is_dir():
        return []
    found = []
    for directory, _subdirectories, files in os.walk(root):
        for name in files:
            path = Path(directory) / name
            if path.is_file() and not path.is_symlink():
                found.append((path.relative_to(root).as_posix(), path))
    return sorted(found)


def media_digest(entries: list[tuple[str, str, int]]) -> MediaDigest:
    digest = hashlib.sha256()
    for name, sha, _size in sorted(entries):
        digest.update(f"{name}\0{sha}\n".encode())
    return MediaDigest(files=len(entries), bytes=sum(size for *_, size in entries), sha256=digest.hexdigest())


def cpis_version() -> str:
    try:
        return metadata.version("cpis")
    except metadata.PackageNotFoundError:
        return "unknown"
