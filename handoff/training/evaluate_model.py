"""Subprocess entry: measure one model on the held-out sets and write the figures as JSON.

    python -m handoff.training.evaluate_model --model m.tar.gz --project <root> --out metrics.json

Run as a child process so that TensorFlow's memory and start-up never touch the chat service.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

TONE_KEY = "tone"
LABEL_KEY = "label"


async def _nlu(agent: Any, holdout: Path) -> dict[str, Any]:
    from bot.evaluate import load_holdout, predict_intents, score_intents

    examples = load_holdout(holdout)
    result = score_intents(examples, await predict_intents(agent, examples))
    return {"macro_f1": result.macro_f1, "accuracy": result.accuracy, "per_intent_f1": result.per_intent_f1,
            "fallback_count": result.fallback_count, "total": result.total,
            "misses": [[example.text, example.intent, predicted] for example, predicted in result.misses]}


async def _tone(agent: Any, holdout: Path) -> dict[str, Any] | None:
    """Tone as the model itself scores it (its ToneScorer); None when the pipeline has no tone scorer."""
    from bot.tone.data import TONE_LABELS, load_tone_examples
    from bot.tone.metrics import evaluate

    if not holdout.exists():
        return None
    examples = load_tone_examples(holdout)
    predicted = []
    for example in examples:
        tone = (await agent.parse_message(example.text)).get(TONE_KEY)
        if not isinstance(tone, dict):
            return None
        predicted.append(tone.get(LABEL_KEY))
    result = evaluate([e.label for e in examples], predicted, TONE_LABELS)
    return {"macro_f1": result.macro_f1, "accuracy": result.accuracy,
            "per_label_f1": {label: scores.f1 for label, scores in result.per_label.items()},
            "total": len(examples)}


async def _stories(agent: Any, stories: Path) -> dict[str, Any] | None:
    from bot.evaluate import run_test_stories

    if not stories.exists():
        return None
    with tempfile.TemporaryDirectory(prefix="nordwind-stories-") as out:
        result = await run_test_stories(agent, stories, Path(out))
    return {"total": result.total, "failed": result.failed, "failed_names": result.failed_names}


async def measure(model: Path, project_root: Path) -> dict[str, Any]:
    from rasa.core.agent import Agent

    from handoff.rasa_engine import _rasa_action_endpoint_class

    started = time.monotonic()
    agent = Agent.load(str(model), action_endpoint=_rasa_action_endpoint_class()())
    tests = project_root / "tests"
    return {
        "model": str(model),
        "nlu": await _nlu(agent, tests / "nlu_holdout.yml"),
        "tone": await _tone(agent, tests / "tone_holdout.yml"),
        "stories": await _stories(agent, tests / "test_stories.yml"),
        "seconds": round(time.monotonic() - started, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, required=True)
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    metrics = asyncio.run(measure(args.model, args.project))
    args.out.write_text(json.dumps(metrics, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
