"""Data minimisation (invariant 6): redaction of stored transcripts and deletion of old conversations on schedule."""
