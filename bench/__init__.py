"""Benchmarks of the Nordwind support service against plain Rasa (`python -m bench`, docs/performance.md)."""
