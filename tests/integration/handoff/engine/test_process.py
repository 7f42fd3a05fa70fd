"""The bot in its own process: answers, concurrency, timeouts, a killed child, a missing model, shutdown."""
from __future__ import annotations

import asyncio
import os
import signal
import time
from pathlib import Path

import pytest

from handoff.engine.contract import BotUnavailable
from handoff.engine.process import BotProcess
from handoff.engine.settings import EngineSettings
from tests.fakes import ProcessFakeEngine

pytestmark = pytest.mark.integration

FAKE_FACTORY = "tests.fakes:fake_engine_factory"


async def started(model: str = "model-a.tar.gz", timeout: float = 1.0) -> BotProcess:
    return await BotProcess(EngineSettings(Path(model), None, timeout), FAKE_FACTORY).start()


async def answered_by_a_new_child(bot: BotProcess, first_pid: int) -> None:
    for _ in range(150):
        if bot.model_loaded and bot.pid != first_pid:
            break
        await asyncio.sleep(0.1)
    assert bot.model_loaded and bot.pid != first_pid
    assert (await bot.reply("c1", "Hallo")).messages[0].text == "Antwort auf: Hallo"


@pytest.fixture
async def bot():
    process = await started()
    yield process
    await process.close()


async def test_answers_come_from_another_process(bot):
    reply = await bot.reply("c1", "Hallo")
    assert [m.text for m in reply.messages] == ["Antwort auf: Hallo"] and reply.intent == "greet"
    pid = (await bot.reply("c1", "pid")).messages[0].text
    assert int(pid) == bot.pid != os.getpid()
    assert bot.model_loaded and bot.model_id == "model-a.tar.gz"


async def test_concurrent_messages_each_get_their_own_answer(bot):
    replies = await asyncio.gather(*(bot.reply(f"c{n}", f"Frage {n}") for n in range(40)))
    assert [r.messages[0].text for r in replies] == [f"Antwort auf: Frage {n}" for n in range(40)]


async def test_a_failure_or_a_slow_bot_is_bot_unavailable_and_the_next_message_is_answered(bot):
    with pytest.raises(BotUnavailable, match="fake action failed"):
        await bot.reply("c1", ProcessFakeEngine.BROKEN)
    started_at = time.monotonic()
    with pytest.raises(BotUnavailable, match="timeout"):
        await bot.reply("c1", ProcessFakeEngine.SLOW)
    assert time.monotonic() - started_at < 1.0 + 2.0 + 1.0
    assert (await bot.reply("c1", "Hallo")).messages[0].text == "Antwort auf: Hallo"


async def test_a_killed_bot_process_fails_waiting_callers_and_is_replaced(bot):
    first_pid = bot.pid
    waiting = asyncio.create_task(bot.reply("c1", ProcessFakeEngine.SLOW))
    await asyncio.sleep(0.2)
    os.kill(first_pid, signal.SIGKILL)
    with pytest.raises(BotUnavailable, match="stopped"):
        await asyncio.wait_for(waiting, 2)
    with pytest.raises(BotUnavailable):
        await bot.reply("c1", "Hallo")   # honest at once while it restarts, no hanging
    await answered_by_a_new_child(bot, first_pid)


async def test_an_unreadable_answer_fails_the_caller_and_the_bot_process_is_replaced(bot):
    first_pid = bot.pid
    with pytest.raises(BotUnavailable, match="stopped"):
        await bot.reply("c1", ProcessFakeEngine.GARBLED)
    await answered_by_a_new_child(bot, first_pid)


async def test_swap_and_delete_tracker_reach_the_child(bot):
    assert await bot.swap_model(Path("model-b.tar.gz")) == "model-b.tar.gz"
    assert bot.model_id == "model-b.tar.gz"
    await bot.delete_tracker("c7")
    assert (await bot.reply("c1", "vergessen?")).messages[0].text == "c7"


async def test_without_a_model_every_message_is_unavailable_until_one_is_promoted():
    bot = await started("missing.tar.gz")
    try:
        assert not bot.model_loaded and "no model" in bot.report.reason
        with pytest.raises(BotUnavailable, match="no model"):
            await bot.reply("c1", "Hallo")
        assert await bot.swap_model(Path("model-c.tar.gz")) == "model-c.tar.gz"
        assert bot.model_loaded
        assert (await bot.reply("c1", "Hallo")).messages[0].text == "Antwort auf: Hallo"
    finally:
        await bot.close()


async def test_close_ends_the_child():
    bot = await started()
    process = bot._process
    await bot.close()
    assert process.poll() is not None
    with pytest.raises(BotUnavailable):
        await bot.reply("c1", "Hallo")


@pytest.mark.model
async def test_the_real_assistant_answers_from_its_process(trained_model_path):
    bot = await BotProcess(EngineSettings(trained_model_path, None, 30.0)).start()
    try:
        assert bot.model_loaded, bot.report.reason
        reply = await bot.reply("real-1", "Hallo!")
        assert reply.intent == "greet" and reply.messages and reply.tone["label"] == "calm"
        # The de-escalation wording comes from the model's domain, read in this process without Rasa.
        assert bot.responses("utter_ack_frustration")
        await bot.delete_tracker("real-1")
    finally:
        await bot.close()
