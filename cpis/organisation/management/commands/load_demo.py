from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connections, models, transaction
from django.utils import timezone

from cpis.accounts.demo import instructions as demo_second_factor_instructions
from cpis.core import registry
from cpis.organisation.demo import DEMO_PASSWORD, load_demo

SQLITE = "django.db.backends.sqlite3"


class Command(BaseCommand):
    help = "Replace the organisation data with the deterministic demo set and print the demo logins."

    def add_arguments(self, parser: CommandParser) -> None:
        # small: two regions (tests); standard: the whole country with about 200,000
        # incidents; national: the same with 1,000,000 incidents.
        parser.add_argument("--scale", choices=["small", "standard", "national"], default="standard")
        parser.add_argument("--seed", type=int, default=2012)
        parser.add_argument(
            "--fresh",
            action="store_true",
            help="Start from a new, migrated SQLite file (and no uploaded files) instead of deleting "
            "rows: a demo that has been used keeps access-log entries, which are never deleted.",
        )

    def handle(self, *args: Any, scale: str, seed: int, fresh: bool, **options: Any) -> None:
        if fresh:
            rebuild_sqlite_database()
        # Higher apps add their demo data through the `demo` module their
        # AppConfig names (with clear_demo() and load_demo()), so this lower
        # app never imports them.
        extensions = registry.demo_modules()
        today = timezone.localdate()
        with transaction.atomic():
            for extension in reversed(extensions):
                extension.clear_demo()
            logins = load_demo(scale=scale, seed=seed, today=today)
            lines = [line for e in extensions for line in e.load_demo(scale=scale, seed=seed, today=today)]
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded ({scale}, seed {seed})."))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        width = max(len(login.username) for login in logins)
        for login in logins:
            mark = " *" if login.second_factor else ""
            self.stdout.write(f"  {login.username.ljust(width)}  {login.role} – {login.place}{mark}")
        if any(login.second_factor for login in logins):
            self.stdout.write("\n".join(demo_second_factor_instructions()))
        for line in lines:
            self.stdout.write(line)


def rebuild_sqlite_database() -> None:
    """Replace the SQLite database file by a new, migrated one, and delete the
    files its rows pointed to."""
    database = connections["default"].settings_dict
    name = str(database["NAME"])
    if database["ENGINE"] != SQLITE or name == ":memory:" or name.startswith("file:"):
        raise CommandError("--fresh rebuilds a SQLite database file; this database is not one.")
    _delete_uploaded_files()
    connections.close_all()
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(name + suffix).unlink(missing_ok=True)
    call_command("migrate", interactive=False, verbosity=0)


def _delete_uploaded_files() -> None:
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField):
                continue
            try:
                stored = model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True)
                names = list(stored)
            except DatabaseError:  # a table not migrated yet has no uploads
                continue
            for name in names:
                default_storage.delete(name)
