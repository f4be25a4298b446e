"""`cpis restore ARCHIVE --identity FILE`: the database and the media files back from an
archive of `cpis backup`, checked against its manifest (row counts and a digest of every
table). Stop the web server and the workers first. A database or media folder that is not
empty is replaced only with --force; a damaged archive or a wrong key changes nothing."""

from pathlib import Path
from typing import Any

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper

from cpis.core import backups


class Command(BaseCommand):
    help = "Restore the database and the media files from an encrypted backup, and check them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)
        parser.add_argument(
            "--identity", type=Path, required=True, help="The identity file (AGE-SECRET-KEY-1…)."
        )
        parser.add_argument(
            "--into",
            metavar="DATABASE_URL",
            help="Restore into this database instead of the configured one (e.g. a scratch database).",
        )
        parser.add_argument(
            "--media-root", type=Path, help="Restore the media files here (default: MEDIA_ROOT)."
        )
        parser.add_argument(
            "--force", action="store_true", help="Replace a database and a media folder that are not empty."
        )
        parser.add_argument(
            "--work-dir", type=Path, help="Where to extract the archive (default: beside the media)."
        )

    def handle(
        self,
        *args: Any,
        archive: Path,
        identity: Path,
        into: str | None,
        media_root: Path | None,
        force: bool,
        work_dir: Path | None,
        **options: Any,
    ) -> None:
        # call_command passes options untouched by argparse.
        archive, identity = Path(archive), Path(identity)
        media_root = Path(media_root) if media_root else None
        work_dir = Path(work_dir) if work_dir else None
        try:
            identities = backups.read_identities(identity)
            if into is None:
                result = self._restore(
                    archive, identities, connections["default"], media_root, force, work_dir
                )
            else:
                with backups.database_alias(dict(dj_database_url.parse(into))) as target:
                    result = self._restore(archive, identities, target, media_root, force, work_dir)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {result.manifest.created} into {result.target} in "
                f"{result.seconds:.1f} s: {result.manifest.summary}, equal to its manifest."
            )
        )

    def _restore(
        self,
        archive: Path,
        identities: list[backups.Identity],
        target: BaseDatabaseWrapper,
        media_root: Path | None,
        force: bool,
        work_dir: Path | None,
    ) -> backups.RestoreResult:
        self.stdout.write(f"Restoring {archive} into {backups.database_label(target)}")
        return backups.restore_backup(
            archive=archive,
            identities=identities,
            target=target,
            media_root=media_root or Path(settings.MEDIA_ROOT),
            force=force,
            work_dir=work_dir,
            progress=lambda step: self.stdout.write(f"  {step}"),
        )
