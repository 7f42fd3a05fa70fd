"""Fault tests print one `FIGURES` line each; docs/reliability.md quotes them (run with `-s` to see them)."""
from __future__ import annotations

import json
from typing import Any


def report(test: str, **figures: Any) -> None:
    print(f"\nFIGURES {test} {json.dumps(figures, sort_keys=True)}", flush=True)
