"""`cpis backup_key FILE`: a new age identity for backups, written to FILE (readable by
its owner only), and the public recipient to give the server that makes the backups.
Keep FILE away from that server: whoever holds it can read every backup."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.core import backups


class Command(BaseCommand):
    help = "Create the key pair of the backups: the identity (secret) in FILE, the recipient printed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "identity", type=Path, help="Where to write the new identity (never over a file)."
        )

    def handle(self, *args: Any, identity: Path, **options: Any) -> None:
        if identity.exists():
            try:
                recipients = backups.identity_recipients(identity)
            except backups.BackupError as error:
                raise CommandError(
                    f"{identity} exists and is not an identity file: it is not overwritten."
                ) from error
            raise CommandError(
                f"{identity} exists: it is not overwritten. Its recipient: {', '.join(recipients)}"
            )
        try:
            recipient = backups.write_identity(identity)
        except backups.BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(self.style.SUCCESS(f"Identity written to {identity} (keep it off the server)."))
        self.stdout.write("Recipient, for the server's recipients file (backup --recipients-file):")
        self.stdout.write(recipient)
