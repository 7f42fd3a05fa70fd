"""Held-out evaluation of a trained model: NLU on tests/nlu_holdout.yml, dialogue on tests/test_stories.yml, and
the conversation suite (tests/conversations/: multi-turn conversations through the real service).

    python -m bot.evaluate --model models/nordwind.tar.gz

Exits non-zero when a test story or a conversation fails or the held-out intent macro-F1 is below the gate, so
a worse model cannot be promoted by accident. The predicted intent is the one the bot acts on: a message the
FallbackClassifier turns into `nlu_fallback` counts as a miss.
"""
from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rasa.core.agent import Agent

DEFAULT_MODEL = Path("models/nordwind.tar.gz")
DEFAULT_HOLDOUT = Path("tests/nlu_holdout.yml")
DEFAULT_TEST_STORIES = Path("tests/test_stories.yml")
MIN_MACRO_F1 = 0.93
WORST_INTENTS_SHOWN = 6
CONFUSIONS_SHOWN = 12
FALLBACK_INTENT = "nlu_fallback"
FAILED_STORIES_FILE = "failed_test_stories.yml"


@dataclass(frozen=True)
class HoldoutExample:
    text: str
    intent: str


@dataclass
class NluResult:
    accuracy: float
    macro_f1: float
    per_intent_f1: dict[str, float]
    confusions: list[tuple[tuple[str, str], int]]
    misses: list[tuple[HoldoutExample, str]]
    fallback_count: int
    total: int


@dataclass
class StoryResult:
    total: int
    failed: int
    failed_stories_text: str = ""
    failed_names: list[str] = field(default_factory=list)


def load_holdout(path: Path) -> list[HoldoutExample]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [
        HoldoutExample(message.get("text"), message.get("intent"))
        for message in data.intent_examples
    ]


def score_intents(examples: list[HoldoutExample], predicted: list[str]) -> NluResult:
    """Accuracy and macro-F1 over the held-out intents (pure, so it can be checked without a model)."""
    from sklearn.metrics import accuracy_score, f1_score

    truth = [example.intent for example in examples]
    labels = sorted(set(truth))
    per_intent = f1_score(truth, predicted, labels=labels, average=None, zero_division=0)
    confusions = Counter((t, p) for t, p in zip(truth, predicted) if t != p)
    return NluResult(
        accuracy=float(accuracy_score(truth, predicted)),
        macro_f1=float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)),
        per_intent_f1={label: float(score) for label, score in zip(labels, per_intent)},
        confusions=confusions.most_common(),
        misses=[(example, p) for example, p in zip(examples, predicted) if example.intent != p],
        fallback_count=sum(1 for p in predicted if p == FALLBACK_INTENT),
        total=len(examples),
    )


@dataclass(frozen=True)
class Prediction:
    intent: str  # what the bot acts on, possibly nlu_fallback
    top_intent: str  # best-ranked real intent, to see what the fallback threshold costs


async def predict_intents(agent: "Agent", examples: list[HoldoutExample]) -> list[Prediction]:
    predictions = []
    for example in examples:
        parsed = await agent.parse_message(example.text)
        intent = parsed.get("intent") or {}
        ranking = [entry for entry in parsed.get("intent_ranking") or [] if entry.get("name") != FALLBACK_INTENT]
        top = ranking[0] if ranking else intent
        predictions.append(Prediction(intent.get("name") or "", top.get("name") or ""))
    return predictions


async def run_test_stories(agent: "Agent", stories: Path, out_dir: Path) -> StoryResult:
    from rasa.core.test import test as test_core

    result = await test_core(str(stories), agent, out_directory=str(out_dir), disable_plotting=True)
    conversations = result["report"].get("conversation_accuracy", {}) if result.get("report") else {}
    total = int(conversations.get("total", 0))
    failed = total - int(conversations.get("correct", 0))
    failed_file = out_dir / FAILED_STORIES_FILE
    failed_text = failed_file.read_text(encoding="utf-8") if failed and failed_file.exists() else ""
    names = [line.split(":", 1)[1].strip() for line in failed_text.splitlines() if line.strip().startswith("- story:")]
    return StoryResult(total=total, failed=failed, failed_stories_text=failed_text, failed_names=names)


