"""The Rasa engine as the product hosts it writes nothing of a customer's message to stdout, stderr or the log."""
from __future__ import annotations

import logging

import pytest

from handoff.engine.rasa.engine import RasaBotEngine, load_rasa_engine
from handoff.engine.settings import EngineSettings

pytestmark = [pytest.mark.integration, pytest.mark.model]

EMAIL = "lieschen.mueller@beispiel.de"
ORDER_NUMBER = "NW-482913"


async def test_a_turn_leaves_no_customer_text_in_any_output(trained_model_path, capfd, caplog):
    caplog.set_level(logging.DEBUG)
    engine = await load_rasa_engine(EngineSettings(trained_model_path, None, 30.0))
    assert isinstance(engine, RasaBotEngine)
    try:
        capfd.readouterr()  # model loading may print deprecation warnings; the turns are what is checked
        first = await engine.reply("log-check", f"Hallo, ich bin {EMAIL}")
        second = await engine.reply("log-check", f"Wo ist meine Bestellung {ORDER_NUMBER}?")
    finally:
        await engine.close()
    assert first.messages and second.messages and second.intent == "order_status"
    output = capfd.readouterr()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for text in (EMAIL, ORDER_NUMBER, "Hallo, ich bin"):
        assert text not in output.out and text not in output.err and text not in logged, text
