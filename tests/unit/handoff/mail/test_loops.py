"""Loop rules beyond the corpus."""
from __future__ import annotations

from handoff.mail.loops import MailKind, classify
from handoff.mail.parse import parse_mail

OWN = frozenset({"support@nordwind.example"})


def test_a_bounce_from_our_own_mail_server_is_a_bounce_not_our_own_mail():
    raw = (b"From: MAILER-DAEMON@nordwind.example\r\nTo: support@nordwind.example\r\n"
           b"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <b.1@nordwind.example>\r\n"
           b"X-Failed-Recipients: weg@web.de\r\n\r\n550 5.1.1 user unknown\r\n")
    verdict = classify(parse_mail(raw), OWN, "nordwind.example")
    assert verdict.kind is MailKind.BOUNCE and not verdict.may_auto_answer


def test_a_persons_mail_that_forbids_automatic_answers_is_still_a_persons_mail():
    raw = (b"From: Kim <kim@example.de>\r\nTo: support@nordwind.example\r\nSubject: Frage\r\n"
           b"Precedence: junk\r\nReturn-Path: <kim@example.de>\r\n\r\nHallo\r\n")
    verdict = classify(parse_mail(raw), OWN, "nordwind.example")
    assert verdict.kind is MailKind.BULK and verdict.no_auto_answer == "bulk"
    raw = raw.replace(b"Precedence: junk", b"X-Auto-Response-Suppress: OOF")
    verdict = classify(parse_mail(raw), OWN, "nordwind.example")
    assert verdict.kind is MailKind.PERSON and verdict.no_auto_answer == "X-Auto-Response-Suppress"
    verdict = classify(parse_mail(raw.replace(b"Return-Path: <kim@example.de>", b"Return-Path: <>")
                                  .replace(b"X-Auto-Response-Suppress: OOF\r\n", b"")), OWN, "nordwind.example")
    assert verdict.kind is MailKind.PERSON and verdict.no_auto_answer == "leerer Return-Path"
