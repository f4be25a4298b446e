"""`cpis backup DEST --recipients-file FILE`: one encrypted archive of the database and the
uploaded files (see cpis.core.backups), for cron. DEST is a folder, where the archive is
named by the time (and `--keep-days` prunes older ones), or a file name."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from cpis.core import backups


class Command(BaseCommand):
    help = "Write an encrypted backup of the database and the media files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", type=Path, help="A folder (archive named by the time) or a file.")
        parser.add_argument(
            "--recipient", action="append", default=[], help="A public age recipient (age1…); repeatable."
        )
        parser.add_argument(
            "--recipients-file",
            action="append",
            default=[],
            type=Path,
            help="A file of recipients, one a line (# comments); repeatable.",
        )
        parser.add_argument("--database", default="default", help="The database alias (default: default).")
        parser.add_argument(
            "--keep-days",
            type=int,
            help="With a folder: then delete the archives in it made more than this many days ago.",
        )

    def handle(
        self,
        *args: Any,
        destination: Path,
        recipient: list[str],
        recipients_file: list[Path],
        database: str,
        keep_days: int | None,
        **options: Any,
    ) -> None:
        destination = Path(destination)  # call_command passes options untouched by argparse
        if keep_days is not None and (keep_days < 1 or not destination.is_dir()):
            raise CommandError("--keep-days needs a folder as destination and a number of days of 1 or more.")
        try:
            recipients = backups.parse_recipients(recipient, [Path(p) for p in recipients_file])
            result = backups.make_backup(
                destination=destination,
                recipients=recipients,
                media_root=Path(settings.MEDIA_ROOT),
                alias=database,
            )
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {result.path} ({result.bytes:,} bytes, {result.seconds:.1f} s): "
                f"{result.manifest.summary}."
            )
        )
        self.stdout.write(f"sha256 {result.sha256}")
        if keep_days is not None:
            for path in backups.prune(destination, keep_days=keep_days, now=timezone.now()):
                self.stdout.write(f"Deleted {path} (older than {keep_days} days).")
