"""The real BotEngine: a Rasa 3.6 agent hosted in this process.

Custom actions run in-process by default through rasa_sdk's own ActionExecutor, plugged in where Rasa expects an
action server (`EndpointConfig.request`), so the request/response contract stays exactly the one an external action
server sees. When endpoints.yml names an action_endpoint, Rasa calls that server instead.
"""
from __future__ import annotations

import asyncio
import logging
import os
from pathlib import Path
from typing import Any

from handoff.engine.contract import BotMessage, BotReply, BotUnavailable, Button, DomainFacts
from handoff.engine.rasa import repeat_guard
# Also imported from here by the test suite and the trainer's evaluation (the name they know).
from handoff.engine.rasa.actions import IN_PROCESS_URL
from handoff.engine.rasa.actions import in_process_action_endpoint_class as _rasa_action_endpoint_class
from handoff.engine.rasa.compaction import TrackerWindow, compacted
from handoff.engine.rasa.redis_endpoint import is_redis
from handoff.engine.rasa.redis_lock import redis_conversation_locks
from handoff.engine.rasa.redis_tracker_store import is_plain_redis, redis_tracker_store
from handoff.engine.rasa import speedups as rasa_speedups
from handoff.engine.rasa.tracker_store import idle_evicting_tracker_store
from handoff.engine.settings import EngineSettings, engine_settings
from handoff.engine.thread import BotThread, SameLoop

logger = logging.getLogger(__name__)

