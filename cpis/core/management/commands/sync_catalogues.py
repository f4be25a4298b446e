from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.core.catalogues import sync


class Command(BaseCommand):
    help = (
        "Generate the Serbian Latin catalogue from the Cyrillic one and the English one from the "
        "source strings; with --check, change nothing and fail if either is stale or if any "
        "catalogue has an empty or fuzzy entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true")

    def handle(self, *args: Any, check: bool, **options: Any) -> None:
        problems = sync(settings.LOCALE_PATHS[0], write=not check)
        for problem in problems:
            self.stderr.write(str(problem))
        if problems:
            raise CommandError(f"{len(problems)} catalogue problems.")
        self.stdout.write("Catalogues are complete and in step.")
