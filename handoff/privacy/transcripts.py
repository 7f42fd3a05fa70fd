"""What of a customer's text is stored: the text itself, or, with REDACT_TRANSCRIPTS, its redacted form.

The bot still answers the original text (it needs the order number to look an order up); only what is written
to the transcript is redacted. Placeholders come from handoff/domain/redaction.py, the same rules training uses.
"""
from __future__ import annotations

from handoff.domain.redaction import redact


def text_to_store(text: str, redact_transcripts: bool) -> str:
    return redact(text) if redact_transcripts else text
