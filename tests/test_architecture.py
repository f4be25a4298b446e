"""The layer rules of docs/architecture.md, checked by import-linter."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_contracts_hold():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def _contract(name_start: str) -> dict:
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["contracts"]
    return next(c for c in config if c["name"].startswith(name_start))


def _layer_names(contract: dict) -> set[str]:
    names: set[str] = set()
    for layer in contract["layers"]:
        for part in layer.replace(":", "|").split("|"):
            names.add(part.strip().strip("()"))
    return names


def _modules_of(package: Path) -> set[str]:
    """The modules and subpackages directly inside an app (not its tests, migrations or data)."""
    skip = {"tests", "migrations", "templates", "static", "data", "demo_data", "__pycache__"}
    found = set()
    for child in package.iterdir():
        if child.name.startswith("__") or child.name in skip:
            continue
        if child.suffix == ".py":
            found.add(child.stem)
        elif child.is_dir() and (child / "__init__.py").exists():
            found.add(child.name)
    return found


def test_the_contract_names_every_kind_of_module_an_app_has():
    """A module the inside-an-app contract does not name is outside every layer rule:
    a new kind of module must be placed in the contract (and so in the architecture)."""
    contract = _contract("Inside an app")
    named = _layer_names(contract)
    unnamed = {
        f"{app}.{module}"
        for app in (name.removeprefix("cpis.") for name in contract["containers"])
        for module in _modules_of(ROOT / "cpis" / app) - named
    }
    assert not unnamed, f"add these to the inside-an-app contract in pyproject.toml: {sorted(unnamed)}"


def test_every_app_is_a_container_of_the_inside_an_app_contract():
    contract = _contract("Inside an app")
    apps = {
        f"cpis.{path.parent.name}" for path in (ROOT / "cpis").glob("*/apps.py") if path.parent.name != "core"
    }
    assert apps <= set(contract["containers"])


def test_the_kernel_contract_names_every_module_of_core():
    contract = _contract("The kernel's modules")
    unnamed = _modules_of(ROOT / "cpis" / "core") - _layer_names(contract)
    assert not unnamed, f"add these to the kernel's contract in pyproject.toml: {sorted(unnamed)}"
