"""`python -m handoff serve` (what `make run` ends with) with the real model: few lines, no third-party noise, then
the banner; the admin password only on the first start."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from tests.integration.handoff.web.server import REPO_ROOT, free_port

BANNER_END = "Stop with Ctrl+C."
MAX_LINES_BEFORE_BANNER = 25
# Python warnings ("DeprecationWarning: ..."), Sanic's deprecations, TensorFlow/CUDA notices, library INFO lines;
# the product's own WARNING lines (a setting to look at) are fine.
NOISE = re.compile(r"\w+Warning: |DEPRECATION|tensorflow|oneDNN|cuda|Registered function|is not used in any story")
START_SECONDS = 240


def start_once(model: Path, database: Path) -> list[str]:
    """The output up to the end of the banner (the server is stopped then)."""
    environment = {key: value for key, value in os.environ.items() if key not in ("VERBOSE", "LOG_FORMAT")}
    environment.update({"MODEL_PATH": str(model), "DATABASE_URL": f"sqlite:///{database}", "PORT": str(free_port()),
                        "HOST": "127.0.0.1", "ADMIN_EMAIL": "admin@nordwind.test"})
    environment.pop("ADMIN_PASSWORD", None)
    process = subprocess.Popen([sys.executable, "-m", "handoff", "serve"], cwd=REPO_ROOT, env=environment,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    deadline = time.monotonic() + START_SECONDS
    try:
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line.rstrip("\n"))
            if BANNER_END in line or time.monotonic() > deadline:
                break
    finally:
        process.terminate()
        try:
            process.communicate(timeout=60)   # read on: a full pipe would block the shutdown's log lines
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
    assert any(BANNER_END in line for line in lines), "\n".join(lines[-40:])
    return lines


def test_serve_is_quiet_until_its_banner_and_shows_the_password_once(trained_model_path: Path, tmp_path) -> None:
    database = tmp_path / "handoff.db"
    first = start_once(trained_model_path, database)
    banner_start = next(index for index, line in enumerate(first) if "assistant is running" in line)
    before_banner = first[:banner_start - 1]          # the banner's top rule belongs to the banner
    assert len(before_banner) <= MAX_LINES_BEFORE_BANNER, "\n".join(before_banner)
    assert not [line for line in before_banner if NOISE.search(line)], "\n".join(before_banner)
    assert any("bot process" in line and "ready" in line for line in before_banner)
    [login] = [line for line in first if "Admin login" in line]
    assert "shown only now" in login

    second = start_once(trained_model_path, database)
    [login] = [line for line in second if "Admin login" in line]
    assert "shown only now" not in login and "as shown on the first start" in login
