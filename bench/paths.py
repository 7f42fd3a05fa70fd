"""Where the suite finds the project and keeps its cache and reports (relative to the repository root)."""
from __future__ import annotations

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = REPO_ROOT / "bench"
CACHE_DIR = BENCH_DIR / ".cache"
RESULTS_DIR = BENCH_DIR / "results"
PRODUCT_MODEL = REPO_ROOT / "models" / "nordwind.tar.gz"
DEMO_ORDERS = REPO_ROOT / "actions" / "demo_orders.json"
VENV_BIN = Path(sys.executable).parent
RASA_BIN = VENV_BIN / "rasa"
PYTHON_BIN = Path(sys.executable)
