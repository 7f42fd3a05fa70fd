"""Consistency of the assistant's content: German responses, every intent handled, no unused response."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.custom_messages import HUMAN_REQUEST_PAYLOAD, HUMAN_REQUEST_TITLE

pytestmark = pytest.mark.unit

ROOT = Path(__file__).resolve().parents[2]
ACTIONS_DIR = ROOT / "actions"
DIALOGUE_FILES = (ROOT / "data" / "rules.yml", ROOT / "data" / "stories.yml")
RESPONSES_USED_ELSEWHERE = {"utter_ack_frustration", "utter_offer_human", "utter_handoff"}
# Said to customers who write in another language: German first, then the same in English.
BILINGUAL_RESPONSES = {"utter_other_language"}

GERMAN_WORDS = {
    "der", "die", "das", "den", "dem", "des", "und", "oder", "ist", "sind", "sie", "ihre", "ihr", "ihrer",
    "ihren", "ihnen", "ich", "wir", "uns", "nicht", "mit", "zu", "zur", "zum", "ein", "eine", "einen", "es",
    "um", "für", "bei", "auf", "von", "im", "in", "an", "wie", "wird", "wurde", "gern", "bitte", "danke",
}
ENGLISH_WORDS = {"the", "please", "and", "you", "your", "is", "to", "of", "we", "thanks", "sorry", "order"}
INFORMAL_WORDS = {"du", "dich", "dir", "dein", "deine", "deinen", "euch"}
HOTLINE = "+49 40 1234567-0"
COMPANY_EMAILS = {"service@nordwind-versand.de", "datenschutz@nordwind-versand.de"}


def _yaml(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def domain() -> dict:
    return _yaml(ROOT / "domain.yml")


@pytest.fixture(scope="module")
def dialogue_steps() -> list[dict]:
    steps: list[dict] = []
    for path in DIALOGUE_FILES:
        data = _yaml(path)
        for block in (data.get("rules") or []) + (data.get("stories") or []):
            steps.extend(block.get("steps") or [])
    return steps


def _response_texts(domain: dict) -> list[tuple[str, str]]:
    return [(name, variant["text"]) for name, variants in domain["responses"].items() for variant in variants]


def _words(text: str) -> set[str]:
    without_placeholders = re.sub(r"\{[^}]*\}", " ", text)
    return {word.lower() for word in re.findall(r"[A-Za-zÄÖÜäöüß]+", without_placeholders)}


def looks_german(text: str) -> bool:
    words = _words(text)
    has_german_signal = bool(words & GERMAN_WORDS) or bool(re.search(r"[äöüÄÖÜß]", text))
    return has_german_signal and not (words & ENGLISH_WORDS)


def test_the_german_heuristic_tells_german_from_english():
    assert looks_german("Wie lautet Ihre Bestellnummer?")
    assert not looks_german("Please tell me your order number.")
    assert not looks_german("Thanks, das ist the Antwort")


def test_every_response_text_is_german(domain):
    not_german = [(name, text) for name, text in _response_texts(domain)
                  if name not in BILINGUAL_RESPONSES and not looks_german(text)]
    assert not_german == []


def test_bilingual_responses_say_it_in_german_first(domain):
    for name in BILINGUAL_RESPONSES:
        for variant in domain["responses"][name]:
            german, _, english = variant["text"].partition(". ")
            assert looks_german(german) and _words(english) & ENGLISH_WORDS, (name, variant["text"])


def test_responses_address_the_customer_formally(domain):
    informal = [(name, text) for name, text in _response_texts(domain) if _words(text) & INFORMAL_WORDS]
    assert informal == []


def test_button_titles_are_german_and_payloads_are_known_intents(domain):
    intents = set(domain["intents"])
    for name, variants in domain["responses"].items():
        for variant in variants:
            for button in variant.get("buttons", []):
                assert name in BILINGUAL_RESPONSES or not (_words(button["title"]) & ENGLISH_WORDS), (name, button)
                assert button["payload"].startswith("/") and button["payload"][1:] in intents, (name, button)


def test_every_talk_to_a_person_button_has_the_one_title(domain):
    for name, variants in domain["responses"].items():
        for variant in variants:
            for button in variant.get("buttons", []):
                # A "Ja, bitte" answering "shall I connect you?" is the same request, worded as an answer.
                names_the_request = "sprechen" in button["title"]
                if button["payload"] == HUMAN_REQUEST_PAYLOAD and names_the_request and name not in BILINGUAL_RESPONSES:
                    assert button["title"] == HUMAN_REQUEST_TITLE, (name, button)


def test_contact_facts_are_the_same_everywhere(domain):
    for name, text in _response_texts(domain):
        for phone in re.findall(r"\+\d[\d \-]{6,}\d", text):
            assert phone == HOTLINE, (name, phone)
        for email in re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", text):
            assert email in COMPANY_EMAILS, (name, email)


def test_every_intent_has_a_rule_or_story(domain, dialogue_steps):
    handled = {step["intent"] for step in dialogue_steps if "intent" in step}
    assert sorted(set(domain["intents"]) - handled) == []


def test_rules_and_stories_only_use_known_actions(domain, dialogue_steps):
    known = (set(domain["actions"]) | set(domain["responses"]) | set(domain["forms"])
             | {"action_deactivate_loop", "action_listen"})
    used = {step["action"] for step in dialogue_steps if "action" in step}
    assert sorted(used - known) == []


def _utter_names_in_actions_code() -> set[str]:
    names: set[str] = set()
    for path in ACTIONS_DIR.glob("*.py"):
        # Only quoted names: response names are string constants, `utter_message` is a method.
        names |= set(re.findall(r"[\"'](utter_[a-z_]+)[\"']", path.read_text(encoding="utf-8")))
    return names


def test_no_response_is_unused(domain, dialogue_steps):
    used = {step["action"] for step in dialogue_steps if "action" in step}
    used |= _utter_names_in_actions_code() | RESPONSES_USED_ELSEWHERE
    used |= {f"utter_ask_{slot}" for form in domain["forms"].values() for slot in form["required_slots"]}
    # The ContextPolicy answers a follow-up asking one detail with utter_<topic>_<cost|time> (bot/dialogue/policy.py).
    used |= {f"utter_{intent}_{detail}" for intent in domain["intents"] for detail in ("cost", "time")}
    assert sorted(set(domain["responses"]) - used) == []


def test_responses_named_in_actions_code_exist(domain):
    assert sorted(_utter_names_in_actions_code() - set(domain["responses"])) == []


def test_form_required_slots_exist_and_can_be_asked_for(domain):
    for form in domain["forms"].values():
        for slot in form["required_slots"]:
            assert slot in domain["slots"]
            assert f"utter_ask_{slot}" in domain["responses"]


def test_frustration_acknowledgements_are_varied_single_sentences(domain):
    texts = [variant["text"] for variant in domain["responses"]["utter_ack_frustration"]]
    assert len(texts) >= 8 and len(set(texts)) == len(texts)
    for text in texts:
        assert len(re.findall(r"[.!?](?:\s|$)", text)) == 1, text
        assert "unannehmlichkeiten" not in text.lower()


def test_offer_of_a_person_has_yes_and_no_buttons(domain):
    [offer] = domain["responses"]["utter_offer_human"]
    assert [(b["title"], b["payload"]) for b in offer["buttons"]] == [
        ("Ja, bitte", "/request_human"),
        ("Nein, danke", "/deny"),
    ]


def test_the_handoff_announcement_promises_no_person_right_now(domain):
    """The service says next whether someone is free (queue position and wait) or not (after hours: a ticket);
    the bot's sentence before it must be true in both cases, and say the customer need not repeat anything."""
    for variation in domain["responses"]["utter_handoff"]:
        text = variation["text"]
        assert not re.search(r"\b(übergebe|verbinde|gleich|sofort|jetzt)\b", text, re.IGNORECASE), text
        assert "nichts wiederholen" in text
