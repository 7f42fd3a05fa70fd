"""The outgoing mail: headers, encodings, threading headers, Auto-Submitted, and no header injection."""
from __future__ import annotations

import email
from email import policy

import pytest

from handoff.mail.compose import AUTO_GENERATED, HeaderInjection, OutgoingMail, compose, new_message_id
from handoff.mail.parse import parse_mail

TOKEN = "k7q2m4x6p3r5t7v2b4n6c3d2f4g6h5j2"


def _mail(**changes) -> OutgoingMail:
    values = dict(from_address="support@nordwind.example", from_name="Nordwind Kundenservice",
                  to_address="anna.schmidt@gmx.de", to_name="Anna Schmidt",
                  subject="Ihre Rücksendung zu Bestellung 100234",
                  text="Guten Tag Frau Schmidt,\n\ndie Gutschrift über 49,90 € ist veranlasst.\n\nFreundliche Grüße",
                  reference="NW#1234", reply_to=f"support+{TOKEN}@nordwind.example",
                  in_reply_to="<cust.1@gmx.de>", references=["<ours.1@nordwind.example>", "<cust.1@gmx.de>"])
    values.update(changes)
    return OutgoingMail(**values)


def test_answer_has_reference_reply_to_threading_headers_and_two_parts():
    message_id = new_message_id("nordwind.example")
    raw = compose(_mail(), message_id).as_bytes()
    parsed = email.message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == "[NW#1234] Ihre Rücksendung zu Bestellung 100234"
    assert parsed["Message-ID"] == message_id and message_id.endswith("@nordwind.example>")
    assert parsed["Reply-To"].addresses[0].addr_spec == f"support+{TOKEN}@nordwind.example"
    assert parsed["In-Reply-To"] == "<cust.1@gmx.de>"
    assert parsed["References"] == "<ours.1@nordwind.example> <cust.1@gmx.de>"
    assert parsed["Auto-Submitted"] is None            # a person's answer
    assert parsed["Content-Language"] == "de"
    assert parsed.get_content_type() == "multipart/alternative"
    plain = parsed.get_body(("plain",))
    html = parsed.get_body(("html",))
    assert plain["Content-Transfer-Encoding"] == "quoted-printable"
    assert "Gutschrift über 49,90 €" in plain.get_content()
    assert "<p>Guten Tag Frau Schmidt,</p>" in html.get_content()
    assert raw.isascii()   # every header and body encoded for 7-bit transport
    back = parse_mail(raw)
    assert back.subject == "[NW#1234] Ihre Rücksendung zu Bestellung 100234"


def test_automatic_mail_carries_auto_submitted_and_suppress():
    parsed = email.message_from_bytes(compose(_mail(auto_submitted=AUTO_GENERATED), "<a@nordwind.example>")
                                      .as_bytes(), policy=policy.default)
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert parsed["X-Auto-Response-Suppress"] == "All"


def test_reference_is_not_doubled():
    parsed = compose(_mail(subject="Re: [NW#1234] Ihre Rücksendung"), "<a@nordwind.example>")
    assert parsed["Subject"] == "Re: [NW#1234] Ihre Rücksendung"


@pytest.mark.parametrize("field,value", [
    ("subject", "Hallo\r\nBcc: opfer@example.com"),
    ("subject", "Hallo\nBcc: opfer@example.com"),
    ("to_name", "Anna\r\nBcc: opfer@example.com"),
    ("to_address", "anna@gmx.de\r\nBcc: opfer@example.com"),
    ("to_address", "anna@gmx.de, opfer@example.com"),
    ("in_reply_to", "<a@b>\nBcc: x@y"),
])
def test_header_injection_is_refused(field, value):
    with pytest.raises(HeaderInjection):
        compose(_mail(**{field: value}), "<a@nordwind.example>")


def test_html_alternative_escapes_what_the_agent_wrote():
    message = compose(_mail(text='<script>alert(1)</script> & "Zitat"'), "<a@nordwind.example>")
    html = message.get_body(("html",)).get_content()
    assert "<script>" not in html and "&lt;script&gt;" in html and "&amp;" in html
