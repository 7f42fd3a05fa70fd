"""Measure the tone scorer: `python -m bot.tone.evaluate [--write-report]` (also `make eval-tone`).

Trains exactly as the Rasa component does (data/tone, the NLU examples as calm, calibration and label
threshold on tests/tone_holdout.yml), then reports on the held-out test files tests/tone/ (written separately,
never trained or tuned on) and, when ../shared/data exists, on GermEval 2017 and 2018 (measuring only).
"""
from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path
from typing import Sequence

from bot.tone import external, metrics, report
from bot.tone.calibration import expected_calibration_error, reliability_bins
from bot.tone.data import ABUSIVE, CALM, FRUSTRATED, NEGATIVE, NOT_NEGATIVE, TONE_LABELS, ToneExample, load_tone_examples
from bot.tone.figures import (
    GERMEVAL_2017_ALL, GERMEVAL_2017_CHECK, GERMEVAL_2018_ABUSIVE, GERMEVAL_2018_CHECK, GERMEVAL_2018_TEST, HANDOFF,
    NO_HANDOFF, OFFENSE, OTHER, EvaluationRun, ReliabilityBin,
)
from bot.tone.model import HANDOFF_LABELS, ToneModel, ToneModelConfig, ToneResult
from bot.tone.training import train_tone_model

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA = REPO_ROOT / "data" / "tone"
DEFAULT_NLU = REPO_ROOT / "data" / "nlu"
DEFAULT_CALIBRATION = REPO_ROOT / "tests" / "tone_holdout.yml"
DEFAULT_HOLDOUT = REPO_ROOT / "tests" / "tone"
DEFAULT_SHARED = REPO_ROOT.parent / "shared" / "data"
DEFAULT_REPORT = REPO_ROOT / "docs" / "tone.md"
TIMING_ROUNDS = 5
CALIBRATION_BINS = 10


def mean_inference_ms(model: ToneModel, texts: Sequence[str], rounds: int = TIMING_ROUNDS) -> float:
    """CPU time of this process per message: on a shared machine wall time mostly measures the neighbours."""
    model.predict(texts[0])  # first call compiles the lexicons; not what a running bot pays per message
    start = time.process_time()
    for _ in range(rounds):
        for text in texts:
            model.predict(text)
    return (time.process_time() - start) * 1000 / (rounds * len(texts))


def _three_way(model: ToneModel, examples: Sequence[ToneExample]) -> tuple[list[ToneResult], metrics.Evaluation]:
    results = model.predict_many(e.text for e in examples)
    return results, metrics.evaluate([e.label for e in examples], [r.label for r in results], TONE_LABELS)


def run(
    data: Path,
    holdout_path: Path,
    shared: Path | None,
    config: ToneModelConfig | None = None,
    nlu: Path | None = DEFAULT_NLU,
    calibration: Path | None = DEFAULT_CALIBRATION,
) -> EvaluationRun:
    model, training = train_tone_model(data, config, nlu_path=nlu, calibration_path=calibration)
    holdout = load_tone_examples(holdout_path)
    results, three_way = _three_way(model, holdout)
    truth = [e.label for e in holdout]
    predicted = [r.label for r in results]
    handoff = metrics.evaluate(
        metrics.binary(truth, HANDOFF_LABELS, HANDOFF, NO_HANDOFF),
        metrics.binary(predicted, HANDOFF_LABELS, HANDOFF, NO_HANDOFF),
        (HANDOFF, NO_HANDOFF),
    )
    calm = [p for t, p in zip(truth, predicted) if t == CALM]
    scores, angry = [r.score for r in results], [t != CALM for t in truth]
    evaluation = EvaluationRun(
        training_counts={label: sum(e.label == label for e in training) for label in TONE_LABELS},
        nlu_calm_examples=sum(e.source.startswith(str(nlu)) for e in training) if nlu else 0,
        calibration=model.calibration,
        holdout=three_way,
        handoff=handoff,
        calm_false_alarm_rate=sum(p != CALM for p in calm) / len(calm) if calm else 0.0,
        calm_messages=len(calm),
        calibration_error=expected_calibration_error(scores, angry, CALIBRATION_BINS),
        reliability=[ReliabilityBin(low, mean, observed, len(members))
                     for low, mean, observed, members in reliability_bins(scores, angry, CALIBRATION_BINS)],
        mean_inference_ms=mean_inference_ms(model, [e.text for e in holdout]),
        holdout_errors=[(e.label, p, e.text) for e, p in zip(holdout, predicted) if e.label != p],
        holdout_valence=_holdout_valence(model, holdout, results),
    )
    if calibration is not None and calibration.exists():
        evaluation.calibration_split = _three_way(model, load_tone_examples(calibration))[1]
    if shared is not None and shared.is_dir():
        _add_external(evaluation, model, shared)
    return evaluation


