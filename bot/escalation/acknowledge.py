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

# Word starts that show a variation speaks about the cue's cause. Word starts, not substrings:
# "erwartet" must not count as being about waiting.
CUE_WORD_STARTS: Mapping[str, tuple[str, ...]] = {
    CUE_WAITING_TIME: ("wart", "lange", "länger", "dauer", "geduld", "zieht"),
    CUE_REPEAT_CONTACT: (
        "mehrmals", "mehrfach", "erneut", "schon wieder", "nochmal", "noch einmal", "wiederhol"
    ),
}


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
