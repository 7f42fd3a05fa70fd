"""When the service puts an acknowledgement before the bot's answer on a `watch` turn (issue 17)."""
import uuid

import pytest

from handoff.services import deescalation

pytestmark = pytest.mark.unit

VARIATIONS = ["Das ist ärgerlich, ich helfe Ihnen gern weiter.", "Ich verstehe, dass das Warten ärgerlich ist."]


class BotWithResponses:
    def responses(self, name):
        return VARIATIONS if name == deescalation.ACKNOWLEDGEMENT_RESPONSE else []


def watch(turns: int, *cues: str) -> dict:
    return {"level": "watch", "turns": turns, "cues": list(cues)}


def test_first_watch_turn_is_acknowledged() -> None:
    conversation = str(uuid.uuid4())
    text = deescalation.prefix_acknowledgement("Ihr Paket kommt morgen.", BotWithResponses(), conversation, watch(1))
    assert text.endswith(" Ihr Paket kommt morgen.") and text.removesuffix(" Ihr Paket kommt morgen.") in VARIATIONS


def test_at_most_one_acknowledgement_every_few_customer_messages() -> None:
    conversation, bot = str(uuid.uuid4()), BotWithResponses()
    said = [deescalation.prefix_acknowledgement("Gern.", bot, conversation, watch(turn, "disappointment")) != "Gern."
            for turn in range(1, 8)]
    assert said == [True, False, False, True, False, False, True]


def test_a_new_window_after_a_handoff_may_be_acknowledged_again() -> None:
    conversation, bot = str(uuid.uuid4()), BotWithResponses()
    assert deescalation.prefix_acknowledgement("Gern.", bot, conversation, watch(5)) != "Gern."
    assert deescalation.prefix_acknowledgement("Gern.", bot, conversation, watch(1)) != "Gern."


def test_thanks_and_relief_are_never_acknowledged() -> None:
    conversation = str(uuid.uuid4())
    happy = watch(1, "exclamations", "positive")
    assert not deescalation.acknowledgement_due(conversation, happy)
    assert deescalation.prefix_acknowledgement("Gern geschehen.", BotWithResponses(), conversation, happy) == "Gern geschehen."
    # Sarcastic thanks with an explicit cue ("Danke für nichts, ihr Idioten") is no happy message.
    assert deescalation.acknowledgement_due(conversation, watch(1, "positive", "insult"))


def test_without_a_bot_text_the_acknowledgement_stands_alone() -> None:
    conversation = str(uuid.uuid4())
    assert deescalation.prefix_acknowledgement(None, BotWithResponses(), conversation, watch(1)) in VARIATIONS


def test_only_a_message_that_itself_shows_frustration_is_acknowledged() -> None:
    """The policy's `watch` looks at the conversation; the acknowledgement at this message's own tone and intent."""
    bot = BotWithResponses()
    calm = {"score": 0.3, "label": "calm", "cues": []}
    said = [
        deescalation.prefix_acknowledgement("Gern.", bot, str(uuid.uuid4()), watch(2), tone, intent) != "Gern."
        for tone, intent in (
            (calm, "shipping_time"),                                                      # calm question
            ({"score": 0.9, "label": "frustrated", "cues": []}, "bot_challenge"),        # "bist du ein Mensch?!"
            ({"score": 0.55, "label": "frustrated", "cues": []}, "order_status"),        # not confident
            ({"score": 0.6, "label": "frustrated", "cues": ["repeated_failure"]}, "order_status"),
            ({"score": 0.85, "label": "frustrated", "cues": []}, "order_status"),
        )
    ]
    assert said == [False, False, False, True, True]
