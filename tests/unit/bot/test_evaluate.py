from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.evaluate import MIN_MACRO_F1, HoldoutExample, load_holdout, parse_args, score_intents

pytestmark = pytest.mark.unit


def _examples(*intents: str) -> list[HoldoutExample]:
    return [HoldoutExample(f"text {i}", intent) for i, intent in enumerate(intents)]


def test_fallback_counts_as_a_miss_and_confusions_are_counted():
    examples = _examples("greet", "greet", "thank", "thank")
    result = score_intents(examples, ["greet", "nlu_fallback", "thank", "greet"])
    assert result.accuracy == 0.5
    assert result.fallback_count == 1
    assert dict(result.confusions) == {("greet", "nlu_fallback"): 1, ("thank", "greet"): 1}
    # greet: P=1/2, R=1/2; thank: P=1, R=1/2 -> F1 0.5 and 2/3
    assert result.macro_f1 == pytest.approx((0.5 + 2 / 3) / 2)
    assert [example.text for example, _ in result.misses] == ["text 1", "text 3"]


def test_perfect_predictions_pass_the_gate():
    examples = _examples("greet", "thank")
    assert score_intents(examples, ["greet", "thank"]).macro_f1 == 1.0 >= MIN_MACRO_F1


def test_holdout_file_has_at_least_ten_phrasings_for_every_domain_intent():
    root = Path(__file__).resolve().parents[3]
    domain_intents = set(YAML(typ="safe").load((root / "domain.yml").read_text(encoding="utf-8"))["intents"])
    examples = load_holdout(root / parse_args([]).holdout)
    counts: dict[str, int] = {}
    for example in examples:
        counts[example.intent] = counts.get(example.intent, 0) + 1
    assert set(counts) == domain_intents
    assert min(counts.values()) >= 10
