"""The mail corpus (tests/fixtures/mail/): 35 German mails as real mail programs write them, each with its expected
outcome in expected.json: what kind of mail it is, which ticket it threads to (or a new ticket), what the new text
says and what it must not contain, bounces, attachments. The threading rules run against an in-memory lookup of
the corpus world (two tickets with their customers, tokens and Message-IDs); the store-backed lookup has its own
integration tests.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from handoff.mail import threading
from handoff.mail.addresses import tokens_in
from handoff.mail.loops import classify
from handoff.mail.parse import parse_mail

CORPUS = Path(__file__).resolve().parents[3] / "fixtures" / "mail"
EXPECTED = json.loads((CORPUS / "expected.json").read_text(encoding="utf-8"))
WORLD = EXPECTED["world"]
MAILS = sorted(EXPECTED["mails"].items())


def _refs():
    by_number = {}
    for ticket in WORLD["tickets"]:
        by_number[ticket["number"]] = (ticket, threading.TicketRef(
            ticket_id=f"t-{ticket['number']}", number=ticket["number"], customer_email=ticket["customer_email"]))
    return by_number


def _decide(mail) -> threading.Decision:
    tickets = _refs()
    by_token = by_message_id = by_subject = None
    for token in tokens_in(mail.recipients, WORLD["reply_mailbox"], WORLD["reply_domain"]):
        by_token = next((ref for t, ref in tickets.values() if t["token"] == token), None) or by_token
    ids = threading.message_id_order(mail.in_reply_to, mail.references)
    if mail.original_message_id:
        ids.insert(0, mail.original_message_id)
    for message_id in ids:
        by_message_id = next((ref for t, ref in tickets.values() if message_id in t["message_ids"]), None)
        if by_message_id:
            break
    for number in threading.subject_numbers(mail.subject):
        if number in tickets:
            by_subject = tickets[number][1]
            break
    return threading.decide(threading.Candidates(mail.from_address, by_token, by_message_id, by_subject))


def test_corpus_is_large_enough_and_covers_every_kind():
    assert len(MAILS) >= 30
    kinds = {expected["kind"] for _, expected in MAILS}
    assert kinds == {"person", "auto_reply", "bounce", "bulk", "own"}


@pytest.mark.parametrize("name,expected", MAILS, ids=[name for name, _ in MAILS])
def test_mail(name, expected):
    raw = (CORPUS / name).read_bytes()
    mail = parse_mail(raw, max_attachment_bytes=WORLD["attachment_limit_bytes"])
    verdict = classify(mail, frozenset(WORLD["own_addresses"]), WORLD["own_domain"])
    assert verdict.kind == expected["kind"], (verdict, mail.headers)
    if "no_auto_answer" in expected:
        assert verdict.no_auto_answer == expected["no_auto_answer"]
    if verdict.kind != "person":
        assert not verdict.may_auto_answer
    if "subject" in expected:
        assert mail.subject == expected["subject"]
    if "from_name" in expected:
        assert mail.from_name == expected["from_name"]
    assert mail.html_only is expected.get("html_only", False)
    for part in expected["contains"]:
        assert part in mail.new_text, f"{part!r} missing in:\n{mail.new_text}"
    for part in expected["excludes"]:
        assert part not in mail.new_text, f"{part!r} present in:\n{mail.new_text}"
    assert "\ufffd" not in mail.text   # every charset decoded, nothing replaced

    want = expected["thread"]
    if want is None:   # own mails and bulk mails are dropped before threading (kept raw only)
        assert verdict.kind in ("own", "bulk")
        return
    decision = _decide(mail)
    assert (decision.ticket.number if decision.ticket else None) == want["ticket"]
    if want["ticket"] is not None:
        assert decision.via == want["via"]
    assert decision.refused_reference == want.get("refused_reference")

    if "bounce" in expected:
        status = mail.delivery_status[0]
        assert (status.recipient, status.status, status.permanent) == (
            expected["bounce"]["recipient"], expected["bounce"]["status"], expected["bounce"]["permanent"])
    if "attachments" in expected:
        assert [{"filename": a.filename, "refused": a.refused} for a in mail.attachments] == expected["attachments"]
