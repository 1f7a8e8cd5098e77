"""The floors of DESIGN.md, kept by import-linter's `layers` contract (pyproject.toml): the
contract holds, an upward import breaks it, and no app of the project is left off it."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT_IMPORTS = str(Path(sys.executable).with_name("lint-imports"))


def _config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo"],
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(cwd)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _layer_modules(config) -> set[str]:
    contract = next(c for c in config["contracts"] if c["id"] == "floors")
    names = set()
    for layer in contract["layers"]:
        for part in layer.replace("|", ":").split(":"):
            names.add(part.strip().strip("()"))
    return names


def test_the_floors_hold():
    result = _lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 2 kept, 0 broken." in result.stdout


def test_an_upward_import_breaks_the_build(tmp_path):
    # A copy of the code with one deliberate upward import: cases reads departure.
    for package in _config()["root_packages"]:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "templates", "static"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    assert _lint(tmp_path).returncode == 0
    (tmp_path / "cases" / "upward.py").write_text("from departure.models import Measure\n")
    result = _lint(tmp_path)
    assert result.returncode != 0
    assert "cases is not allowed to import departure" in result.stdout
    assert "cases.upward -> departure.models" in result.stdout


def test_every_app_of_the_project_is_on_a_floor():
    config = _config()
    floors = _layer_modules(config)
    ours = [
        app.name
        for app in apps.get_app_configs()
        if Path(app.path).is_relative_to(ROOT) and ".venv" not in Path(app.path).parts
    ]
    assert ours, "the project's apps were not found"
    for name in ours:
        if name == "bench":
            continue  # the benchmark: the product never imports it (a contract of its own)
        assert name.split(".")[0] in config["root_packages"], name
        assert name in floors or name.split(".")[0] in floors, f"{name} is on no floor"
