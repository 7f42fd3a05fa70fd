"""What a bot engine needs of the app's Settings, as one small picklable object (it travels to the bot process)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_TRACKERS_KEPT = 5000


@dataclass(frozen=True)
class EngineSettings:
    model_path: Path
    endpoints_path: Path | None
    timeout_seconds: float
    # Conversations whose Rasa tracker the default in-memory store keeps (handoff/engine/rasa/tracker_store.py).
    trackers_kept: int = DEFAULT_TRACKERS_KEPT
    # Rasa on a thread of its own keeps a web loop in the same process free; the bot process has none to keep.
    bot_thread: bool = True
    # The service's database: trackers that leave the in-memory store are kept there (bot_trackers); None: lost.
    database_url: str | None = None


def engine_settings(settings: Any) -> EngineSettings:
    """What the engine needs of the app's Settings."""
    endpoints = getattr(settings, "endpoints", None) or getattr(settings, "endpoints_path", None)
    return EngineSettings(
        model_path=Path(settings.model_path),
        endpoints_path=Path(endpoints) if endpoints else None,
        timeout_seconds=float(getattr(settings, "bot_timeout_seconds", 10.0)),
        trackers_kept=int(getattr(settings, "bot_trackers_kept", DEFAULT_TRACKERS_KEPT)),
        database_url=getattr(settings, "database_url", None),
    )