ESCALATION_SLOT = "escalation"
# TensorFlow's default pools spread one message's small matrices over every core; with one thread each,
# parse_message took 15.3 instead of 22.6 ms (mean; p99 23 instead of 77 ms) on the 2-core benchmark machine
# (docs/performance.md). Set before TensorFlow starts; values from the environment win.
TF_THREAD_DEFAULTS = {"TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}
# Rasa 3.6 reports every turn as structlog events (parse data with the customer's text, slot values, events).
# Only `rasa run` configures structlog; hosted here it fell back to structlog's default, which prints every level
# to stdout: personal data in the output and ~1 ms of rendering per turn. Only warnings and errors are kept, and
# they go through the standard logging setup like everything else.
RASA_EVENT_MIN_LEVEL = logging.WARNING
# Slots a handoff or the service may want; anything else in the tracker is Rasa's business.
REPORTED_SLOTS = ("order_number", "order_total", "amount", "problem_description")


def quiet_rasa_events() -> None:
    """Route Rasa's structlog events through `logging`, dropping everything below RASA_EVENT_MIN_LEVEL."""
    import structlog

    structlog.configure(
        processors=[structlog.processors.KeyValueRenderer(key_order=["event"], drop_missing=True)],
        wrapper_class=structlog.make_filtering_bound_logger(RASA_EVENT_MIN_LEVEL),
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )


def _bot_messages(outputs: list[dict[str, Any]]) -> tuple[BotMessage, ...]:
    messages = []
    for output in outputs:
        buttons = tuple(
            Button(title=str(b.get("title", "")), payload=str(b.get("payload", "")))
            for b in output.get("buttons") or () if isinstance(b, dict)
        )
        custom = output.get("custom")
        text = output.get("text")
        if text or buttons:
            messages.append(BotMessage(text=text, buttons=buttons))
        if isinstance(custom, dict):
            messages.append(BotMessage(custom=custom))
    return tuple(messages)


def reply_from_tracker(outputs: list[dict[str, Any]], tracker: Any) -> BotReply:
    """What the customer gets, plus what Rasa understood of the message (for the transcript and the agent)."""
    parse = tracker.latest_message.parse_data if tracker.latest_message else {}
    intent = parse.get("intent") or {}
    slots = {name: tracker.get_slot(name) for name in REPORTED_SLOTS if tracker.slots.get(name) is not None}
    messages = repeat_guard.without_repetition(_bot_messages(outputs),
                                               repeat_guard.previous_reply_texts(tracker.events), intent.get("name"))
    return BotReply(
        messages=messages,
        intent=intent.get("name"),
        confidence=float(intent["confidence"]) if intent.get("confidence") is not None else None,
        tone=parse.get("tone"),
        escalation=tracker.get_slot(ESCALATION_SLOT) if ESCALATION_SLOT in tracker.slots else None,
        slots={k: v for k, v in slots.items() if v is not None},
    )


class RasaBotEngine:
    """Hosts one Rasa Agent; `swap_model` replaces its model without dropping conversations.

    Every use of the agent's trackers, locks and model runs on one loop: a BotThread's, so that a web loop in the
    same process never waits behind a message's NLU and policies, or (in the bot process) the process's own loop.
    Either way Rasa's in-memory stores are only ever touched from one loop.
    """

    model_loaded = True

    def __init__(self, agent: Any, timeout_seconds: float, bot_thread: BotThread | SameLoop | None = None,
                 window: TrackerWindow = TrackerWindow(), spill: Any = None, locks: Any = None) -> None:
        self.rasa_agent = agent
        self.timeout_seconds = timeout_seconds
        self.bot_thread = bot_thread or BotThread()
        self.window = window
        self.spill = spill   # its database engine lives on the bot's loop and is closed there
        # One turn per conversation at a time: Rasa's lock store, or ours for Redis (redis_lock.py).
        self.locks = locks

    @property
    def model_id(self) -> str | None:
        return self.rasa_agent.model_id

    async def reply(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotReply:
        try:
            return await asyncio.wait_for(self.bot_thread.run(self._handle(sender_id, text, metadata)),
                                          self.timeout_seconds)
        except asyncio.TimeoutError as error:
            logger.error("bot timed out after %.1fs for %s", self.timeout_seconds, sender_id)
            raise BotUnavailable("timeout") from error
        except BotUnavailable:
            raise
        except Exception as error:
            logger.exception("bot failed for %s", sender_id)
            raise BotUnavailable(type(error).__name__) from error

    async def _handle(self, sender_id: str, text: str, metadata: dict[str, Any] | None) -> BotReply:
        from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

        output = CollectingOutputChannel()
        message = UserMessage(text, output, sender_id, input_channel="nordwind", metadata=metadata)
        # Agent.handle_message minus the tracker round trip: the same steps as
        # MessageProcessor.handle_message (Rasa 3.6.21, pinned), keeping the tracker to read what NLU found.
        processor = self.rasa_agent.processor
        if processor is None:
            raise BotUnavailable("no model loaded")
        async with (self.locks or self.rasa_agent.lock_store).lock(sender_id):
            tracker = await processor.log_message(message, should_save_tracker=False)
            tracker = await processor.run_action_extract_slots(output, tracker)
            await processor._run_prediction_loop(output, tracker)
            await processor.run_anonymization_pipeline(tracker)
            reply = reply_from_tracker(output.messages, tracker)
            await processor.save_tracker(compacted(tracker, processor.domain, self.window))
        return reply

    async def swap_model(self, model_path: Path) -> str | None:
        """Load a model off the event loop, then switch to it in one assignment (trackers stay in the store)."""
        from rasa.core.processor import MessageProcessor

        agent = self.rasa_agent
        processor = await asyncio.to_thread(
            MessageProcessor,
            model_path=model_path,
            tracker_store=agent.tracker_store,
            lock_store=agent.lock_store,
            action_endpoint=agent.action_endpoint,
            generator=agent.nlg,
            http_interpreter=agent.http_interpreter,
        )
        store = own_tracker_store(agent)
        if hasattr(store, "serialise_all"):
            store.serialise_all()   # kept objects carry the old domain's slots; JSON is read with the new one
        agent.processor = processor
        agent.domain = processor.domain
        agent.tracker_store.domain = processor.domain
        if hasattr(agent.nlg, "responses"):
            agent.nlg.responses = processor.domain.responses
        return agent.model_id

    def responses(self, name: str) -> list[str]:
        """Texts of one domain response, e.g. the variations of utter_ack_frustration."""
        domain = self.rasa_agent.domain
        return [r["text"] for r in (domain.responses.get(name, []) if domain else []) if r.get("text")]

    def domain(self) -> DomainFacts:
        domain = self.rasa_agent.domain
        if domain is None:
            return DomainFacts()
        responses = {name: tuple(r["text"] for r in variations if r.get("text"))
                     for name, variations in domain.responses.items()}
        return DomainFacts(intents=tuple(domain.intents), responses=responses)

    async def delete_tracker(self, sender_id: str) -> None:
        """Forget a conversation in Rasa's tracker store (data deletion requests)."""
        from rasa.shared.core.trackers import DialogueStateTracker

        store = own_tracker_store(self.rasa_agent)

        async def forget() -> None:
            if hasattr(store, "forget"):       # ours: memory and the kept copy in the database
                await store.forget(sender_id)
            elif hasattr(store, "store") and isinstance(store.store, dict):
                store.store.pop(sender_id, None)
            elif hasattr(store, "red") and hasattr(store, "key_prefix"):   # Redis: the key itself
                store.red.delete(store.key_prefix + sender_id)
            else:
                await store.save(DialogueStateTracker(sender_id, self.rasa_agent.domain.slots))

        await self.bot_thread.run(forget())

    async def close(self) -> None:
        if self.spill is not None and self.bot_thread.alive:
            await self.bot_thread.run(self.spill.close())
        if self.locks is not None and self.bot_thread.alive:
            await self.bot_thread.run(self.locks.close())
        self.bot_thread.stop()


def own_tracker_store(agent: Any) -> Any:
    """The store the engine made: Agent.load wraps it in Rasa's FailSafeTrackerStore (an in-memory fallback when
    it raises), which hides its own methods (forget, max_idle_seconds) behind the wrapper."""
    store = agent.tracker_store
    return getattr(store, "_tracker_store", store)


class UnavailableBotEngine:
    """Used when no model can be loaded: every message gets the honest path (person or ticket), never silence."""

    model_loaded = False
    model_id = None

    def __init__(self, reason: str) -> None:
        self.reason = reason

    async def reply(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotReply:
        raise BotUnavailable(self.reason)

    async def close(self) -> None:
        return None


def _endpoints(path: Path | None) -> Any:
    from rasa.core.utils import AvailableEndpoints

    if path is not None and path.exists():
        return AvailableEndpoints.read_endpoints(str(path))
    return AvailableEndpoints()


async def load_rasa_engine(config: EngineSettings) -> RasaBotEngine | UnavailableBotEngine:
    if not config.model_path.exists():
        logger.error("no model at %s: run `make train`; the bot will hand every message to a person", config.model_path)
        return UnavailableBotEngine(f"no model at {config.model_path}")
    for variable, value in TF_THREAD_DEFAULTS.items():
        os.environ.setdefault(variable, value)
    quiet_rasa_events()
    from rasa.core.agent import Agent
    from rasa.core.lock_store import LockStore
    from rasa.core.tracker_store import TrackerStore

    rasa_speedups.install()
    endpoints = _endpoints(config.endpoints_path)
    action_endpoint = endpoints.action or _rasa_action_endpoint_class()()

    spill = None if endpoints.tracker_store or not config.database_url else _database_spill(config.database_url)
    locks = redis_conversation_locks(endpoints.lock_store) if is_redis(endpoints.lock_store) else None

    def tracker_store() -> Any:
        if is_plain_redis(endpoints.tracker_store, endpoints.event_broker):
            return redis_tracker_store(endpoints.tracker_store)
        if endpoints.tracker_store:
            return TrackerStore.create(endpoints.tracker_store)
        return idle_evicting_tracker_store(max_trackers=config.trackers_kept, spill=spill)

    def build() -> Any:
        return Agent.load(
            str(config.model_path),
            generator=endpoints.nlg,
            tracker_store=tracker_store(),
            lock_store=LockStore.create(None if locks else endpoints.lock_store),
            action_endpoint=action_endpoint,
        )

    try:
        agent = await asyncio.to_thread(build)
    except Exception as error:
        logger.exception("could not load the model %s", config.model_path)
        if spill is not None:
            await spill.close()
        return UnavailableBotEngine(f"model failed to load: {error}")
    if hasattr(own_tracker_store(agent), "max_idle_seconds") and agent.domain is not None:
        # Idle longer than this, a conversation starts a new Rasa session anyway (domain.yml session_config).
        own_tracker_store(agent).max_idle_seconds = agent.domain.session_config.session_expiration_time * 60
    logger.info("model %s loaded (%s actions)", agent.model_id,
                "in-process" if action_endpoint.url == IN_PROCESS_URL else action_endpoint.url)
    return RasaBotEngine(agent, config.timeout_seconds, bot_thread=None if config.bot_thread else SameLoop(),
                         spill=spill, locks=locks)


def _database_spill(database_url: str) -> Any:
    """Trackers that leave the in-memory store go to the service's database (handoff/engine/tracker_spill.py)."""
    from handoff.engine.tracker_spill import DatabaseTrackerSpill
    from handoff.store.database import create_engine

    return DatabaseTrackerSpill(create_engine(database_url))


async def load_bot_engine(settings: Any) -> RasaBotEngine | UnavailableBotEngine:
    """The engine in this process, from the app's Settings (the app itself uses handoff.engine.process)."""
    return await load_rasa_engine(engine_settings(settings))
