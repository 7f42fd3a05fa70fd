import pytest

from handoff.training.gate import REGRESSION, GateRules, compare

pytestmark = pytest.mark.unit


def metrics(per_intent, tone=0.8, failed=0):
    macro = sum(per_intent.values()) / len(per_intent)
    return {"nlu": {"macro_f1": macro, "per_intent_f1": per_intent},
            "tone": {"macro_f1": tone} if tone is not None else None,
            "stories": {"total": 10, "failed": failed}}


LIVE = metrics({"greet": 1.0, "order_status": 0.9, "return_item": 0.8})


def test_an_equal_or_better_candidate_passes():
    result = compare(LIVE, metrics({"greet": 1.0, "order_status": 0.95, "return_item": 0.8}))
    assert result["passed"] and result["violations"] == []
    best = result["intents"][-1]
    assert (best["intent"], best["kind"]) == ("order_status", "improvement")


def test_small_losses_within_the_tolerances_pass():
    result = compare(LIVE, metrics({"greet": 1.0, "order_status": 0.88, "return_item": 0.8}))
    assert result["passed"], result["violations"]


def test_one_intent_dropping_beyond_the_threshold_is_a_regression_even_if_macro_f1_holds():
    candidate = metrics({"greet": 1.0, "order_status": 0.75, "return_item": 1.0})
    result = compare(LIVE, candidate, GateRules(macro_f1_tolerance=0.05, max_intent_drop=0.1))
    assert not result["passed"]
    assert result["violations"] == ["intent order_status: F1 0.900 -> 0.750"]
    assert result["intents"][0]["kind"] == REGRESSION


def test_lower_macro_f1_lower_tone_and_more_failed_stories_are_each_refused():
    candidate = metrics({"greet": 0.95, "order_status": 0.85, "return_item": 0.75}, tone=0.7, failed=1)
    violations = compare(LIVE, candidate)["violations"]
    assert any(v.startswith("intent macro-F1") for v in violations)
    assert any(v.startswith("tone macro-F1") for v in violations)
    assert any(v.startswith("test stories failed") for v in violations)


def test_tone_is_skipped_when_the_live_model_has_no_tone_scorer():
    live = metrics({"greet": 1.0}, tone=None)
    assert compare(live, metrics({"greet": 1.0}, tone=None))["passed"]


def test_an_intent_missing_from_the_candidate_counts_as_f1_zero():
    result = compare(LIVE, {**metrics({"greet": 1.0, "order_status": 0.9}), "nlu": {
        "macro_f1": 0.95, "per_intent_f1": {"greet": 1.0, "order_status": 0.9}}})
    assert "intent return_item: F1 0.800 -> 0.000" in result["violations"]
