"""Fault-test fixtures: own throwaway PostgreSQL / Redis instances, always torn down."""
from __future__ import annotations

from typing import Iterator

import pytest

from tests.faults.infra import OwnPostgres, OwnRedis

FAULTS_DIRECTORY = "tests/faults/"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every test in this directory carries the `faults` marker (`make test-faults`, `-m faults`)."""
    for item in items:
        if FAULTS_DIRECTORY in item.nodeid:
            item.add_marker(pytest.mark.faults)


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
