from typing import Any

from django.core.management.base import BaseCommand

from cpis.accounts.demo import current_demo_code


class Command(BaseCommand):
    help = (
        "Print the current code of the demo's published authenticator-app secret (the demo logins' "
        "second factor). It knows no other secret."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(current_demo_code())
