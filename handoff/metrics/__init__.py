"""Prometheus metrics for operators (issue 19): the families (`families.py`), the calls where things happen
(`record.py`), the multi-process directory (`multiprocess.py`) and the exposition (`exposition.py`).

Naming: one prefix `nordwind_`, base units (`_seconds`), `_total` for counters, histograms for latency; labels
only from small fixed sets (channel, sender type, reason code, status), never ids, addresses or texts.
"""