def print_nlu_report(result: NluResult) -> None:
    print(f"\nHeld-out NLU ({result.total} messages)")
    print(f"  intent accuracy : {result.accuracy:.4f}")
    print(f"  intent macro-F1 : {result.macro_f1:.4f}  (gate {MIN_MACRO_F1})")
    print(f"  nlu_fallback    : {result.fallback_count} messages not understood")
    print("  worst intents (F1):")
    for intent, score in sorted(result.per_intent_f1.items(), key=lambda item: item[1])[:WORST_INTENTS_SHOWN]:
        print(f"    {intent:<24} {score:.3f}")
    if result.confusions:
        print("  confusions (true -> predicted: count):")
        for (true, predicted), count in result.confusions[:CONFUSIONS_SHOWN]:
            print(f"    {true} -> {predicted}: {count}")
        print("  misclassified messages:")
        for example, predicted in result.misses:
            print(f"    [{example.intent} -> {predicted}] {example.text}")


def print_story_report(result: StoryResult) -> None:
    print(f"\nTest stories: {result.total - result.failed}/{result.total} passed")
    for name in result.failed_names:
        print(f"  FAILED: {name}")
    if result.failed_stories_text:
        print(result.failed_stories_text)


async def evaluate(model: Path, holdout: Path, stories: Path, out_dir: Path, conversations: bool = True) -> int:
    # The suite's runner lives beside its conversations in tests/ (it drives the service); loaded lazily.
    from tests.conversations.runner import load_agent, load_suite, print_report, run_suite

    agent = load_agent(model)
    examples = load_holdout(holdout)
    predictions = await predict_intents(agent, examples)
    nlu = score_intents(examples, [prediction.intent for prediction in predictions])
    print_nlu_report(nlu)
    without_fallback = score_intents(examples, [prediction.top_intent for prediction in predictions])
    print(f"  (top-ranked intent without the fallback threshold: accuracy {without_fallback.accuracy:.4f}, "
          f"macro-F1 {without_fallback.macro_f1:.4f})")
    story_result = await run_test_stories(agent, stories, out_dir)
    print_story_report(story_result)
    outcomes = await run_suite(agent, load_suite(), out_dir) if conversations else []
    if conversations:
        print_report(outcomes)

    problems = []
    if nlu.macro_f1 < MIN_MACRO_F1:
        problems.append(f"macro-F1 {nlu.macro_f1:.4f} < {MIN_MACRO_F1}")
    if story_result.failed or story_result.total == 0:
        problems.append(f"{story_result.failed} of {story_result.total} test stories failed")
    failed_conversations = sum(not outcome.passed for outcome in outcomes)
    if conversations and (failed_conversations or not outcomes):
        problems.append(f"{failed_conversations} of {len(outcomes)} conversations failed")
    print("\nRESULT: " + ("FAIL (" + "; ".join(problems) + ")" if problems else "PASS"))
    return 1 if problems else 0


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL)
    parser.add_argument("--holdout", type=Path, default=DEFAULT_HOLDOUT)
    parser.add_argument("--stories", type=Path, default=DEFAULT_TEST_STORIES)
    parser.add_argument("--out", type=Path, default=None, help="where Rasa writes story reports (temp dir if unset)")
    parser.add_argument("--no-conversations", action="store_true", help="skip the conversation suite")
    return parser.parse_args(argv)


def quiet_rasa_logging() -> None:
    # Rasa's structlog otherwise prints every policy decision at debug level and buries the report.
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    quiet_rasa_logging()
    if not args.model.exists():
        print(f"model not found: {args.model} (run `make train`)", file=sys.stderr)
        return 2
    if args.out is not None:
        args.out.mkdir(parents=True, exist_ok=True)
        return asyncio.run(evaluate(args.model, args.holdout, args.stories, args.out, not args.no_conversations))
    with tempfile.TemporaryDirectory(prefix="nordwind-eval-") as tmp:
        return asyncio.run(evaluate(args.model, args.holdout, args.stories, Path(tmp), not args.no_conversations))


if __name__ == "__main__":
    sys.exit(main())
