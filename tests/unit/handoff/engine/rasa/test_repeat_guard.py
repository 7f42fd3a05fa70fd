from dataclasses import dataclass

import pytest

from bot.custom_messages import CUSTOM_EVENT_KEY
from handoff.engine.contract import BotMessage, Button
from handoff.engine.rasa.repeat_guard import NOT_HELPING_TEXT, REPEATED_PREFIX, previous_reply_texts, without_repetition

pytestmark = pytest.mark.unit

CHECKLIST = "Bitte prüfen Sie drei Dinge: …"
STILL_REFUSED = "Wird er trotzdem abgelehnt?"


@dataclass
class Event:
    type_name: str
    text: str | None = None


def user(text):
    return Event("user", text)


def bot(text):
    return Event("bot", text)


def test_previous_reply_is_the_bot_s_texts_between_the_last_two_customer_messages():
    events = [user("Hallo"), bot("Guten Tag!"), user("Gutschein geht nicht"), bot(CHECKLIST), bot(STILL_REFUSED),
              Event("action"), user("Der Code ist WINTER20"), bot(CHECKLIST), bot(STILL_REFUSED)]
    assert previous_reply_texts(events) == [CHECKLIST, STILL_REFUSED]
    assert previous_reply_texts([user("Hallo"), bot("Guten Tag!")]) == []


def test_the_same_answer_again_is_marked_as_repeated_and_a_person_offered():
    again = (BotMessage(text=CHECKLIST), BotMessage(text=STILL_REFUSED, buttons=(Button("Ja", "/affirm"),)))
    first, second, offer = without_repetition(again, [CHECKLIST, STILL_REFUSED], "voucher_problem")
    assert first.text == REPEATED_PREFIX + CHECKLIST and second == again[1]
    assert offer.text == NOT_HELPING_TEXT and offer.buttons[0].payload == "/request_human"


def test_a_repeated_answer_that_offers_a_person_gets_no_second_offer_and_keeps_its_events():
    report = BotMessage(custom={CUSTOM_EVENT_KEY: "problem_reported", "category": "complaint"})
    offer = BotMessage(text="Möchten Sie mit einer Kollegin sprechen?", buttons=(Button("Ja", "/request_human"),))
    marked = without_repetition((report, BotMessage(text="Aufgenommen."), offer),
                                ["Aufgenommen.", offer.text], "complaint")
    assert [m.text for m in marked] == [None, REPEATED_PREFIX + "Aufgenommen.", offer.text]
    assert marked[0] is report


@pytest.mark.parametrize("messages, previous, intent", [
    ((BotMessage(text="Guten Tag!"),), ["Guten Tag!"], "greet"),              # small talk may repeat
    ((BotMessage(text=CHECKLIST),), [CHECKLIST, STILL_REFUSED], "voucher_problem"),   # not the same reply
    ((BotMessage(text=CHECKLIST),), [], "voucher_problem"),                   # first answer
    ((BotMessage(custom={CUSTOM_EVENT_KEY: "handoff_requested"}),), [], "request_human"),
])
def test_everything_else_is_left_as_it_is(messages, previous, intent):
    assert without_repetition(messages, previous, intent) == messages
