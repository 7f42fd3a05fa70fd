"""One script tag embeds the widget in another site's page (cross-origin); data- attributes and
window.NordwindWidgetConfig configure it."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator

import pytest
from playwright.sync_api import expect

FOREIGN_PAGE = """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Küchenwelt</title>
<link rel="icon" href="data:,"></head>
<body><h1>Küchenwelt</h1>
<script>window.NordwindWidgetConfig = {{subtitle: "Wir helfen gern"}};</script>
<script src="{support}/widget.js" data-title="Hilfe bei Küchenwelt" data-primary-color="#7a1f5c" defer></script>
</body></html>"""


@pytest.fixture()
def foreign_shop(server: str) -> Iterator[str]:
    """Another origin (own port) serving a shop page that embeds our widget from the support server."""
    page = FOREIGN_PAGE.format(support=server).encode()

    class Shop(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(page)))
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args: object) -> None:
            return None

    shop = ThreadingHTTPServer(("127.0.0.1", 0), Shop)
    thread = threading.Thread(target=shop.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{shop.server_address[1]}/"
    shop.shutdown()
    shop.server_close()


def test_widget_embeds_cross_origin_with_one_tag_and_takes_its_configuration(new_page, foreign_shop):
    page = new_page()
    page.goto(foreign_shop)
    launcher = page.locator("#nordwind-widget .nw-launcher")
    expect(launcher).to_have_css("background-color", "rgb(122, 31, 92)")
    launcher.click()
    panel = page.get_by_role("dialog", name="Hilfe bei Küchenwelt")
    expect(panel).to_be_visible()
    expect(panel.locator(".nw-subtitle")).to_have_text("Wir helfen gern")
    box = panel.get_by_label("Ihre Nachricht")
    box.fill("Hallo aus der Küchenwelt")
    box.press("Enter")
    reply = panel.get_by_role("log").locator("li.nw-msg--bot", has_text="Antwort auf: Hallo aus der Küchenwelt")
    expect(reply).to_be_visible()
    assert page.locator("link[href$='/widget.css']").count() == 1
    assert page.watch.errors == [] and page.watch.missing_assets == []
