"""Untrusted text is shown as text, never as markup, on every page it reaches: what customers write (widget, queue,
transcript, handoff summary, trainer inbox, ticket), agents' names and notes, canned replies.

Each test checks that the text is there literally, that no element it could have created exists in that area, and that
no dialog opened and no page error (a CSP report included) happened."""
from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.pages import AdminPage, ConsolePage, TrainerPage, WidgetPage, injected
from tests.browser.server import DETAILED_HANDOFF, HANDOFF_TEXT, NOT_UNDERSTOOD, NOT_UNDERSTOOD_TEXT

IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
SCRIPT_PAYLOAD = "<script>alert('xss')</script>"
# One payload per area, so that a failure says where; no quotes, so exports and attributes keep them unchanged.
SUMMARY_PAYLOAD = "<img src=x onerror=alert(11)><script>alert(12)</script>"
AGENT_NAME = "<img src=x onerror=alert(21)>Mia <script>alert(22)</script>"
AGENT_EMAIL = "mia.markup@nordwind.test"
AGENT_PASSWORD = "mia-passwort-1234"
# An address the server accepts: nothing in its local part forbids markup.
MARKUP_AGENT_EMAIL = "<img/src=x/onerror=alert(23)>@nordwind.test"
NOTE_PAYLOAD = "<b>intern</b> <img src=x onerror=alert(24)>"
AGENT_REPLY = "<b>fett</b> <img src=y onerror=alert(2)>"
CANNED_SHORTCUT = "markup"
CANNED_TITLE = "<img src=x onerror=alert(31)>Titel"
CANNED_TEXT = "<script>alert(32)</script><b>Text</b> <img src=x onerror=alert(33)>"
TRAINER_PAYLOAD = "<img src=x onerror=alert(41)> <script>alert(42)</script>"
# Addresses are validated where they are typed (issue 16): one with markup is refused, so the markup travels in the
# note and the agent's name instead.
TICKET_EMAIL = "kunde.test+51@beispiel.de"
TICKET_NOTE = "<script>alert(52)</script> Rückruf bitte"
ASK_FOR_HUMAN = "Ich möchte mit einem Mitarbeiter sprechen"
ALWAYS_CLOSED = {"time_zone": "Europe/Berlin", "holidays": [],
                 "weekly": {day: [] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}}


def assert_clean(*pages: Any) -> None:
    for page in pages:
        assert page.watch.dialogs == []
        assert page.watch.errors == []


def escalate(widget: WidgetPage, first: str, bot_answer: str) -> str:
    widget.send(first)
    widget.expect_message("bot", bot_answer)
    if bot_answer != HANDOFF_TEXT:
        widget.send(ASK_FOR_HUMAN)
    expect(widget.notice).to_contain_text("Eine Kollegin/ein Kollege übernimmt gleich.")
    return widget.session()["conversation_id"]


def test_html_from_a_customer_is_shown_literally_and_never_runs(new_page, agent_account):
    console = ConsolePage(new_page()).login(agent_account)
    widget = WidgetPage(new_page()).visit().open()
    widget.send(IMG_PAYLOAD)
    widget.expect_message("bot", f"Antwort auf: {IMG_PAYLOAD}")
    widget.send(SCRIPT_PAYLOAD)
    widget.expect_message("bot", f"Antwort auf: {SCRIPT_PAYLOAD}")
    widget.send("Bitte einen Mitarbeiter")
    conversation_id = widget.session()["conversation_id"]

    expect(widget.message("customer", IMG_PAYLOAD)).to_have_count(1)
    expect(widget.message("customer", SCRIPT_PAYLOAD)).to_have_count(1)
    assert widget.log.locator("img, script").count() == 0

    item = console.queue_item(conversation_id)
    expect(item.locator(".first-message")).to_have_text(IMG_PAYLOAD)
    pane = console.open_from_queue(conversation_id)
    transcript = pane.locator(".transcript")
    expect(transcript.locator(".msg--customer", has_text=IMG_PAYLOAD)).to_have_count(1)
    expect(transcript.locator(".msg--customer", has_text=SCRIPT_PAYLOAD)).to_have_count(1)
    assert console.page.locator("#queue-list img, #queue-list script, .transcript img, .transcript script").count() == 0

    # An agent's reply with markup is text for the customer too.
    console.claim(pane)
    console.reply(pane, "<b>fett</b> <img src=y onerror=alert(2)>")
    expect(widget.message("agent", "<b>fett</b> <img src=y onerror=alert(2)>")).to_be_visible()
    assert widget.log.locator("b, img").count() == 0

    assert widget.watch.dialogs == [] and console.watch.dialogs == []
    assert widget.watch.errors == [] and console.watch.errors == []


