"""The newcomer's promise: on a clean checkout `make test` and `make run` set the machine and the project up first.

`make -n` prints what would run without running it, in a copy of the checkout without .venv and models."""
from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_SCRIPT = "requirements/system.sh"


@pytest.fixture()
def clean_checkout(tmp_path: Path) -> Path:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    for name in ("Makefile", "config.yml", "domain.yml"):
        shutil.copy(ROOT / name, checkout / name)
    for name in ("requirements", "data", "bot"):
        shutil.copytree(ROOT / name, checkout / name, ignore=shutil.ignore_patterns("__pycache__"))
    return checkout


def dry_run(checkout: Path, target: str) -> str:
    result = subprocess.run(["make", "-n", target], cwd=checkout, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "VERBOSE": "0"})
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_make_test_sets_up_the_machine_then_the_venv_then_runs_pytest(clean_checkout: Path) -> None:
    out = dry_run(clean_checkout, "test")
    steps = [f"{SYSTEM_SCRIPT} test", "-m venv .venv", "-r requirements/rasa.txt", "-r requirements/lock.txt",
             "-r requirements/schemathesis.txt", "-m pytest"]
    positions = [out.find(step) for step in steps]
    assert -1 not in positions, dict(zip(steps, positions))
    assert positions == sorted(positions)


def test_make_run_sets_up_trains_and_serves(clean_checkout: Path) -> None:
    out = dry_run(clean_checkout, "run")
    steps = [f"{SYSTEM_SCRIPT} run", "-m venv .venv", "-r requirements/lock.txt", "-m handoff train",
             "-m handoff serve"]
    positions = [out.find(step) for step in steps]
    assert -1 not in positions, dict(zip(steps, positions))
    assert positions == sorted(positions)
    assert "apt-get" not in out, "the machine's set-up lives in requirements/system.sh, not in the Makefile"


def _fake_commands(bin_dir: Path, uid: int, installed: set[str]) -> None:
    """`id` and `dpkg-query` as a machine without root and without some packages would answer."""
    bin_dir.mkdir()
    (bin_dir / "id").write_text(f"#!/bin/sh\necho {uid}\n")
    cases = "\n".join(f"  {name}) echo 'install ok installed';;" for name in sorted(installed))
    (bin_dir / "dpkg-query").write_text(f"#!/bin/sh\nfor last; do :; done\ncase \"$last\" in\n{cases}\n"
                                        "  *) exit 1;;\nesac\n")
    for tool in bin_dir.iterdir():
        tool.chmod(0o755)


def test_without_root_one_line_names_the_missing_debian_packages(clean_checkout: Path, tmp_path: Path) -> None:
    (clean_checkout / "requirements" / "debian.txt").write_text(
        "# comment line\npostgresql   # database tests\nchromium     # browser tests\nredis-server # bus\n")
    (clean_checkout / ".venv" / "bin").mkdir(parents=True)
    (clean_checkout / ".venv" / "bin" / "python").symlink_to(shutil.which("python3") or "/usr/bin/python3")
    _fake_commands(tmp_path / "bin", uid=1000, installed={"postgresql"})
    result = subprocess.run(["bash", SYSTEM_SCRIPT, "test"], cwd=clean_checkout, capture_output=True, text=True,
                            env={**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}"}, timeout=60)
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert "sudo apt-get install chromium redis-server" in lines[0]
    assert "postgresql" not in lines[0]


def test_nothing_missing_means_nothing_printed(clean_checkout: Path, tmp_path: Path) -> None:
    (clean_checkout / "requirements" / "debian.txt").write_text("chromium  # browser tests\n")
    (clean_checkout / ".venv" / "bin").mkdir(parents=True)
    (clean_checkout / ".venv" / "bin" / "python").symlink_to(shutil.which("python3") or "/usr/bin/python3")
    _fake_commands(tmp_path / "bin", uid=1000, installed={"chromium"})
    result = subprocess.run(["bash", SYSTEM_SCRIPT, "test"], cwd=clean_checkout, capture_output=True, text=True,
                            env={**os.environ, "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
                                 "TEST_DATABASE_URL": "postgresql+asyncpg://u@db.example:5432/t",
                                 "TEST_REDIS_URL": "redis://cache.example:6379/0"}, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout == result.stderr == ""
