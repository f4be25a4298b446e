"""The embedded SQLite default takes concurrent submissions without
"database is locked" and without doubling anything."""

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).parent / "scripts" / "concurrent_submissions.py"


def test_concurrent_submissions_on_sqlite_lose_and_double_nothing(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'cpis.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "cpis.settings.test",
    }
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "8", "15"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["errors"] == []
    assert report["rows"] == report["keys"]
    assert report["codes_per_key"] == 1
