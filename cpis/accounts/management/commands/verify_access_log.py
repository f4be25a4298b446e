from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.accounts.audit import verify_chain


def _anchor(value: str) -> tuple[int, str]:
    seq, _, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise CommandError("--anchor takes SEQ:HASH as this command printed it, e.g. 1234:9f86d0…")
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = (
        "Check the personal-data access log's hash chain: every entry unchanged, none removed or "
        "inserted. Prints the head (SEQ:HASH); note it down, and give it as --anchor next time to "
        "prove the newest entries were not removed since. Exits 1 on a break."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--anchor", help="a head printed by an earlier run, as SEQ:HASH")

    def handle(self, *args: Any, anchor: str | None, **options: Any) -> None:
        check = verify_chain(anchor=_anchor(anchor) if anchor else None)
        if not check.intact:
            raise CommandError(
                f"The access log is broken at entry {check.broken_at}: {check.problem}. "
                f"{check.entries} entries read up to it."
            )
        self.stdout.write(self.style.SUCCESS(f"The access log is intact: {check.entries} entries."))
        self.stdout.write(f"Head: {check.head_seq}:{check.head_hash}")
