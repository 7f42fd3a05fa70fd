"""Text from customers is shown as text, never as markup: in the widget, the queue and the agent's transcript."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import ConsolePage, WidgetPage

IMG_PAYLOAD = "<img src=x onerror=alert(1)>"
SCRIPT_PAYLOAD = "<script>alert('xss')</script>"


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
