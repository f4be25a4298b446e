"""`cpis restore_drill`: prove that the backups restore, and how long it takes (`make
restore-drill`). It backs up the configured database (or takes a given archive), restores
it into a scratch database of the same engine — a temporary SQLite file, or a database
created on the same PostgreSQL server and dropped afterwards — runs `migrate --check`
against it, compares every table's row count and digest with the manifest, and prints
the time each step took and the sizes. Nothing of the configured database or media
folder is changed (but for the demo loaded into an empty database with --demo-if-empty)."""

import tempfile
import time
from io import StringIO
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from cpis.core import backups

MB = 1024 * 1024


class Command(BaseCommand):
    help = "Back up, restore into a scratch database, check and time it: the restore drill."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "archive",
            nargs="?",
            type=Path,
            help="Drill this archive (with --identity) instead of a new backup.",
        )
        parser.add_argument("--identity", type=Path, help="The identity file that decrypts ARCHIVE.")
        parser.add_argument(
            "--demo-if-empty",
            choices=["small", "standard", "national"],
            help="When the database has no tables yet, migrate it and load the demo at this scale first.",
        )
        parser.add_argument("--work-dir", type=Path, help="Where the archive and the scratch files go.")

    def handle(
        self,
        *args: Any,
        archive: Path | None,
        identity: Path | None,
        demo_if_empty: str | None,
        work_dir: Path | None,
        **options: Any,
    ) -> None:
        if (archive is None) != (identity is None):
            raise CommandError("Give an archive together with its --identity, or neither (a new backup).")
        # call_command passes options untouched by argparse.
        archive, identity = (Path(archive) if archive else None), (Path(identity) if identity else None)
        source = connections["default"]
        try:
            backups.engine_of(source)
            if demo_if_empty and not backups.table_names(source):
                self.stdout.write(
                    f"{backups.database_label(source)} has no tables: loading the {demo_if_empty} demo."
                )
                call_command("migrate", interactive=False, verbosity=0)
                call_command("load_demo", scale=demo_if_empty, stdout=StringIO())  # not its logins
            with tempfile.TemporaryDirectory(prefix="cpis-drill-", dir=work_dir and Path(work_dir)) as work:
                self._drill(source, archive, identity, Path(work))
        except backups.BackupError as error:
            raise CommandError(f"Restore drill failed: {error}") from error

    def _drill(
        self, source: BaseDatabaseWrapper, archive: Path | None, identity: Path | None, work: Path
    ) -> None:
        write = self.stdout.write
        write(f"Restore drill of {backups.database_label(source)}")
        backup_seconds = None
        if archive is None or identity is None:
            # A key pair for this drill only: the drill proves the mechanism, not the key.
            identities, recipients = backups.throwaway_keys()
            result = backups.make_backup(
                destination=work, recipients=recipients, media_root=Path(settings.MEDIA_ROOT)
            )
            archive, backup_seconds = result.path, result.seconds
            manifest = result.manifest
            write(
                f"Backup: {result.seconds:.1f} s; database file {manifest.database_bytes / MB:,.1f} MB, "
                f"archive {result.bytes / MB:,.1f} MB, {manifest.media.files} media files "
                f"({manifest.media.bytes / MB:,.1f} MB)"
            )
            self._steps(result.steps)
        else:
            identities = backups.read_identities(identity)
            write(f"Archive: {archive} ({archive.stat().st_size / MB:,.1f} MB)")
        with backups.scratch_database(source, work) as scratch:
            restored = backups.restore_backup(
                archive=archive,
                identities=identities,
                target=scratch,
                media_root=work / "restored-media",
                work_dir=work,
            )
            write(f"Restore into the scratch {restored.target}: {restored.seconds:.1f} s")
            self._steps(restored.steps)
            started = time.monotonic()
            try:
                call_command("migrate", check_unapplied=True, database=scratch.alias, verbosity=0)
            except SystemExit as exit_:
                if exit_.code:
                    raise backups.BackupError(
                        "migrate --check: the restored database lacks migrations this CPIS has "
                        "(run `cpis migrate` after restoring it)."
                    ) from None
            check_seconds = time.monotonic() - started
        write(f"migrate --check: no unapplied migrations ({check_seconds:.1f} s)")
        manifest = restored.manifest
        write(
            f"Compared: {len(manifest.tables)} tables and {manifest.rows:,} rows, counts and digests equal "
            f"to the backup's; {manifest.media.files} media files equal"
        )
        recovery = restored.seconds + check_seconds
        with_backup = f" (with the backup, {recovery + backup_seconds:.1f} s)" if backup_seconds else ""
        write(self.style.SUCCESS(f"Drill passed: restore and check took {recovery:.1f} s{with_backup}."))

    def _steps(self, steps: dict[str, float]) -> None:
        for step, seconds in steps.items():
            self.stdout.write(f"  {step:<40} {seconds:6.1f} s")
