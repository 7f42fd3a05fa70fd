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
FALLBACK_INTENT = "nlu_fallback"
FAILED_STORIES_FILE = "failed_test_stories.yml"


async def _nlu(agent: Any, holdout: Path) -> dict[str, Any]:
    """Intent F1 as the bot acts on it: a message the FallbackClassifier turns into `nlu_fallback` is a miss."""
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.metrics import accuracy_score, f1_score

    examples = [(m.get("text"), m.get("intent")) for m in load_data(str(holdout)).intent_examples]
    predicted = []
    for text, _intent in examples:
        predicted.append(((await agent.parse_message(text)).get("intent") or {}).get("name") or "")
    truth = [intent for _text, intent in examples]
    labels = sorted(set(truth))
    per_intent = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    return {"macro_f1": float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)),
            "accuracy": float(accuracy_score(truth, predicted)),
            "per_intent_f1": {label: float(score) for label, score in zip(labels, per_intent)},
            "fallback_count": sum(1 for p in predicted if p == FALLBACK_INTENT), "total": len(examples),
            "misses": [[text, intent, p] for (text, intent), p in zip(examples, predicted) if intent != p]}


async def _tone(agent: Any, holdouts: list[Path]) -> dict[str, Any] | None:
    """Tone as the model itself scores it (its ToneScorer); None when the pipeline has no tone scorer."""
    from bot.tone.data import TONE_LABELS, load_tone_examples
    from sklearn.metrics import accuracy_score, f1_score

    if not holdouts:
        return None
    examples = [example for holdout in holdouts for example in load_tone_examples(holdout)]
    predicted = []
    for example in examples:
        tone = (await agent.parse_message(example.text)).get(TONE_KEY)
        if not isinstance(tone, dict):
            return None
        predicted.append(str(tone.get(LABEL_KEY)))
    truth = [e.label for e in examples]
    labels = list(TONE_LABELS)
    per_label = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    return {"macro_f1": float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)),
            "accuracy": float(accuracy_score(truth, predicted)),
            "per_label_f1": {label: float(score) for label, score in zip(labels, per_label)},
            "total": len(examples)}


async def _stories(agent: Any, stories: Path) -> dict[str, Any] | None:
    from rasa.core.test import test as test_core

    if not stories.exists():
        return None
    with tempfile.TemporaryDirectory(prefix="nordwind-stories-") as out:
        result = await test_core(str(stories), agent, out_directory=out, disable_plotting=True)
        failed_file = Path(out) / FAILED_STORIES_FILE
        failed_text = failed_file.read_text(encoding="utf-8") if failed_file.exists() else ""
    conversations = (result.get("report") or {}).get("conversation_accuracy", {})
    total = int(conversations.get("total", 0))
    names = [line.split(":", 1)[1].strip() for line in failed_text.splitlines()
             if line.strip().startswith("- story:")]
    return {"total": total, "failed": total - int(conversations.get("correct", 0)), "failed_names": names}


async def measure(model: Path, project_root: Path) -> dict[str, Any]:
    from rasa.core.agent import Agent

    from handoff.engine.rasa.engine import _rasa_action_endpoint_class
    from handoff.training.project import TONE_HOLDOUT_DIR

    started = time.monotonic()
    agent = Agent.load(str(model), action_endpoint=_rasa_action_endpoint_class()())
    tests = project_root / "tests"
    return {
        "model": str(model),
        "nlu": await _nlu(agent, tests / "nlu_holdout.yml"),
        # tests/tone/: the held-out tone files (tests/tone_holdout.yml is the calibration split, docs/tone.md).
        "tone": await _tone(agent, sorted((tests / TONE_HOLDOUT_DIR).glob("*.yml"))),
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
