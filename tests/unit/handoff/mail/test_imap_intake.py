"""The pure parts of the IMAP intake: folder names as IMAP wants them (modified UTF-7, quoted)."""
from __future__ import annotations

import pytest

from handoff.mail.imap_intake import mailbox_name


@pytest.mark.parametrize("folder,wire", [
    ("INBOX", '"INBOX"'),
    ("Support Eingang", '"Support Eingang"'),                  # a space: only quoted it is one argument
    ("Entwürfe", '"Entw&APw-rfe"'),                            # RFC 3501 5.1.3
    ("Posteingang/Rückfragen", '"Posteingang/R&APw-ckfragen"'),
    ("Größe ÄÖÜ", '"Gr&APYA3w-e &AMQA1gDc-"'),
    ("A&B", '"A&-B"'),                                         # a literal & is escaped as &-
    ("a\\b", '"a\\\\b"'),                                      # a backslash is escaped inside the quotes
    ("~peter/mail/台北/日本語", '"~peter/mail/&U,BTFw-/&ZeVnLIqe-"'),   # the RFC's own example
])
def test_folder_names_are_modified_utf7_and_quoted(folder, wire):
    assert mailbox_name(folder) == wire