def test_a_handoff_summary_made_of_customer_text_stays_text_in_queue_and_conversation(new_page, agent_account):
    """"Worum es geht" and the queue card: topics, slots (names and values), reasons and their details, the
    escalation summary and the last customer messages, all filled with what the customer typed."""
    console = ConsolePage(new_page()).login(agent_account)
    widget = WidgetPage(new_page()).visit().open()
    conversation_id = escalate(widget, f"{DETAILED_HANDOFF} {SUMMARY_PAYLOAD}", HANDOFF_TEXT)

    item = console.queue_item(conversation_id)
    expect(item.locator(".chips li")).to_have_text(["Kunde möchte einen Menschen", SUMMARY_PAYLOAD])
    expect(item.locator(".facts dd")).to_have_text(
        [f"Mensch gewünscht, {SUMMARY_PAYLOAD}", SUMMARY_PAYLOAD, "42", SUMMARY_PAYLOAD])
    expect(item.locator(".first-message")).to_have_text(f"{DETAILED_HANDOFF} {SUMMARY_PAYLOAD}")
    assert injected(console.page.locator("#queue-list")) == []

    pane = console.open_from_queue(conversation_id)
    about = pane.locator(".about")
    expect(about.get_by_role("heading", name="Worum es geht")).to_be_visible()
    chips = about.locator(".chips li")
    expect(chips).to_have_text(["Kunde möchte einen Menschen", SUMMARY_PAYLOAD])
    expect(chips.first).to_have_attribute("title", SUMMARY_PAYLOAD)
    expect(about.locator(".facts dt")).to_have_text(["Themen", "Produkt", SUMMARY_PAYLOAD, "Verlauf"])
    expect(about.locator(".facts dd")).to_have_text(
        [f"Mensch gewünscht, {SUMMARY_PAYLOAD}", SUMMARY_PAYLOAD, "42", SUMMARY_PAYLOAD])
    expect(about.locator(".last-messages q")).to_have_text([SUMMARY_PAYLOAD])
    expect(about.locator(":scope > p.muted")).to_have_text(SUMMARY_PAYLOAD)  # the reasons' details
    assert injected(about) == []
    assert injected(pane.locator(".transcript")) == []
    assert injected(widget.log) == []
    assert_clean(console, widget)


