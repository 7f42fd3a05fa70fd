"""What an idle agent console receives while customers chat with the bot (issue 15, step 1).

`python -m bench.console_traffic --conversations 1000`: N conversations each send two messages to a bot that
answers at once, through the real service use cases, storage (a temporary SQLite file) and in-process bus. The
console's socket subscribes to the queue topic and its agent topic (handoff/web/agent_socket.py), so the frames
and JSON bytes published there are what every open console would be sent.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
from pathlib import Path
from typing import Any

from handoff.bus.base import QUEUE_TOPIC, agent_topic
from handoff.bus.in_process import InProcessBus, InProcessPresence
from handoff.engine.contract import BotMessage, BotReply
from handoff.services import conversations, customer
from handoff.services.context import ServiceContext
from handoff.store.database import create_engine
from handoff.store.migrate import upgrade_async

MESSAGES = ("Wie lange dauert der Versand nach Österreich?", "Und was kostet das?")


class InstantBot:
    """Answers every message at once, calm: the traffic measured is the service's, not a model's."""

    async def reply(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotReply:
        return BotReply(messages=(BotMessage(text="Der Versand dauert 2 bis 4 Werktage."),), intent="shipping_time",
                        confidence=0.95, tone={"score": 0.05, "label": "calm", "cues": []})

    async def close(self) -> None:
        return None


async def measure(conversation_count: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{Path(folder) / 'traffic.db'}"
        await upgrade_async(url)
        engine = create_engine(url)
        bus = InProcessBus()
        ctx = ServiceContext(db=engine, bus=bus, presence=InProcessPresence(), bot=InstantBot())
        frames: list[dict[str, Any]] = []
        try:
            async with bus.subscribe(QUEUE_TOPIC, agent_topic("console")) as events:
                async def collect() -> None:
                    async for _, payload in events:
                        frames.append(payload)
                collector = asyncio.create_task(collect())
                for number in range(conversation_count):
                    conversation, _ = await conversations.start_conversation(ctx, "widget")
                    for index, text in enumerate(MESSAGES):
                        await customer.customer_writes(ctx, conversation.id, f"c{number}-{index}", text)
                await asyncio.sleep(0.2)   # let the last publications arrive
                collector.cancel()
        finally:
            await bus.close()
            await engine.dispose()
    size = sum(len(json.dumps(frame, ensure_ascii=False, default=str).encode()) for frame in frames)
    return {"conversations": conversation_count, "customer_messages": conversation_count * len(MESSAGES),
            "console_frames": len(frames), "console_bytes": size,
            "frames_with_customer_text": sum(1 for f in frames if "message" in f or "detail" in f)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    arguments = parser.parse_args()
    print(json.dumps(asyncio.run(measure(arguments.conversations)), indent=2))


if __name__ == "__main__":
    main()
