"""What differs between SQLite and PostgreSQL: a consistent snapshot with its manifest,
loading a snapshot into a target, scratch databases and connections to other databases."""

from __future__ import annotations

import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader
from django.db.utils import load_backend

from .digests import Manifest, describe, engine_of, table_names
from .format import BackupError


@contextmanager
def database_alias(settings_dict: dict[str, Any]) -> Iterator[BaseDatabaseWrapper]:
    """A connection to another database (a snapshot, a scratch or a named target),
    known to Django by its alias (for transactions and `migrate --database`) in this
    thread, for as long as the block runs. Like a copied connection it is not in
    DATABASES, which the tests' guard on other databases lets through."""
    alias = f"cpis_backup_{secrets.token_hex(4)}"
    configured = connections.configure_settings({"default": dict(settings_dict)})["default"]
    connection = load_backend(configured["ENGINE"]).DatabaseWrapper(configured, alias)
    connections[alias] = connection
    try:
        yield connection
    finally:
        connection.close()
        del connections[alias]


def _libpq_environment(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment pg_dump and pg_restore connect with: the password never on the
    command line, where other users could see it."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey", "passfile", "service"):
        if options.get(option):
            env[f"PG{option.upper()}"] = str(options[option])
    return env


def _program(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not installed: install PostgreSQL's client programs (Debian: postgresql-client) "
            "of the server's major version or newer."
        )
    return found


def _run(args: list[str], settings_dict: dict[str, Any]) -> None:
    result = subprocess.run(  # noqa: S603 -- PostgreSQL's own programs, arguments from settings
        args,
        env=_libpq_environment(settings_dict),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    if result.returncode != 0:
        detail = result.stderr.decode(errors="replace").strip()[-2000:]
        raise BackupError(f"{Path(args[0]).name} failed: {detail}")


@contextmanager
def scratch_database(connection: BaseDatabaseWrapper, work_dir: Path) -> Iterator[BaseDatabaseWrapper]:
    """An empty database of the same engine, removed afterwards: a SQLite file in
    `work_dir`, or a new database on the same PostgreSQL server (which needs CREATEDB)."""
    settings_dict = dict(connection.settings_dict)
    if engine_of(connection) == "sqlite":
        settings_dict["NAME"] = str(work_dir / f"scratch-{secrets.token_hex(4)}.sqlite3")
        with database_alias(settings_dict) as scratch:
            yield scratch
        return
    name = f"{str(settings_dict['NAME'])[:40]}_drill_{secrets.token_hex(4)}"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
            "WHERE datname = current_database()"
        )
        encoding, collate, ctype = (str(value).replace("'", "''") for value in cursor.fetchone())
        try:
            cursor.execute(
                f"CREATE DATABASE {quote(name)} TEMPLATE template0 "
                f"ENCODING '{encoding}' LC_COLLATE '{collate}' LC_CTYPE '{ctype}'"
            )
        except DatabaseError as error:
            raise BackupError(
                f"Cannot create a scratch database ({error}); the drill needs the CREATEDB privilege."
            ) from error
    try:
        settings_dict["NAME"] = name
        with database_alias(settings_dict) as scratch:
            yield scratch
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")


def connect(connection: BaseDatabaseWrapper) -> None:
    """Open the connection now, so that a database that cannot be reached says so."""
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise BackupError(f"Cannot open the {database_label(connection)}: {error}") from error


def database_label(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor == "postgresql":
        host = connection.settings_dict.get("HOST") or "local socket"
        return f"PostgreSQL database {connection.settings_dict['NAME']} on {host}"
    return f"SQLite database {connection.settings_dict['NAME']}"


def snapshot_sqlite(connection: BaseDatabaseWrapper, path: Path) -> Manifest:
    """SQLite's online backup API: a consistent copy while others keep writing (a copy
    of the file would miss what is still in the -wal file)."""
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    try:
        connection.connection.backup(copy)
    finally:
        copy.close()
    with database_alias({**connection.settings_dict, "NAME": str(path)}) as snapshot:
        return describe(snapshot)


def snapshot_postgresql(connection: BaseDatabaseWrapper, path: Path) -> Manifest:
    """pg_dump -Fc and the digests read one exported snapshot, the digests while the dump runs."""
    if connection.in_atomic_block:
        raise BackupError("A backup must start outside a transaction.")
    pg_dump = _program("pg_dump")
    settings_dict = connection.settings_dict
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        # The outer gzip compresses the archive: the dump itself is left uncompressed.
        args = [pg_dump, "--format=custom", "--compress=0", f"--snapshot={snapshot}", f"--file={path}"]
        args.append(f"--dbname={settings_dict['NAME']}")
        process = subprocess.Popen(  # noqa: S603 -- PostgreSQL's own program, arguments from settings
            args, env=_libpq_environment(settings_dict), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        try:
            manifest = describe(connection)
        except BaseException:
            process.kill()
            process.wait()
            raise
        _, stderr = process.communicate()
    if process.returncode != 0:
        raise BackupError(f"pg_dump failed: {stderr.decode(errors='replace').strip()[-2000:]}")
    return manifest


def restore_sqlite(staged: Path, target: BaseDatabaseWrapper) -> None:
    """SQLite's backup API copies the staged file over the target in one step."""
    target.ensure_connection()
    source = sqlite3.connect(staged)
    try:
        source.backup(target.connection)
    finally:
        source.close()


def restore_postgresql(staged: Path, target: BaseDatabaseWrapper, manifest: Manifest) -> None:
    """pg_restore in one transaction. Replacing a database, the tables the backup does not
    have are dropped first; the others are dropped by the dump's own statements inside
    pg_restore's transaction, so a failure there leaves them as they were."""
    pg_restore = _program("pg_restore")
    present = table_names(target)
    quote = target.ops.quote_name
    extra = [table for table in present if table not in manifest.tables]
    if extra:
        with transaction.atomic(using=target.alias), target.cursor() as cursor:
            for table in extra:
                cursor.execute(f"DROP TABLE IF EXISTS {quote(table)} CASCADE")
    args = [pg_restore, "--exit-on-error", "--single-transaction", "--no-owner", "--no-privileges"]
    if present:
        args += ["--clean", "--if-exists"]
    args += [f"--dbname={target.settings_dict['NAME']}", str(staged)]
    _run(args, target.settings_dict)
    with target.cursor() as cursor:
        cursor.execute("ANALYZE")


def unknown_migrations(manifest: Manifest) -> list[str]:
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    return [f"{app}.{name}" for app, name in manifest.migrations if (app, name) not in known]
