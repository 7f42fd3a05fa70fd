"""Runs the real app for the browser tests in its own process: `python -m tests.browser.server PORT DB_URL`.

A subprocess rather than a thread because Sanic 21.12 wants the main thread (signals) and because Playwright's
sync API must not share an event loop with the server. The bot is `tests.fakes.FakeBotEngine` (plus a menu with buttons,
a handoff whose summary carries the customer's words and messages it does not understand); two accounts are
seeded through the service layer before the server accepts requests, with business hours around the clock.
"""
from __future__ import annotations

import os
import sys

ADMIN = {"email": "admin@nordwind.test", "display_name": "Ada Admin", "password": "admin-passwort-123", "role": "admin"}
AGENT = {"email": "lena@nordwind.test", "display_name": "Lena Berger", "password": "agent-passwort-123", "role": "agent"}
MENU_REQUEST = "menü"
MENU_TEXT = "Wobei kann ich helfen?"
MENU_BUTTONS = (("Wo ist meine Bestellung?", "/order_status"),
                ("Mit einem Menschen sprechen", "Ich möchte mit einem Mitarbeiter sprechen"))
# "Übergabe mit Angaben: WORDS" hands off with WORDS in every part of the summary the agent reads (topics, slots,
# reasons, escalation, last messages): the real bot fills these from what customers type.
DETAILED_HANDOFF = "Übergabe mit Angaben:"
HANDOFF_TEXT = "Ich hole eine Kollegin oder einen Kollegen dazu."
# "blubb ..." is not understood (nlu_fallback, low confidence): such messages land in the trainer's review inbox.
NOT_UNDERSTOOD = "blubb"
NOT_UNDERSTOOD_TEXT = "Das habe ich leider nicht verstanden."
NOT_UNDERSTOOD_CONFIDENCE = 0.31
# "Störung melden: WORDS" is recorded as a problem report (category report_outage) as the real bot's
# action_record_problem does, followed by its confirmation: incidents group such reports (issue 14).
PROBLEM_REPORT = "Störung melden:"
MAIL_VARIABLES = ("SMTP_", "MAIL_")
PROBLEM_RECORDED_TEXT = "Danke für den Hinweis, ich habe die Störung an unser Technik-Team weitergegeben."


def main(argv: list[str]) -> None:
    # Imported inside main: the test process imports ADMIN/AGENT from here without loading the app.
    from sanic import Sanic

    from handoff.services import auth
    from handoff.services.business_hours import set_business_hours
    from tests.integration.handoff.web.clients import ALWAYS_OPEN
    from handoff.settings import Settings
    from handoff.store.migrate import upgrade
    from handoff.web.app import create_app
    from bot.custom_messages import CUSTOM_EVENT_KEY, EVENT_HANDOFF_REQUESTED
    from handoff.engine.contract import BotMessage, BotReply, Button
    from tests.fakes import FakeBotEngine

    class MenuBotEngine(FakeBotEngine):
        """The fake bot plus what FakeBotEngine never gives: quick-reply buttons, a summary made of the customer's
        words and a message it did not understand."""

        async def reply(self, sender_id: str, text: str, metadata: dict | None = None) -> BotReply:
            stripped = text.strip()
            if stripped.startswith(DETAILED_HANDOFF):
                return detailed_handoff(stripped[len(DETAILED_HANDOFF):].strip())
            if stripped.startswith(PROBLEM_REPORT):
                report = {CUSTOM_EVENT_KEY: "problem_reported", "category": "report_outage",
                          "description": stripped[len(PROBLEM_REPORT):].strip()}
                return BotReply(messages=(BotMessage(custom=report), BotMessage(text=PROBLEM_RECORDED_TEXT)),
                                intent="report_outage", confidence=0.95)
            if stripped.lower().startswith(NOT_UNDERSTOOD):
                return BotReply(messages=(BotMessage(text=NOT_UNDERSTOOD_TEXT),), intent="nlu_fallback",
                                confidence=NOT_UNDERSTOOD_CONFIDENCE, tone={"score": 0.1, "label": "calm", "cues": []})
            if stripped.lower() != MENU_REQUEST:
                return await super().reply(sender_id, text, metadata)
            buttons = tuple(Button(title=title, payload=payload) for title, payload in MENU_BUTTONS)
            return BotReply(messages=(BotMessage(text=MENU_TEXT, buttons=buttons),), intent="menu", confidence=1.0)

    def detailed_handoff(words: str) -> BotReply:
        summary = {"topics": ["request_human", words], "slots": {"product": words, words: "42"},
                   "last_customer_messages": [words], "escalation": {"summary_de": words}}
        reasons = [{"code": "customer_request", "value": 1.0, "detail": words}, {"code": words, "value": None}]
        handoff = BotMessage(custom={CUSTOM_EVENT_KEY: EVENT_HANDOFF_REQUESTED, "reasons": reasons, "summary": summary})
        return BotReply(messages=(BotMessage(text=HANDOFF_TEXT), handoff), intent="request_human", confidence=0.99,
                        tone={"score": 0.1, "label": "calm", "cues": []})

    port, database_url = int(argv[0]), argv[1]
    settings = Settings.from_env({
        "DATABASE_URL": database_url, "HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "WARNING",
        "ADMIN_EMAIL": ADMIN["email"], "ADMIN_PASSWORD": ADMIN["password"],
        # The suite sends many messages from one loopback address within a minute.
        "RATE_LIMIT_PER_MINUTE": "1000",
        # E-mail (tests/browser/test_tickets_email.py): a test SMTP server and the app's own receiver.
        **{name: value for name, value in os.environ.items() if name.startswith(MAIL_VARIABLES)},
    })
    upgrade(database_url)

    async def fake_bot(_settings: Settings) -> FakeBotEngine:
        return MenuBotEngine()

    app = create_app(settings, bot_engine_factory=fake_bot)

    async def seed_accounts(app: Sanic, _loop: object) -> None:
        services = app.ctx.service_context()
        for account in (ADMIN, AGENT):
            await auth.create_agent(services, account["email"], account["display_name"], account["password"],
                                    role=account["role"])
        # Handoffs must reach the queue whenever the suite runs (CI runs at night too); the after-hours test
        # closes the service itself and restores these hours.
        await set_business_hours(services, ALWAYS_OPEN)

    app.register_listener(seed_accounts, "before_server_start")
    app.run(host="127.0.0.1", port=port, workers=1, access_log=False, motd=False)


if __name__ == "__main__":
    main(sys.argv[1:])
