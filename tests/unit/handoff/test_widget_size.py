"""The customer widget is served as written (no build step), so its source size is what every shop visitor loads."""
from __future__ import annotations

from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parents[3] / "handoff" / "static"
# Product target: the whole widget (loader, modules, stylesheet) under 40 KB uncompressed.
MAX_WIDGET_BYTES = 40_000


def widget_files() -> list[Path]:
    return [STATIC / "widget.js", STATIC / "widget.css", *sorted((STATIC / "widget").glob("*.js"))]


@pytest.mark.unit
def test_widget_files_exist():
    files = widget_files()
    assert all(path.is_file() for path in files)
    assert len(files) > 2, "the widget's ES modules are missing"


@pytest.mark.unit
def test_widget_stays_under_the_size_budget():
    sizes = {path.name: path.stat().st_size for path in widget_files()}
    assert sum(sizes.values()) < MAX_WIDGET_BYTES, f"widget is {sum(sizes.values())} bytes: {sizes}"
