"""Quick replies: the customer sees the button's title as their message, the bot receives its payload."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import WidgetPage
from tests.browser.server import MENU_BUTTONS, MENU_REQUEST, MENU_TEXT


def test_quick_reply_shows_the_title_and_sends_the_payload(new_page, api, admin_account):
    widget = WidgetPage(new_page()).visit().open()
    widget.send(MENU_REQUEST)
    widget.expect_message("bot", MENU_TEXT)
    replies = widget.panel.get_by_role("group", name="Antwortvorschläge")
    for title, _payload in MENU_BUTTONS:
        expect(replies.get_by_role("button", name=title)).to_be_visible()

    title, payload = MENU_BUTTONS[1]
    replies.get_by_role("button", name=title).click()
    expect(replies).to_be_hidden()
    widget.expect_message("customer", title)
    # The payload asked for a person: the fake bot hands off.
    widget.expect_message("bot", "Ich hole eine Kollegin oder einen Kollegen dazu.")
    expect(widget.log).not_to_contain_text(payload)

    conversation_id = widget.session()["conversation_id"]
    token = api.login(admin_account)
    _, detail = api.call("GET", f"/api/agent/conversations/{conversation_id}", token=token)
    assert payload in [m["text"] for m in detail["transcript"] if m["sender_type"] == "customer"]

    widget.page.reload()
    widget.expect_message("customer", title)
    expect(widget.log).not_to_contain_text(payload)