def test_an_agent_name_and_note_with_markup_stay_text_in_admin_page_console_and_widget(new_page, api, admin_account):
    """The display name an admin gives an agent reaches the admin list, the console's top bar and transcript, and
    the customer (state frame `agent_name`, typing, message sender); the agent's internal note stays text too."""
    admin = ConsolePage(new_page()).login(admin_account)
    token = api.login(admin_account)
    status, _ = api.call("POST", "/api/admin/agents", {"email": MARKUP_AGENT_EMAIL, "display_name": "Eva Adresse",
                                                       "password": AGENT_PASSWORD}, token=token)
    assert status == 422, "an address with markup is no address"
    admin_page = AdminPage(admin.page).visit()
    row = admin_page.create_agent(AGENT_NAME, AGENT_EMAIL, AGENT_PASSWORD)
    expect(row.locator("td").first).to_have_text(AGENT_NAME)
    expect(admin_page.status).to_be_empty()
    assert injected(admin_page.agents) == []

    account = {"email": AGENT_EMAIL, "password": AGENT_PASSWORD, "display_name": AGENT_NAME}
    console = ConsolePage(new_page()).login(account)  # waits for #agent-name to read AGENT_NAME literally
    assert injected(console.page.locator(".topbar")) == []
    widget = WidgetPage(new_page()).visit().open()
    conversation_id = escalate(widget, "Wo bleibt mein Paket?", "Antwort auf: Wo bleibt mein Paket?")
    pane = console.open_from_queue(conversation_id)
    console.claim(pane)
    expect(widget.notice).to_have_text(f"{AGENT_NAME} ist jetzt für Sie da.")  # from the state frame

    # Typing frames carry no name: the widget names the agent the state frame announced, before any message.
    pane.get_by_label("Nachricht an den Kunden").press_sequentially("Einen Moment", delay=20)
    expect(widget.panel.locator(".nw-typing")).to_contain_text(f"{AGENT_NAME} schreibt …")
    assert injected(widget.panel.locator(".nw-typing")) == []
    pane.get_by_label("Nachricht an den Kunden").fill("")
    console.reply(pane, "Guten Tag")
    expect(widget.message("agent", "Guten Tag").locator(".nw-msg__sender")).to_contain_text(AGENT_NAME)
    transcript = pane.locator(".transcript")
    expect(transcript.locator(".msg--agent .msg-sender")).to_have_text(AGENT_NAME)

    pane.get_by_label("Interne Notiz (nur für das Team)").check()
    console.reply(pane, NOTE_PAYLOAD)
    note = transcript.locator(".msg--note")
    expect(note.locator(".msg-text")).to_have_text(NOTE_PAYLOAD)
    expect(note.locator(".msg-sender")).to_have_text(f"Interne Notiz · {AGENT_NAME}")
    assert injected(transcript) == []

    # Reloaded from the API (notes come separately there), the name and the note are still text.
    console.reopen(account)
    console.page.locator("#mine-list").get_by_role("button", name=f"Gespräch {conversation_id[:8]}").click()
    transcript = console.conversation(conversation_id).locator(".transcript")
    expect(transcript.locator(".msg--note .msg-text")).to_have_text(NOTE_PAYLOAD)
    expect(transcript.locator(".msg--agent .msg-sender")).to_have_text(AGENT_NAME)
    assert injected(console.page.locator("body")) == []
    expect(widget.log).not_to_contain_text("intern")
    assert injected(widget.log) == [] and injected(widget.notice) == []
    assert_clean(admin, console, widget)


def test_a_canned_reply_with_markup_stays_text_in_admin_list_picker_and_widget(new_page, api, admin_account):
    admin = ConsolePage(new_page()).login(admin_account)
    token = api.login(admin_account)
    # The shortcut cannot carry markup at all: the server refuses it.
    status, _ = api.call("POST", "/api/admin/canned", {"shortcut": "<b>x</b>", "title": "t", "text": "t"}, token=token)
    assert status in (400, 422)
    admin_page = AdminPage(admin.page).visit()
    row = admin_page.create_canned(CANNED_SHORTCUT, CANNED_TITLE, CANNED_TEXT)
    try:
        expect(row.locator("td").nth(1)).to_have_text(CANNED_TITLE)
        expect(row.get_by_role("textbox")).to_have_value(CANNED_TEXT)
        expect(admin_page.status).to_be_empty()
        assert injected(admin_page.canned) == []

        admin.reopen(admin_account)  # the admin must be online in the console, or the handoff becomes a ticket
        widget = WidgetPage(new_page()).visit().open()
        question = "Wie lange dauert der Versand?"
        conversation_id = escalate(widget, question, f"Antwort auf: {question}")
        pane = admin.open_from_queue(conversation_id)
        admin.claim(pane)
        box = pane.get_by_label("Nachricht an den Kunden")
        box.press_sequentially("/mark")
        option = pane.get_by_role("option").filter(has_text=f"/{CANNED_SHORTCUT}")
        expect(option.locator("span")).to_have_text(CANNED_TITLE)
        expect(option.locator("small")).to_have_text(CANNED_TEXT)
        assert injected(pane.locator(".canned")) == []
        box.press("Enter")
        expect(box).to_have_value(CANNED_TEXT)
        box.press("Enter")
        widget.expect_message("agent", CANNED_TEXT)
        expect(pane.locator(".transcript .msg--agent .msg-text")).to_have_text(CANNED_TEXT)
        assert injected(pane.locator(".transcript")) == []
        assert injected(widget.log) == []
        assert_clean(admin, widget)
    finally:
        status, data = api.call("GET", "/api/admin/canned", token=token)
        for reply in data["canned"] if status == 200 else []:
            if reply["shortcut"] == CANNED_SHORTCUT:
                api.call("DELETE", f"/api/admin/canned/{reply['id']}", token=token)


