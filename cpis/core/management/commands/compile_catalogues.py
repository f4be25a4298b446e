from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from cpis.core.catalogues import compile_all


class Command(BaseCommand):
    help = "Compile every .po catalogue to .mo (pure Python: no gettext tools needed to run CPIS)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = compile_all(settings.LOCALE_PATHS[0])
        self.stdout.write(f"{count} catalogues compiled.")
