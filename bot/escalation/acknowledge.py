"""Which de-escalation sentence to put before the bot's answer on a "watch" turn.

Varied, because the same "Ich verstehe Ihren Ärger" twice in a row reads like a machine not listening;
and specific when the tone cues allow it, because naming the cause (the waiting, the repeating) is what
makes an acknowledgement believable. Deterministic, so a replayed conversation gets the same reply.
"""
from __future__ import annotations

import hashlib
import re
from typing import Mapping, Sequence

from bot.escalation.names import CUE_REPEAT_CONTACT, CUE_WAITING_TIME

CUE_REPEATED_FAILURE = "repeated_failure"
CUE_DISAPPOINTMENT = "disappointment"
CUE_WORRY = "worry"
CUE_POSITIVE = "positive"
# Cues (bot/tone/cues.py EXPLICIT_FRUSTRATION_CUES) that show annoyance by themselves; the typographic ones,
# sarcasm, waiting and repeat contact also occur in calm or happy messages.
EXPLICIT_CUES = frozenset({
    "insult", "profanity", "mild_profanity", "threat", "legal_threat", "cancel_threat", "public_threat",
    "incompetence", "angry_emoji", "annoyance", CUE_REPEATED_FAILURE, CUE_DISAPPOINTMENT, CUE_WORRY,
})
# A calibrated tone score this high is frustration without any cue (on the tone calibration split, the label
# threshold; docs/tone.md).
CONFIDENT_SCORE = 0.8
# At most one acknowledgement in this many customer messages: the same empathy every turn reads as a script.
MIN_TURNS_BETWEEN = 3
# Intents that never get one: questions about the bot, thanks, greetings, goodbyes, plain yes/no.
NEVER_FOR_INTENTS = frozenset({"bot_challenge", "thank", "thanks", "greet", "goodbye", "affirm"})

# Word starts that show a variation speaks about the cue's cause. Word starts, not substrings:
# "erwartet" must not count as being about waiting.
CUE_WORD_STARTS: Mapping[str, tuple[str, ...]] = {
    CUE_WAITING_TIME: ("wart", "lange", "länger", "dauer", "geduld", "zieht"),
    CUE_REPEAT_CONTACT: (
        "mehrmals", "mehrfach", "erneut", "schon wieder", "nochmal", "noch einmal", "wiederhol"
    ),
    CUE_REPEATED_FAILURE: ("immer noch", "weiterhin", "nicht geholfen", "nicht geklappt"),
    CUE_DISAPPOINTMENT: ("enttäusch",),
    CUE_WORRY: ("sorge",),
}


def should_acknowledge(
    cues: Sequence[str],
    score: float,
    intent: str | None = None,
    turn_number: int = 0,
    last_acknowledged_turn: int | None = None,
) -> bool:
    """Whether this customer message earns a de-escalation sentence at all (issue 17).

    Only when the message itself shows frustration (an explicit cue, or a confident score), never for thanks,
    praise or relief (the `positive` cue without an explicit one), never for questions about the bot,
    greetings, goodbyes, and at most once in MIN_TURNS_BETWEEN customer messages.
    """
    fired = set(cues)
    explicit = bool(fired & EXPLICIT_CUES)
    if intent in NEVER_FOR_INTENTS and not explicit:
        return False
    if CUE_POSITIVE in fired and not explicit:
        return False
    if last_acknowledged_turn is not None and turn_number - last_acknowledged_turn < MIN_TURNS_BETWEEN:
        return False
    return explicit or score >= CONFIDENT_SCORE


def choose_acknowledgement(
    variations: Sequence[str],
    conversation_id: str,
    turn_number: int,
    cues: Sequence[str] = (),
    previous: str | None = None,
) -> str | None:
    """One of `variations` (the texts of utter_ack_frustration), or None when there are none.

    Within one pool, consecutive turn numbers always give different sentences; `previous` (the sentence
    used last in this conversation) is never repeated as long as another variation exists.
    """
    if not variations:
        return None
    specific = [text for text in variations if _speaks_about(text, cues)]
    general = [text for text in variations if not _speaks_about(text, CUE_WORD_STARTS)]
    # A sentence about waiting must not be said to someone who never mentioned waiting.
    pools = [specific, general, list(variations)] if specific else [general, list(variations)]
    start = _conversation_offset(conversation_id) + turn_number
    for pool in pools:
        for step in range(len(pool)):
            candidate = pool[(start + step) % len(pool)]
            if candidate != previous:
                return candidate
    return variations[0]


def _speaks_about(text: str, cues: Sequence[str] | Mapping[str, tuple[str, ...]]) -> bool:
    folded = text.lower()
    return any(
        re.search(rf"\b{re.escape(start)}", folded) for cue in cues for start in CUE_WORD_STARTS.get(cue, ())
    )


def _conversation_offset(conversation_id: str) -> int:
    # hashlib, not hash(): Python salts str hashes per process, and replies must not change on restart.
    return int.from_bytes(hashlib.sha256(conversation_id.encode("utf-8")).digest()[:4], "big")
