"""The Rasa 3.6 bot engine: the agent host (engine.py), faster Rasa internals (speedups.py), the bounded
in-memory tracker store (tracker_store.py) and the repeat guard over the tracker's events (repeat_guard.py)."""
