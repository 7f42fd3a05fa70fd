"""Classification figures for the tone evaluation, in plain Python (no scikit-learn needed to report)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence


@dataclass(frozen=True)
class LabelScores:
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class Evaluation:
    labels: tuple[str, ...]
    per_label: dict[str, LabelScores]
    confusion: list[list[int]]  # rows: true label, columns: predicted label, in `labels` order
    accuracy: float

    @property
    def macro_f1(self) -> float:
        return sum(s.f1 for s in self.per_label.values()) / len(self.per_label)


def evaluate(truth: Sequence[str], predicted: Sequence[str], labels: Sequence[str]) -> Evaluation:
    if len(truth) != len(predicted):
        raise ValueError("truth and predictions differ in length")
    index = {label: i for i, label in enumerate(labels)}
    confusion = [[0] * len(labels) for _ in labels]
    for true_label, predicted_label in zip(truth, predicted):
        confusion[index[true_label]][index[predicted_label]] += 1
    per_label = {}
    for label, i in index.items():
        true_positive = confusion[i][i]
        predicted_count = sum(row[i] for row in confusion)
        support = sum(confusion[i])
        precision = true_positive / predicted_count if predicted_count else 0.0
        recall = true_positive / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = LabelScores(precision, recall, f1, support)
    correct = sum(confusion[i][i] for i in range(len(labels)))
    return Evaluation(tuple(labels), per_label, confusion, correct / len(truth) if truth else 0.0)


def binary(labels: Sequence[str], positive: Sequence[str], positive_name: str, negative_name: str) -> list[str]:
    """Collapse labels into two classes, e.g. frustrated+abusive → "handoff", calm → "no_handoff"."""
    return [positive_name if label in positive else negative_name for label in labels]


def format_evaluation(evaluation: Evaluation) -> str:
    width = max(len(label) for label in evaluation.labels) + 2
    lines = [f"{'label':<{width}}precision  recall  f1      support"]
    for label, s in evaluation.per_label.items():
        lines.append(f"{label:<{width}}{s.precision:<11.3f}{s.recall:<8.3f}{s.f1:<8.3f}{s.support}")
    lines.append(f"{'macro-F1':<{width}}{evaluation.macro_f1:.3f}   accuracy {evaluation.accuracy:.3f}")
    lines.append("confusion (rows = true, columns = predicted):")
    lines.append(" " * width + "".join(f"{label[:10]:>11}" for label in evaluation.labels))
    for label, row in zip(evaluation.labels, evaluation.confusion):
        lines.append(f"{label:<{width}}" + "".join(f"{count:>11}" for count in row))
    return "\n".join(lines)
