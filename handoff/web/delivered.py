"""Which messages a connection has delivered, in bounded memory: each message once, however long the conversation.

The bus and a direct send (or a bus redelivery) may both bring one message, close together. The last `kept` seqs
are remembered; anything at or below the oldest forgotten one counts as delivered (a connection replays older
messages only when it opens). A set of every seq grew with the conversation, per connection.
"""
from __future__ import annotations

SEQS_KEPT = 256


class DeliveredSeqs:
    def __init__(self, kept: int = SEQS_KEPT) -> None:
        self.kept = kept
        self.recent: dict[object, None] = {}
        self.forgotten_up_to = 0

    def first_time(self, seq: object) -> bool:
        """True (and remembered) the first time a seq is seen; False for a duplicate."""
        if seq in self.recent or (isinstance(seq, int) and seq <= self.forgotten_up_to):
            return False
        self.recent[seq] = None
        if len(self.recent) > self.kept:
            oldest = next(iter(self.recent))
            del self.recent[oldest]
            if isinstance(oldest, int):
                self.forgotten_up_to = max(self.forgotten_up_to, oldest)
        return True

    def __len__(self) -> int:
        return len(self.recent)
