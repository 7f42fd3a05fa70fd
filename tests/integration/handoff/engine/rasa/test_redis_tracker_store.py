"""The Redis tracker store saves the (compacted) tracker as it is: one SET, no read-back, no growing value."""
from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit

import pytest

from handoff.engine.rasa.compaction import TrackerWindow, compacted
from handoff.engine.rasa.redis_tracker_store import is_plain_redis, redis_tracker_store

pytestmark = [pytest.mark.integration, pytest.mark.redis]
pytest.importorskip("rasa.shared.core.trackers")
from rasa.core.tracker_store import RedisTrackerStore  # noqa: E402
from rasa.shared.core.domain import Domain  # noqa: E402
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered  # noqa: E402
from rasa.shared.core.trackers import DialogueStateTracker  # noqa: E402
from rasa.utils.endpoints import EndpointConfig  # noqa: E402

DOMAIN = Domain.from_yaml("""
version: "3.1"
intents: [greet]
slots:
  order_number:
    type: text
    mappings: [{type: custom}]
""")
WINDOW = TrackerWindow(keep=3, compact_after=6)


def endpoint() -> EndpointConfig:
    parts = urlsplit(os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
    return EndpointConfig(url=parts.hostname, port=parts.port or 6379, db=int(parts.path.lstrip("/") or 0),
                          key_prefix=f"test{uuid.uuid4().hex[:8]}", type="redis")


def one_turn(tracker: DialogueStateTracker, number: int) -> None:
    tracker.update(UserUttered(f"Nachricht {number}", {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(BotUttered(f"Antwort {number}"))
    tracker.update(ActionExecuted("action_listen"))


async def test_a_long_conversation_stays_small_in_redis():
    config = endpoint()
    assert is_plain_redis(config, None) and not is_plain_redis(config, object())
    store = redis_tracker_store(config, DOMAIN)
    tracker = DialogueStateTracker("kunde-1", DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    tracker.update(SlotSet("order_number", "NW-482913"))
    sizes = []
    for number in range(60):
        tracker = await store.retrieve("kunde-1") or tracker
        one_turn(tracker, number)
        tracker = compacted(tracker, DOMAIN, WINDOW)
        await store.save(tracker)
        sizes.append(len(store.red.get(store.key_prefix + "kunde-1")))
    stored = await store.retrieve("kunde-1")
    texts = [event.text for event in stored.events if isinstance(event, UserUttered)]
    assert texts[-1] == "Nachricht 59" and len(texts) <= WINDOW.compact_after
    assert stored.get_slot("order_number") == "NW-482913"
    assert max(sizes[30:]) <= max(sizes[:20]) + 100, "the stored value does not grow with the conversation"
    store.red.delete(store.key_prefix + "kunde-1")


async def test_rasas_own_store_would_keep_growing():
    """Why the product does not use it: its read-merge-write appends every compacted tracker to the old events."""
    config = endpoint()
    store = RedisTrackerStore(DOMAIN, host=config.url, **config.kwargs)
    tracker = DialogueStateTracker("kunde-2", DOMAIN.slots)
    tracker.update(ActionExecuted("action_listen"))
    sizes = []
    for number in range(40):
        tracker = await store.retrieve("kunde-2") or tracker
        one_turn(tracker, number)
        tracker = compacted(tracker, DOMAIN, WINDOW)
        await store.save(tracker)
        sizes.append(len(store.red.get(store.key_prefix + "kunde-2")))
    assert sizes[-1] > 2 * sizes[10]
    store.red.delete(store.key_prefix + "kunde-2")
