"""The layers of docs/architecture.md ("Module map"), checked on the source: arrows point inwards only."""
from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HANDOFF = ROOT / "handoff"

pytestmark = pytest.mark.unit


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def sources(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def test_no_table_is_imported_outside_the_store():
    # bench/reports_data.py bulk-loads a year of data with COPY in the tables' column order: a tool, not the product.
    outside = [path for path in sources(ROOT / "handoff") + sources(ROOT / "actions")
               if HANDOFF / "store" not in path.parents and HANDOFF / "migrations" not in path.parents]
    offenders = [str(path.relative_to(ROOT)) for path in outside
                 if any(name.startswith("handoff.store.tables") for name in imported_modules(path))]
    assert offenders == []


def test_the_domain_imports_only_the_standard_library_and_itself():
    allowed = set(sys.stdlib_module_names) | {"__future__"}
    offenders = {}
    for path in sources(HANDOFF / "domain"):
        foreign = {name for name in imported_modules(path)
                   if name.split(".")[0] not in allowed and not name.startswith("handoff.domain")}
        if foreign:
            offenders[str(path.relative_to(ROOT))] = sorted(foreign)
    assert offenders == {}


def test_the_store_never_imports_services_or_web():
    offenders = [str(path.relative_to(ROOT)) for path in sources(HANDOFF / "store")
                 if any(name.startswith(("handoff.services", "handoff.web")) for name in imported_modules(path))]
    assert offenders == []


def test_services_never_import_web():
    offenders = [str(path.relative_to(ROOT)) for path in sources(HANDOFF / "services")
                 if any(name.startswith("handoff.web") for name in imported_modules(path))]
    assert offenders == []


def test_the_web_process_never_imports_rasa_at_module_level():
    """Rasa runs in the bot process (handoff/engine/process.py); handoff/engine/rasa/ is its only home."""
    web_side = [path for path in sources(HANDOFF) if HANDOFF / "engine" / "rasa" not in path.parents
                and path.name != "rasa_cli.py" and HANDOFF / "training" not in path.parents]
    offenders = []
    for path in web_side:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:   # module level only: a function may import Rasa when it runs in the bot process
            names = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(name.split(".")[0] in ("rasa", "rasa_sdk") for name in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_use_cases_reach_the_database_only_through_the_unit_of_work_module():
    """Services and the trainer loop open no connection or transaction of their own: reading(), transaction()
    and unit_of_work() in handoff/services/unit_of_work.py are the doors (events published after commit)."""
    doors = HANDOFF / "services" / "unit_of_work.py"
    offenders = []
    for path in sources(HANDOFF / "services") + sources(HANDOFF / "training"):
        if path == doors:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("begin", "begin_nested", "connect")):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
