"""E-mail as a channel of a ticket (issue 16).

Pure parts (no I/O): `decode` (MIME → text, charsets), `html_text` (HTML → plain text), `quotes` (the new text of
a reply, without quoted history and signature), `parse` (one inbound mail as an `InboundMail`), `loops`
(auto-replies, bounces, bulk: never answered automatically), `threading` (which ticket a mail belongs to),
`addresses` (validation, reply tokens), `compose` (the outgoing MIME message).
I/O parts: `outbox` (the background sender), `smtp_intake` (aiosmtpd receiver), `imap_intake` (IMAP polling).
"""