def _holdout_valence(
    model: ToneModel, holdout: Sequence[ToneExample], results: Sequence[ToneResult]
) -> metrics.Evaluation | None:
    """Valence where the held-out files give it (`valence:` blocks): what the score adds to the tone label."""
    pairs = [(e.valence, r) for e, r in zip(holdout, results) if e.valence_given]
    if len({valence for valence, _ in pairs}) < 2:
        return None
    return metrics.evaluate(
        [valence for valence, _ in pairs],
        [NEGATIVE if model.is_negative(r) else NOT_NEGATIVE for _, r in pairs],
        (NEGATIVE, NOT_NEGATIVE),
    )


def _add_external(evaluation: EvaluationRun, model: ToneModel, shared: Path) -> None:
    rows_2017 = external.load_germeval_2017(shared)
    results_2017 = model.predict_many(r.text for r in rows_2017)
    # The measured output is the valence (`negative`): GermEval 2017 `negative` is sentiment, and most of it is
    # plain reports of outages and delays, which the tone label deliberately calls calm.
    by_valence = [NEGATIVE if model.is_negative(r) else NOT_NEGATIVE for r in results_2017]
    by_label = metrics.binary([r.label for r in results_2017], HANDOFF_LABELS, NEGATIVE, NOT_NEGATIVE)
    for name, predicted, keep in (
        (GERMEVAL_2017_ALL, by_valence, lambda r: True),
        (GERMEVAL_2017_CHECK, by_valence, lambda r: r.half == external.CHECK),
        ("GermEval 2017, relevance=true", by_valence, lambda r: r.relevant),
        ("GermEval 2017, all rows, tone label frustrated or abusive = negative", by_label, lambda r: True),
    ):
        pairs = [(row, p) for row, p in zip(rows_2017, predicted) if keep(row)]
        evaluation.external[name] = metrics.evaluate(
            [NEGATIVE if row.label == NEGATIVE else NOT_NEGATIVE for row, _ in pairs],
            [p for _, p in pairs],
            (NEGATIVE, NOT_NEGATIVE),
        )
        evaluation.external_sizes[name] = len(pairs)
    rows_2018 = external.load_germeval_2018(shared)
    labels_2018 = [r.label for r in model.predict_many(r.text for r in rows_2018)]
    check = [row.half == external.CHECK for row in rows_2018]
    test_rows = external.load_germeval_2018_test(shared)
    test = [] if test_rows is None else [(row.label, r.label) for row, r in
                                          zip(test_rows, model.predict_many(row.text for row in test_rows))]
    for name, pairs, offensive in (
        (GERMEVAL_2018_ABUSIVE, list(zip((r.label for r in rows_2018), labels_2018)), (ABUSIVE,)),
        (GERMEVAL_2018_CHECK, [(r.label, p) for r, p, c in zip(rows_2018, labels_2018, check) if c], (ABUSIVE,)),
        (GERMEVAL_2018_TEST, test, (ABUSIVE,)),
        ("GermEval 2018, abusive or frustrated = OFFENSE", list(zip((r.label for r in rows_2018), labels_2018)),
         (ABUSIVE, FRUSTRATED)),
    ):
        if not pairs:
            continue  # the test split is measured only when it has been put next to the training file
        evaluation.external[name] = metrics.evaluate(
            [truth for truth, _ in pairs], metrics.binary([p for _, p in pairs], offensive, OFFENSE, OTHER),
            (OFFENSE, OTHER),
        )
        evaluation.external_sizes[name] = len(pairs)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="tone training data (file or directory)")
    parser.add_argument("--nlu", type=Path, default=DEFAULT_NLU, help="NLU files whose examples train as calm")
    parser.add_argument("--calibration", type=Path, default=DEFAULT_CALIBRATION,
                        help="held-out split for calibration and the label threshold")
    parser.add_argument("--holdout", type=Path, default=DEFAULT_HOLDOUT, help="held-out test messages")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="external data (skipped if missing)")
    parser.add_argument("--write-report", nargs="?", const=DEFAULT_REPORT, type=Path, default=None,
                        help=f"also write the report as Markdown (default {DEFAULT_REPORT.relative_to(REPO_ROOT)})")
    parser.add_argument("--show-errors", action="store_true", help="list the held-out messages that were misjudged")
    args = parser.parse_args(argv)
    evaluation = run(args.data, args.holdout, args.shared, nlu=args.nlu, calibration=args.calibration)
    print(report.render_text(evaluation, show_errors=args.show_errors))
    if args.write_report:
        args.write_report.write_text(report.render_markdown(evaluation, date.today()), encoding="utf-8")
        print(f"\nreport written to {args.write_report}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
