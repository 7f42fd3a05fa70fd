"""Benchmark 5: per-message cost of NLU parsing (`agent.parse_message`) and of the tone scorer.

Runs as its own process (`python -m bench.micro`, JSON on stdout) so that TensorFlow's thread settings from the
environment apply and the harness stays light. The tone scorer comes from the model when the pipeline has it,
else it is trained from data/tone (a few seconds, pure numpy).
"""
from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from typing import Any, Callable, Sequence

from bench.conversations import conversations, demo_order_numbers
from bench.paths import PRODUCT_MODEL, REPO_ROOT

TONE_COMPONENT = "ToneScorer"
WARMUP_ROUNDS = 2


def texts() -> list[str]:
    return [turn for conversation in conversations(demo_order_numbers()) for turn in conversation]


def per_message_ms(call: Callable[[str], Any], items: Sequence[str], iterations: int, runs: int) -> list[list[float]]:
    """`runs` lists of per-call milliseconds, `iterations` calls each, cycling through `items`."""
    for text in items * WARMUP_ROUNDS:
        call(text)
    result = []
    for _ in range(runs):
        samples = []
        for index in range(iterations):
            started = time.perf_counter()
            call(items[index % len(items)])
            samples.append((time.perf_counter() - started) * 1000)
        result.append(samples)
    return result


def tone_model(agent: Any) -> tuple[Any, str]:
    for node in getattr(agent.processor.graph_runner, "_instantiated_nodes", {}).values():
        component = getattr(node, "_component", None)
        if type(component).__name__ == TONE_COMPONENT and getattr(component, "_tone_model", None) is not None:
            return component._tone_model, "from the trained model"
    from bot.tone.training import train_tone_model

    model, _examples = train_tone_model(REPO_ROOT / "data" / "tone")
    return model, "trained from data/tone (not in the model's pipeline)"


# A typical custom-action answer (the order-status form's validation): a slot event and one message.
ACTION_RESULT = {"events": [{"event": "slot", "timestamp": None, "name": "order_number", "value": "NW-482913"}],
                 "responses": [{"text": "Ihre Bestellung NW-482913 wurde am 19.11. mit DHL versandt."}]}


def action_validation_ms(iterations: int, runs: int) -> dict[str, list[list[float]]]:
    """Rasa 3.6 checks every action server answer with `jsonschema.validate`, which re-checks the (large) events
    schema itself each time; a validator built once checks the same answer."""
    from jsonschema import validate, validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    compiled = validators.validator_for(schema)(schema)
    return {"as_rasa": per_message_ms(lambda _: validate(ACTION_RESULT, schema), [""], iterations, runs),
            "compiled_once": per_message_ms(lambda _: compiled.validate(ACTION_RESULT), [""], iterations, runs)}


def main() -> int:
    iterations, runs = int(sys.argv[1]), int(sys.argv[2])
    from rasa.core.agent import Agent

    agent = Agent.load(str(PRODUCT_MODEL))
    loop = asyncio.new_event_loop()
    items = texts()
    parse = per_message_ms(lambda text: loop.run_until_complete(agent.parse_message(text)), items, iterations, runs)
    model, source = tone_model(agent)
    tone = per_message_ms(model.predict, items, iterations, runs)
    validation = action_validation_ms(max(iterations // 5, 10), runs)
    print(json.dumps({"parse_ms": parse, "tone_ms": tone, "tone_source": source, "action_validation_ms": validation,
                      "tf_threads": {k: os.environ.get(k) for k in ("TF_NUM_INTRAOP_THREADS",
                                                                     "TF_NUM_INTEROP_THREADS")}}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
