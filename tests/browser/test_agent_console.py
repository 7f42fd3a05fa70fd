"""Agent console details: typing both ways, transfer and hand back, canned replies managed on the admin page."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import ConsolePage, WidgetPage


def escalate(widget: WidgetPage, first: str) -> str:
    widget.send(first)
    widget.expect_message("bot", f"Antwort auf: {first}")
    widget.send("Bitte einen Mitarbeiter")
    expect(widget.notice).to_contain_text("Eine Kollegin/ein Kollege übernimmt gleich.")
    return widget.session()["conversation_id"]


def test_typing_transfer_and_hand_back(new_page, agent_account):
    console = ConsolePage(new_page()).login(agent_account)
    widget = WidgetPage(new_page()).visit().open()
    conversation_id = escalate(widget, "Meine Lieferung ist unvollständig")
    pane = console.open_from_queue(conversation_id)
    console.claim(pane)
    console.reply(pane, "Ich bin für Sie da.")
    widget.expect_message("agent", "Ich bin für Sie da.")

    widget.input.press_sequentially("Es fehlt der Deckel", delay=20)
    expect(pane.locator(".typing")).to_be_visible()
    widget.input.press("Enter")
    expect(pane.locator(".transcript .msg--customer", has_text="Es fehlt der Deckel")).to_be_visible()
    expect(pane.locator(".typing")).to_be_hidden()

    pane.get_by_label("Nachricht an den Kunden").press_sequentially("Einen Moment", delay=20)
    expect(widget.panel.locator(".nw-typing")).to_contain_text("Lena Berger schreibt …")

    console.action(pane, "Zurück in die Warteschlange")
    expect(console.queue_item(conversation_id)).to_be_visible()
    expect(widget.notice).to_contain_text("Eine Kollegin/ein Kollege übernimmt gleich.")

    console.claim(pane)
    expect(widget.notice).to_contain_text("ist jetzt für Sie da")
    console.action(pane, "An Bot zurückgeben")
    expect(pane.locator(".status")).to_have_text("beim Bot")
    expect(widget.notice).to_be_hidden()
    widget.send("Und wann kommt der Deckel?")
    widget.expect_message("bot", "Antwort auf: Und wann kommt der Deckel?")
    # Back with the bot, the conversation is no longer the agent's: its chat stops streaming to the console
    # (handoff/domain/visibility.py); the customer's words reach an agent again with the next handoff.
    console.page.wait_for_timeout(500)
    expect(pane.locator(".transcript", has_text="Und wann kommt der Deckel?")).to_have_count(0)


def test_admin_creates_a_canned_reply_that_agents_insert_with_a_shortcut(new_page, admin_account):
    console = ConsolePage(new_page()).login(admin_account)
    page = console.page
    page.get_by_role("link", name="Verwaltung").click()
    form = page.locator("#canned-form")
    form.get_by_label("Kürzel").fill("versand")
    form.get_by_label("Titel").fill("Versandzeit")
    form.get_by_label("Text").fill("Unsere Lieferzeit beträgt 2–3 Werktage.")
    form.get_by_role("button", name="Hinzufügen").click()
    expect(page.locator("#canned")).to_contain_text("/versand")
    expect(page.locator("#admin-status")).to_be_empty()

    console.reopen(admin_account)  # the admin must be online in the console, or the handoff becomes a ticket
    widget = WidgetPage(new_page()).visit().open()
    conversation_id = escalate(widget, "Wie lange dauert der Versand?")
    pane = console.open_from_queue(conversation_id)
    console.claim(pane)
    box = pane.get_by_label("Nachricht an den Kunden")
    box.press_sequentially("/vers")
    option = pane.get_by_role("option", name="/versand")
    expect(option).to_be_visible()
    box.press("Enter")
    expect(box).to_have_value("Unsere Lieferzeit beträgt 2–3 Werktage.")
    box.press("Enter")
    widget.expect_message("agent", "Unsere Lieferzeit beträgt 2–3 Werktage.")
