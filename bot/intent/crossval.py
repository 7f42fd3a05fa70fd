"""Cross-validated intent figures on the training data: `python -m bot.intent.crossval [--folds 5]`.

The held-out set (tests/nlu_holdout.yml, `make eval`) is the gate; this is the second opinion trainers can run
after adding examples: every example is predicted by a model that never saw it, so confusable intents show up
even where the held-out set has few examples. Uses the intent model alone (no fallback threshold).
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import Sequence

from bot.intent.model import IntentModel, IntentModelConfig

DEFAULT_DATA = Path("data/nlu")
CONFUSIONS_SHOWN = 12
WORST_SHOWN = 8


def cross_validate(texts: Sequence[str], intents: Sequence[str], folds: int, seed: int = 7,
                   config: IntentModelConfig | None = None) -> list[str]:
    """The prediction for every example from a model trained on the other folds (stratified)."""
    from sklearn.model_selection import StratifiedKFold

    predicted = [""] * len(texts)
    splitter = StratifiedKFold(folds, shuffle=True, random_state=seed)
    for train, test in splitter.split(list(texts), list(intents)):
        model = IntentModel.fit([texts[i] for i in train], [intents[i] for i in train], config)
        for i in test:
            predicted[i] = model.rank(texts[i])[0][0]
    return predicted


def main(argv: Sequence[str] | None = None) -> int:
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.metrics import accuracy_score, f1_score

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--folds", type=int, default=5)
    arguments = parser.parse_args(argv)
    examples = [m for m in load_data(str(arguments.data)).intent_examples if m.get("text")]
    texts, intents = [m.get("text") for m in examples], [m.get("intent") for m in examples]
    predicted = cross_validate(texts, intents, arguments.folds)
    labels = sorted(set(intents))
    per_intent = dict(zip(labels, f1_score(intents, predicted, labels=labels, average=None, zero_division=0)))
    print(f"{len(texts)} examples, {len(labels)} intents, {arguments.folds}-fold cross-validation")
    print(f"  accuracy {accuracy_score(intents, predicted):.3f}   macro-F1 "
          f"{f1_score(intents, predicted, labels=labels, average='macro', zero_division=0):.3f}")
    print("  worst intents: " + ", ".join(f"{name} {score:.2f}" for name, score in
                                          sorted(per_intent.items(), key=lambda kv: kv[1])[:WORST_SHOWN]))
    confusions = Counter((t, p) for t, p in zip(intents, predicted) if t != p)
    for (truth, guess), count in confusions.most_common(CONFUSIONS_SHOWN):
        print(f"    {truth} -> {guess}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
