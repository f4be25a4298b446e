from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from cpis.accounts.models import AccessLogEntry

APPEND_ONLY_TABLES = [AccessLogEntry._meta.db_table]


def grant_statements(role: str, schema: str = "public") -> list[str]:
    """What lets `role` run the application on the tables the migrations made
    (read and write every table but only read and add to the access log), and
    on the tables later migrations make."""
    defaults = f'ALTER DEFAULT PRIVILEGES IN SCHEMA "{schema}" GRANT'
    statements = [
        f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"',
        f'GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA "{schema}" TO "{role}"',
        f'{defaults} SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}"',
        f'{defaults} USAGE, SELECT, UPDATE ON SEQUENCES TO "{role}"',
    ]
    for table in APPEND_ONLY_TABLES:
        statements.append(f'REVOKE UPDATE, DELETE, TRUNCATE ON "{schema}"."{table}" FROM "{role}"')
    return statements


class Command(BaseCommand):
    help = (
        "PostgreSQL: give the application's database role what it needs, but only SELECT and INSERT "
        "on the personal-data access log. Run it as the role that owns the tables (the one that runs "
        "the migrations), after every migration that adds tables."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the role the application connects as")

    def handle(self, *args: Any, role: str, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Database roles are PostgreSQL's; SQLite has none to grant.")
        if not role.replace("_", "").isalnum():
            raise CommandError("A role name of letters, digits and underscores, please.")
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user")
            (owner,) = cursor.fetchone()
            if owner == role:
                raise CommandError(
                    f"{role} is the role this command runs as; run it as the owner of the tables "
                    "and name the application's role."
                )
            for statement in grant_statements(role):
                cursor.execute(statement)
        self.stdout.write(
            self.style.SUCCESS(f"{role} may use every table; the access log only to read and add.")
        )