def test_a_misunderstood_message_with_markup_stays_text_in_the_trainer_inbox_and_export(
        new_page, agent_account, admin_account):
    """The trainer's review inbox shows the customer's message (the bot fell back, then a handoff) with the agent's
    reply as a hint; annotated, it shows up again in the export preview."""
    console = ConsolePage(new_page()).login(agent_account)
    widget = WidgetPage(new_page()).visit().open()
    message = f"{NOT_UNDERSTOOD} {TRAINER_PAYLOAD}"
    conversation_id = escalate(widget, message, NOT_UNDERSTOOD_TEXT)
    pane = console.open_from_queue(conversation_id)
    console.claim(pane)
    console.reply(pane, AGENT_REPLY)
    widget.expect_message("agent", AGENT_REPLY)

    trainer = TrainerPage(new_page()).login(admin_account)
    row = trainer.inbox_row(message)
    expect(row.locator(".message")).to_have_text(message)
    expect(row.locator(".hint")).to_have_text([f"Agent: {AGENT_REPLY}"])
    expect(row.locator(".tag")).to_have_text(["nicht verstanden", "Übergabe"])
    expect(row.locator("td").nth(1)).to_contain_text("nlu_fallback (31,0 %)")   # German, one decimal
    assert injected(trainer.inbox) == []

    row.get_by_role("button", name="Als Ton-Beispiel").click()
    expect(trainer.status).to_have_text("Annotation gespeichert.")
    expect(row).to_have_count(0)
    trainer.preview_export()
    expect(trainer.status).to_have_text("Patch erstellt (nichts geschrieben).")
    expect(trainer.export_result).to_contain_text(message)
    assert injected(trainer.export_result) == []
    assert_clean(console, widget, trainer)


def test_a_ticket_email_with_markup_stays_text_in_widget_and_console(new_page, api, agent_account, admin_account):
    """After hours the customer leaves an address with markup; the confirmation (widget, and the transcript the
    agent reads once the customer asks for a person again) quotes it as text. The ticket's note is shown nowhere."""
    token = api.login(admin_account)
    status, original_hours = api.call("GET", "/api/admin/business-hours", token=token)
    assert status == 200
    status, _ = api.call("PUT", "/api/admin/business-hours", ALWAYS_CLOSED, token=token)
    assert status == 200
    try:
        widget = WidgetPage(new_page()).visit().open()
        widget.send(ASK_FOR_HUMAN)
        form = widget.panel.get_by_role("form", name="Wir melden uns bei Ihnen")
        form.get_by_label("E-Mail-Adresse").fill(TICKET_EMAIL)
        form.get_by_label("Ihr Anliegen (optional)").fill(TICKET_NOTE)
        form.get_by_role("button", name="Rückmeldung anfordern").click()
        expect(widget.panel.locator(".nw-done")).to_have_text(f"Danke! Wir melden uns per E-Mail bei {TICKET_EMAIL}.")
        expect(widget.message("system", "Ihr Anliegen aufgenommen")).to_contain_text(TICKET_EMAIL)
    finally:
        api.call("PUT", "/api/admin/business-hours", original_hours, token=token)
    assert injected(widget.log) == [] and injected(widget.panel.locator(".nw-done")) == []

    console = ConsolePage(new_page()).login(agent_account)
    widget.send(ASK_FOR_HUMAN)
    expect(widget.notice).to_contain_text("Eine Kollegin/ein Kollege übernimmt gleich.")
    conversation_id = widget.session()["conversation_id"]
    transcript = console.open_from_queue(conversation_id).locator(".transcript")
    expect(transcript.locator(".msg--system", has_text="Ihr Anliegen aufgenommen")).to_contain_text(TICKET_EMAIL)
    assert injected(transcript) == []
    assert injected(console.page.locator("#queue-list")) == []
    assert_clean(widget, console)
