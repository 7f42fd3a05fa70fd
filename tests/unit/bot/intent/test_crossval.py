import pytest

from bot.intent.crossval import cross_validate
from tests.unit.bot.intent.test_model import EXAMPLES

pytestmark = pytest.mark.unit


def test_every_example_is_predicted_by_a_model_that_did_not_see_it() -> None:
    texts = [text for examples in EXAMPLES.values() for text in examples]
    intents = [intent for intent, examples in EXAMPLES.items() for _ in examples]
    predicted = cross_validate(texts, intents, folds=3)
    assert len(predicted) == len(texts) and set(predicted) <= set(EXAMPLES)
    assert sum(p == t for p, t in zip(predicted, intents)) >= len(texts) * 0.6
