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
