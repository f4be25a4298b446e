"""What the benchmarks on the real stack share: run `cpis` from .venv
against a benchmark database, and make that database afresh."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"


def run_cpis(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [str(BIN / "cpis"), *args], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def reset_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {name}")
