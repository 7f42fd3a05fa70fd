"""The widget survives reloads and a lost connection, works by keyboard alone and on a 360 px phone."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import WidgetPage

PHONE = {"width": 360, "height": 740}


def customer_texts(api, admin_account, conversation_id: str) -> list[str]:
    token = api.login(admin_account)
    status, detail = api.call("GET", f"/api/agent/conversations/{conversation_id}", token=token)
    assert status == 200
    return [message["text"] for message in detail["transcript"] if message["sender_type"] == "customer"]


def test_reload_resumes_the_same_conversation_with_its_history(new_page):
    widget = WidgetPage(new_page()).visit().open()
    widget.send("Erste Frage zur Lieferung")
    widget.expect_message("bot", "Antwort auf: Erste Frage zur Lieferung")
    before = widget.session()

    widget.page.reload()
    expect(widget.panel).to_be_visible()  # the panel stays open across the reload
    widget.expect_message("customer", "Erste Frage zur Lieferung")
    widget.expect_message("bot", "Antwort auf: Erste Frage zur Lieferung")
    assert widget.session()["conversation_id"] == before["conversation_id"]

    widget.send("Zweite Frage")
    widget.expect_message("bot", "Antwort auf: Zweite Frage")
    # Replay plus live events: every message exactly once.
    expect(widget.message("customer", "Erste Frage zur Lieferung")).to_have_count(1)
    expect(widget.message("bot", "Antwort auf: Erste Frage zur Lieferung")).to_have_count(1)


# Runs in the page before the widget: open sockets can be cut, and while the line is down new sockets go to a
# same-origin path the server refuses, so they fail the way a lost network makes them fail.
CUTTABLE_WEBSOCKET = """
(() => {
  const Native = window.WebSocket;
  const live = new Set();
  window.__testNetwork = {
    down: false,
    cut() { this.down = true; for (const socket of live) socket.close(); live.clear(); },
    restore() { this.down = false; },
  };
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      const target = new URL(url, location.href);
      if (window.__testNetwork.down) target.pathname = "/api/widget/network-down";
      super(target, protocols);
      live.add(this);
      this.addEventListener("close", () => live.delete(this));
    }
  };
})();
"""


class FlakyNetwork:
    """Cuts the widget's WebSocket from inside the page and refuses reconnects until restored.

    Not Playwright's route_web_socket: calling the sync API from its handler deadlocks under load.
    """

    def __init__(self, page) -> None:
        self.page = page
        page.add_init_script(CUTTABLE_WEBSOCKET)

    def cut(self) -> None:
        self.page.evaluate("window.__testNetwork.cut()")

    def restore(self) -> None:
        self.page.evaluate("window.__testNetwork.restore()")


def test_message_written_offline_is_delivered_once_after_reconnect(new_page, api, admin_account):
    page = new_page()
    network = FlakyNetwork(page)
    widget = WidgetPage(page).visit().open()
    widget.send("Hallo")
    widget.expect_message("bot", "Antwort auf: Hallo")
    conversation_id = widget.session()["conversation_id"]

    network.cut()
    expect(widget.panel.locator(".nw-link")).to_have_text("Verbindung wird wiederhergestellt …")
    widget.send("Geschrieben im Funkloch")
    expect(widget.log.locator("li.nw-msg--pending", has_text="Geschrieben im Funkloch")).to_be_visible()
    outbox = page.evaluate("() => JSON.parse(localStorage.getItem('nordwind-widget:outbox'))")
    assert [item["text"] for item in outbox] == ["Geschrieben im Funkloch"]

    network.restore()
    widget.expect_message("bot", "Antwort auf: Geschrieben im Funkloch")
    expect(widget.log.locator("li.nw-msg--pending")).to_have_count(0)
    expect(widget.panel.locator(".nw-link")).to_be_hidden()
    assert page.evaluate("() => JSON.parse(localStorage.getItem('nordwind-widget:outbox'))") == []
    assert customer_texts(api, admin_account, conversation_id).count("Geschrieben im Funkloch") == 1
    expect(widget.message("customer", "Geschrieben im Funkloch")).to_have_count(1)


def test_keyboard_only_customer_can_open_send_and_close(new_page):
    widget = WidgetPage(new_page()).visit()
    launcher = widget.launcher
    for _ in range(20):  # tab through the shop page until the launcher has focus
        widget.page.keyboard.press("Tab")
        if launcher.evaluate("element => element === document.activeElement"):
            break
    expect(launcher).to_be_focused()
    widget.page.keyboard.press("Enter")
    expect(widget.panel).to_be_visible()
    expect(widget.input).to_be_focused()
    widget.page.keyboard.type("Nur mit der Tastatur")
    widget.page.keyboard.press("Enter")
    widget.expect_message("bot", "Antwort auf: Nur mit der Tastatur")
    expect(widget.input).to_have_value("")
    widget.page.keyboard.press("Escape")
    expect(widget.panel).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")


def test_widget_is_usable_on_a_360px_phone(new_page, screenshots):
    widget = WidgetPage(new_page(viewport=PHONE, is_mobile=True, has_touch=True)).visit().open()
    box = widget.panel.bounding_box()
    assert box["x"] == 0 and box["width"] == PHONE["width"], box
    assert box["height"] == PHONE["height"], box
    widget.send("Kann ich auch per Rechnung zahlen?")
    widget.expect_message("bot", "Antwort auf: Kann ich auch per Rechnung zahlen?")
    overflow = widget.page.evaluate("() => document.documentElement.scrollWidth > window.innerWidth")
    assert not overflow
    send_box = widget.panel.get_by_role("button", name="Senden").bounding_box()
    assert send_box["x"] + send_box["width"] <= PHONE["width"]
    widget.page.screenshot(path=str(screenshots / "widget-mobile.png"))
    widget.panel.get_by_role("button", name="Chat schließen").click()
    expect(widget.launcher).to_be_visible()


def test_a_refused_message_is_marked_with_the_reason_and_leaves_the_outbox(new_page):
    page = new_page()
    widget = WidgetPage(page).visit().open()
    widget.send("Hallo")
    widget.expect_message("bot", "Antwort auf: Hallo")
    widget.send("\u200b\u200b")   # only invisible characters: the server refuses it as empty, for good
    failed = widget.log.locator("li.nw-msg--failed")
    expect(failed).to_have_count(1)
    expect(failed).to_contain_text("Nicht gesendet: Die Nachricht ist leer.")
    expect(widget.log.locator("li.nw-msg--pending")).to_have_count(0)
    assert page.evaluate("() => JSON.parse(localStorage.getItem('nordwind-widget:outbox'))") == []
    widget.send("Noch da?")
    widget.expect_message("bot", "Antwort auf: Noch da?")
    expect(failed).to_have_count(1)   # not resent with the next message or reconnect
