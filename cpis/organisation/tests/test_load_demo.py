"""`make demo` a second time, on a demo that has been used: the database is
rebuilt from a new file, because access-log entries are never deleted."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

USED_THEN_REBUILT = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.management import call_command
    from django.db.models import ProtectedError
    from cpis.accounts.audit import log_personal_data_access
    from cpis.accounts.models import AccessLogEntry, User
    from cpis.organisation.management.commands.load_demo import rebuild_sqlite_database

    call_command("migrate", interactive=False, verbosity=0)
    user = User.objects.create(username="directorate")
    # what opening an officer's page writes
    log_personal_data_access(user_id=user.pk, subject_type="organisation.officer", subject_id=1, request=None)
    try:
        User.objects.all().delete()  # what clearing the demo in place would do
    except ProtectedError:
        print("in place: ProtectedError")
    rebuild_sqlite_database()
    print("rebuilt:", User.objects.count(), AccessLogEntry.objects.reads().count())
    user = User.objects.create(username="directorate")  # the tables are there again
    print("migrated:", User.objects.filter(username="directorate").exists())
    """
)


def _run(code: str, database: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cpis.settings.test",
        "DATABASE_URL": f"sqlite:///{database}",
    }
    return subprocess.run(  # noqa: S603 -- our own interpreter and script
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_a_used_demo_database_is_rebuilt_from_a_new_file(tmp_path):
    database = tmp_path / "demo.sqlite3"
    result = _run(USED_THEN_REBUILT, database)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["in place: ProtectedError", "rebuilt: 0 0", "migrated: True"]


def test_fresh_refuses_a_database_that_is_not_a_sqlite_file(db):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="SQLite database file"):
        call_command("load_demo", fresh=True, scale="small")
