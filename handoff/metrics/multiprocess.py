"""Several workers, one /metrics: prometheus-client's multi-process mode (PROMETHEUS_MULTIPROC_DIR).

The client chooses its value store when it is first imported, so the directory must be in the environment
before that: `python -m handoff serve --workers N` sets it up in the main process before the app is imported,
and every worker inherits it. A worker's files stay after it stops (its counters still count) but its live
gauges are marked dead.
"""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import MutableMapping

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"


def enabled() -> bool:
    return bool(os.environ.get(MULTIPROC_DIR))


def prepare(environ: MutableMapping[str, str], workers: int) -> Path | None:
    """In the main process, before workers start: a clean directory (the files of an earlier run would add
    their counts to this one). With more than one worker and none configured, a private temporary one."""
    configured = environ.get(MULTIPROC_DIR)
    if not configured:
        if workers <= 1:
            return None
        configured = tempfile.mkdtemp(prefix="nordwind-metrics-")
        environ[MULTIPROC_DIR] = configured
    directory = Path(configured)
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()
    return directory


def worker_stopped() -> None:
    if enabled():
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(os.getpid())
