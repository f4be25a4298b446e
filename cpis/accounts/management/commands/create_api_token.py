from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from cpis.accounts.models import User
from cpis.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Issue an API token for a user and print it once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("name", help="What the token is for, e.g. 'municipal dashboard'")

    def handle(self, *args: Any, username: str, name: str, **options: Any) -> None:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username}.")
        _token, plaintext = create_api_token(user=user, name=name)
        self.stdout.write(plaintext)
