"""Fault-test fixtures: own throwaway PostgreSQL / Redis instances, always torn down."""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.faults.infra import OwnPostgres, OwnRedis


@pytest.fixture
def own_postgres() -> Iterator[OwnPostgres]:
    instance = OwnPostgres.create()
    try:
        yield instance
    finally:
        instance.destroy()


@pytest.fixture
def own_redis() -> Iterator[OwnRedis]:
    instance = OwnRedis.create()
    try:
        yield instance
    finally:
        instance.destroy()
