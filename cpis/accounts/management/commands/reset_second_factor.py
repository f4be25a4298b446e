from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.accounts.models import User
from cpis.accounts.services import reset_second_factor


class Command(BaseCommand):
    help = (
        "Forget a user's second factors (a lost phone or security key): apps, passkeys and recovery "
        "codes. At the next sign-in a role that requires one sets it up again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username}.")
        reset_second_factor(user=user)
        self.stdout.write(f"{username}: second factors removed; they set one up at their next sign-in.")
