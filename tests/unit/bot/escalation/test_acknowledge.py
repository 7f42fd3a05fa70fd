"""Choice of the de-escalation sentence: varied, deterministic, specific when the cues allow."""
from __future__ import annotations

import re

import pytest

from bot.escalation.acknowledge import choose_acknowledgement

pytestmark = pytest.mark.unit

# Written for the tests; the real ones live in domain.yml (utter_ack_frustration).
GENERAL = [
    "Ich verstehe, dass Sie sich ärgern, wenn etwas nicht wie erwartet ankommt.",
    "Das ist ärgerlich, ich kümmere mich sofort darum.",
    "Sie haben recht, so sollte es nicht laufen.",
]
WAITING = "Entschuldigen Sie, dass Sie so lange warten mussten."
REPEATING = "Verständlich, dass es nervt, alles mehrmals zu erklären."
VARIATIONS = [*GENERAL, WAITING, REPEATING]


def test_no_variations_no_sentence() -> None:
    assert choose_acknowledgement([], "c1", 3) is None


def test_the_same_conversation_and_turn_always_get_the_same_sentence() -> None:
    first = [choose_acknowledgement(VARIATIONS, "c1", turn) for turn in range(6)]
    again = [choose_acknowledgement(VARIATIONS, "c1", turn) for turn in range(6)]

    assert first == again


def test_consecutive_turns_never_repeat_and_all_general_sentences_are_used() -> None:
    for conversation in ("c1", "c2", "kunde-77", "x"):
        chosen = [choose_acknowledgement(VARIATIONS, conversation, turn) for turn in range(9)]

        assert all(a != b for a, b in zip(chosen, chosen[1:]))
        assert set(chosen) == set(GENERAL)


def test_conversations_do_not_all_start_with_the_same_sentence() -> None:
    firsts = {choose_acknowledgement(VARIATIONS, f"conversation-{n}", 1) for n in range(20)}

    assert len(firsts) > 1


def test_cue_specific_sentence_is_preferred_and_others_are_not_used_without_their_cue() -> None:
    assert choose_acknowledgement(VARIATIONS, "c1", 4, cues=["waiting_time"]) == WAITING
    assert choose_acknowledgement(VARIATIONS, "c1", 4, cues=["repeat_contact", "caps"]) == REPEATING
    without_cue = {choose_acknowledgement(VARIATIONS, "c1", turn, cues=["caps"]) for turn in range(10)}
    assert WAITING not in without_cue and REPEATING not in without_cue


def test_previous_sentence_is_not_repeated_even_when_the_cue_fires_again() -> None:
    chosen = choose_acknowledgement(VARIATIONS, "c1", 5, cues=["waiting_time"], previous=WAITING)

    assert chosen in GENERAL


def test_previous_sentence_is_not_repeated_across_non_consecutive_turns() -> None:
    two = GENERAL[:2]
    for turn in range(6):
        previous = choose_acknowledgement(two, "c1", turn)
        assert choose_acknowledgement(two, "c1", turn + 2, previous=previous) != previous


def test_erwartet_is_not_about_waiting() -> None:
    # GENERAL[0] contains "erwartet"; it must stay in the general pool.
    used = {choose_acknowledgement(VARIATIONS, "c1", turn) for turn in range(6)}

    assert GENERAL[0] in used


def test_a_single_variation_is_used_even_if_it_was_the_previous_one() -> None:
    assert choose_acknowledgement([WAITING], "c1", 2, previous=WAITING) == WAITING


def test_without_a_cue_no_sentence_presumes_what_happened() -> None:
    """A frustrated "hallo??" got "Wenn die Lieferung sich so zieht …": the general sentences of the real domain
    must fit any message, naming no delivery, order or story the customer never told."""
    from pathlib import Path

    from ruamel.yaml import YAML

    domain = YAML(typ="safe").load((Path(__file__).resolve().parents[4] / "domain.yml").read_text(encoding="utf-8"))
    variations = [v["text"] for v in domain["responses"]["utter_ack_frustration"]]
    chosen = {choose_acknowledgement(variations, f"c{n}", turn) for n in range(40) for turn in range(3)}
    presuming = re.compile(r"liefer|bestell|paket|zieht|wart|schilder|mehrmals|erwartet", re.IGNORECASE)
    assert chosen and not [text for text in chosen if presuming.search(text)]


# --- when to acknowledge at all (issue 17) -------------------------------------------------------------------
from bot.escalation.acknowledge import CONFIDENT_SCORE, MIN_TURNS_BETWEEN, should_acknowledge  # noqa: E402


def test_an_explicit_cue_or_a_confident_score_earns_an_acknowledgement() -> None:
    assert should_acknowledge(["repeated_failure"], 0.5)
    assert should_acknowledge(["insult"], 0.3)
    assert should_acknowledge([], CONFIDENT_SCORE)


def test_a_watch_level_alone_is_not_enough() -> None:
    assert not should_acknowledge([], CONFIDENT_SCORE - 0.1)
    assert not should_acknowledge(["exclamations", "question_marks"], 0.6)


def test_never_for_thanks_relief_or_questions_about_the_bot() -> None:
    assert not should_acknowledge(["positive", "exclamations"], 0.9)
    assert not should_acknowledge([], 0.95, intent="bot_challenge")
    for intent in ("thank", "greet", "goodbye"):
        assert not should_acknowledge([], 0.95, intent=intent)


def test_at_most_once_every_few_turns() -> None:
    assert not should_acknowledge(["disappointment"], 0.9, turn_number=4, last_acknowledged_turn=3)
    assert should_acknowledge(["disappointment"], 0.9, turn_number=3 + MIN_TURNS_BETWEEN, last_acknowledged_turn=3)


def test_no_domain_variation_claims_a_cause_the_customer_did_not_name() -> None:
    """Every variation either fits any frustrated message or names the cause of a cue that must have fired."""
    from pathlib import Path

    from ruamel.yaml import YAML

    from bot.escalation.acknowledge import CUE_WORD_STARTS

    domain = YAML(typ="safe").load((Path(__file__).resolve().parents[4] / "domain.yml").read_text(encoding="utf-8"))
    variations = [v["text"] for v in domain["responses"]["utter_ack_frustration"]]
    claims = re.compile(r"recht\b|so sollte|trotz des|mehrmals|schon länger|an ihrer stelle|liefer|paket", re.I)
    assert not [text for text in variations if claims.search(text)]
    for cue in CUE_WORD_STARTS:
        # a calm message carries no cue: only cue-free general variations may be said, and only after a cue
        chosen = {choose_acknowledgement(variations, f"c{n}", turn, cues=[cue]) for n in range(20) for turn in range(3)}
        assert chosen
