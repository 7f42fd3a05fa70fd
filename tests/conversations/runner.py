"""The conversation suite: multi-turn German conversations run through the real service with the real bot.

Each conversation in `tests/conversations/*.yml` states, per customer message, the intent the NLU should
find, whether the de-escalation acknowledgement may appear, and optionally words the answer must (or must
not) contain; and for the whole conversation the end state the customer experiences: still with the bot,
queued for a person (with the handoff reasons), or a ticket when nobody can take over (`hours: closed`), plus any
tickets recorded.

What is checked is what the customer sees: the messages the service stores (acknowledgement included) and
the conversation's status. A handoff is expected exactly at the last message of a conversation that ends
`queued` or `ticket`; every message before it must stay with the bot.

    python -m tests.conversations.runner --model models/nordwind.tar.gz     (also part of `make eval`)
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import yaml

SUITE_DIR = Path(__file__).resolve().parent
END_STATES = ("bot", "queued", "ticket")
# "open": a weekday morning with an agent online (a handoff queues); "closed": a Sunday (a handoff becomes a ticket).
HOURS = ("open", "closed")
ACK_VALUES = ("never", "may", "must")
KINDS = (
    "follow-up", "correction", "topic-switch", "closing", "mixed-tone", "insult", "build-up", "misunderstanding",
    "routine",
)
TIMEOUT_SECONDS = 60.0


class SuiteError(ValueError):
    """A conversation file is malformed (the message names the file and the conversation)."""


@dataclass(frozen=True)
class Turn:
    say: str
    # Acceptable NLU intents; a list only where the meaning comes from the context (an elliptical follow-up).
    intents: tuple[str, ...]
    ack: str = "never"
    answer: tuple[str, ...] = ()
    not_answer: tuple[str, ...] = ()


@dataclass(frozen=True)
class Conversation:
    name: str
    kind: str
    turns: tuple[Turn, ...]
    end: str
    reasons: tuple[str, ...] = ()
    tickets: tuple[str, ...] = ()
    hours: str = "open"
    source: str = ""


@dataclass
class Outcome:
    conversation: Conversation
    failures: list[str] = field(default_factory=list)
    transcript: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.failures


def load_suite(directory: Path = SUITE_DIR) -> list[Conversation]:
    conversations: list[Conversation] = []
    for path in sorted(directory.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        entries = document.get("conversations")
        if not isinstance(entries, list):
            raise SuiteError(f"{path.name}: top-level key 'conversations' must be a list")
        conversations.extend(_conversation(entry, path.name) for entry in entries)
    names = [conversation.name for conversation in conversations]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise SuiteError(f"duplicate conversation names: {duplicates}")
    return conversations


def _conversation(entry: Any, source: str) -> Conversation:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise SuiteError(f"{source}: every conversation needs a 'name'")
    where = f"{source}, '{entry['name']}'"
    unknown = set(entry) - {"name", "kind", "turns", "end", "reasons", "tickets", "hours"}
    if unknown:
        raise SuiteError(f"{where}: unknown keys {sorted(unknown)}")
    if entry.get("kind") not in KINDS:
        raise SuiteError(f"{where}: kind must be one of {KINDS}")
    if entry.get("end") not in END_STATES:
        raise SuiteError(f"{where}: end must be one of {END_STATES}")
    if entry.get("hours", "open") not in HOURS:
        raise SuiteError(f"{where}: hours must be one of {HOURS}")
    turns = entry.get("turns")
    if not isinstance(turns, list) or len(turns) < 2:
        raise SuiteError(f"{where}: a conversation has at least two customer messages")
    return Conversation(
        name=entry["name"], kind=entry["kind"], turns=tuple(_turn(turn, where) for turn in turns), end=entry["end"],
        reasons=_strings(entry.get("reasons"), where, "reasons"), tickets=_strings(entry.get("tickets"), where, "tickets"),
        hours=entry.get("hours", "open"), source=source,
    )


def _turn(entry: Any, where: str) -> Turn:
    if not isinstance(entry, dict) or not isinstance(entry.get("say"), str) or not entry["say"].strip():
        raise SuiteError(f"{where}: every turn needs a non-empty 'say'")
    unknown = set(entry) - {"say", "intent", "ack", "answer", "not_answer"}
    if unknown:
        raise SuiteError(f"{where}: unknown turn keys {sorted(unknown)}")
    intents = _strings(entry.get("intent"), where, "intent")
    if not intents:
        raise SuiteError(f"{where}: turn {entry['say']!r} states no intent")
    ack = entry.get("ack", "never")
    if ack not in ACK_VALUES:
        raise SuiteError(f"{where}: ack must be one of {ACK_VALUES}")
    return Turn(say=entry["say"], intents=intents, ack=ack, answer=_strings(entry.get("answer"), where, "answer"),
                not_answer=_strings(entry.get("not_answer"), where, "not_answer"))


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return tuple(value)
    raise SuiteError(f"{where}: '{key}' must be a string or a list of strings")


class _RecordingBot:
    """The real engine, remembering what it understood of the latest message (intent, escalation)."""

    def __init__(self, engine: Any) -> None:
        self.engine = engine
        self.latest: Any = None

    async def reply(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> Any:
        self.latest = await self.engine.reply(sender_id, text, metadata)
        return self.latest

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)


def load_agent(model: Path) -> Any:
    from rasa.core.agent import Agent

    from handoff.engine.rasa.engine import _rasa_action_endpoint_class

    return Agent.load(str(model), action_endpoint=_rasa_action_endpoint_class()())


async def run_suite(agent: Any, conversations: Sequence[Conversation], database_dir: Path) -> list[Outcome]:
    """Every conversation through one service (SQLite, in-process bus, one agent online, business hours)."""
    from handoff.bus.in_process import InProcessBus, InProcessPresence
    from handoff.engine.rasa.engine import RasaBotEngine
    from handoff.engine.thread import SameLoop
    from handoff.services import auth
    from handoff.services.context import ServiceContext
    from handoff.store.database import create_engine
    from handoff.store.migrate import upgrade_async
    from tests.unit.handoff.conftest import CLOSED_TIME, OPEN_TIME, FakeClock

    url = f"sqlite+aiosqlite:///{database_dir / 'conversations.db'}"
    await upgrade_async(url)
    engine = create_engine(url)
    bus, presence = InProcessBus(), InProcessPresence()
    bot = _RecordingBot(RasaBotEngine(agent, timeout_seconds=TIMEOUT_SECONDS, bot_thread=SameLoop()))
    clock = FakeClock(OPEN_TIME)
    ctx = ServiceContext(db=engine, bus=bus, presence=presence, bot=bot, clock=clock)
    try:
        agent_account = await auth.create_agent(ctx, "suite@nordwind.test", "Suite", "ein-langes-passwort-1",
                                                role="agent")
        await presence.heartbeat(agent_account.id, "online")
        outcomes = []
        for conversation in conversations:
            clock.now = OPEN_TIME if conversation.hours == "open" else CLOSED_TIME
            outcomes.append(await run_conversation(ctx, bot, conversation))
        return outcomes
    finally:
        await bus.close()
        await engine.dispose()


async def run_conversation(ctx: Any, bot: _RecordingBot, conversation: Conversation) -> Outcome:
    from handoff.services import conversations, customer

    outcome = Outcome(conversation)
    started, _ = await conversations.start_conversation(ctx, "widget")
    acknowledgements = _acknowledgements(bot)
    last = len(conversation.turns) - 1
    for index, turn in enumerate(conversation.turns):
        _, _, replies = await customer.customer_writes(ctx, started.id, f"m{index}", turn.say)
        texts = [reply.text or "" for reply in replies]
        understood = bot.latest
        intent = getattr(understood, "intent", None)
        level = (getattr(understood, "escalation", None) or {}).get("level")
        outcome.transcript.append(f"  > {turn.say}   [{intent}, escalation {level}]")
        outcome.transcript.extend(f"    < {text}" for text in texts)
        where = f"message {index + 1} ({turn.say!r})"
        if intent not in turn.intents:
            outcome.failures.append(f"{where}: intent {intent}, expected {' or '.join(turn.intents)}")
        acknowledged = any(text.startswith(ack) for text in texts for ack in acknowledgements)
        if acknowledged and turn.ack == "never":
            outcome.failures.append(f"{where}: acknowledged, but this message shows no frustration")
        if not acknowledged and turn.ack == "must":
            outcome.failures.append(f"{where}: frustration not acknowledged")
        joined = " ".join(texts)
        outcome.failures.extend(f"{where}: answer lacks {word!r}" for word in turn.answer if word not in joined)
        outcome.failures.extend(f"{where}: answer contains {word!r}" for word in turn.not_answer if word in joined)
        status = (await conversations.get_conversation(ctx, started.id)).status
        if index < last and status != "bot":
            outcome.failures.append(f"{where}: conversation went to '{status}' before its last message")
            break
    detail = await conversations.conversation_detail(ctx, started.id)
    status = detail["conversation"]["status"]
    if status != conversation.end:
        outcome.failures.append(f"end state '{status}', expected '{conversation.end}'")
    codes = {reason.get("code") for reason in (detail["handoff"] or {}).get("reasons") or []}
    outcome.failures.extend(f"handoff reason '{code}' missing (got {sorted(codes)})"
                            for code in conversation.reasons if code not in codes)
    # A recorded problem's ticket carries its category (damaged_item, complaint, ...); other tickets their kind.
    kinds = sorted(ticket.get("category") or ticket["kind"] for ticket in detail["tickets"])
    if kinds != sorted(conversation.tickets):
        outcome.failures.append(f"tickets {kinds}, expected {sorted(conversation.tickets)}")
    return outcome


def _acknowledgements(bot: _RecordingBot) -> tuple[str, ...]:
    from handoff.services import deescalation

    responses = getattr(bot.engine, "responses", None)
    variations = responses(deescalation.ACKNOWLEDGEMENT_RESPONSE) if callable(responses) else []
    return tuple(variations) + (deescalation.FALLBACK_ACKNOWLEDGEMENT,)


def print_report(outcomes: Sequence[Outcome], verbose: bool = False) -> None:
    passed = sum(outcome.passed for outcome in outcomes)
    print(f"\nConversation suite: {passed}/{len(outcomes)} passed ({passed / max(1, len(outcomes)):.1%})")
    kinds = sorted({outcome.conversation.kind for outcome in outcomes})
    for kind in kinds:
        of_kind = [outcome for outcome in outcomes if outcome.conversation.kind == kind]
        print(f"  {kind:<18} {sum(o.passed for o in of_kind)}/{len(of_kind)}")
    for outcome in outcomes:
        if outcome.passed and not verbose:
            continue
        mark = "ok" if outcome.passed else "FAILED"
        print(f"\n  {mark}: {outcome.conversation.name} ({outcome.conversation.source})")
        for failure in outcome.failures:
            print(f"    - {failure}")
        print("\n".join(outcome.transcript))


async def evaluate(model: Path, directory: Path = SUITE_DIR, verbose: bool = False) -> list[Outcome]:
    conversations = load_suite(directory)
    agent = load_agent(model)
    with tempfile.TemporaryDirectory(prefix="nordwind-conversations-") as tmp:
        outcomes = await run_suite(agent, conversations, Path(tmp))
    print_report(outcomes, verbose)
    return outcomes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("models/nordwind.tar.gz"))
    parser.add_argument("--dir", type=Path, default=SUITE_DIR)
    parser.add_argument("--verbose", action="store_true", help="print the transcript of passed conversations too")
    args = parser.parse_args(argv)
    from bot.evaluate import quiet_rasa_logging

    quiet_rasa_logging()
    outcomes = asyncio.run(evaluate(args.model, args.dir, args.verbose))
    return 0 if outcomes and all(outcome.passed for outcome in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
