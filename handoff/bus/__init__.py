"""Realtime fan-out (bus) and agent presence; see base.py for the interfaces and factory.py to build them."""
