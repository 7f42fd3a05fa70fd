"""Page objects: how a customer uses the widget, an agent the console, an admin the admin page and a trainer the
trainer page, in the words of the UI."""
from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import PageWatch

WIDGET_ROOT = "#nordwind-widget"
# What hostile text would create if a page turned it into markup (the payloads of test_untrusted_text.py use these).
INJECTED = "img, script, iframe, object, embed, b, [onerror], [onload]"


def injected(area: Any) -> list[str]:
    """The elements inside `area` (as HTML) that only markup made of untrusted text could have created."""
    return area.locator(INJECTED).evaluate_all("(nodes) => nodes.map((node) => node.outerHTML)")


class WidgetPage:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.watch: PageWatch = page.watch

    def visit(self) -> "WidgetPage":
        self.page.goto("/")
        expect(self.launcher).to_be_visible()
        return self

    @property
    def launcher(self) -> Any:
        return self.page.locator(f"{WIDGET_ROOT} .nw-launcher")

    @property
    def panel(self) -> Any:
        return self.page.get_by_role("dialog", name="Nordwind Kundenservice")

    @property
    def input(self) -> Any:
        return self.panel.get_by_label("Ihre Nachricht")

    @property
    def log(self) -> Any:
        return self.panel.get_by_role("log")

    def open(self) -> "WidgetPage":
        if not self.panel.is_visible():
            self.launcher.click()
        expect(self.panel).to_be_visible()
        return self

    def send(self, text: str) -> None:
        self.input.fill(text)
        self.input.press("Enter")

    def message(self, sender: str, text: str) -> Any:
        return self.log.locator(f"li.nw-msg--{sender}", has_text=text)

    def expect_message(self, sender: str, text: str) -> None:
        expect(self.message(sender, text).last).to_be_visible()

    def expect_delivered(self, text: str) -> None:
        expect(self.message("customer", text).last).not_to_have_class("nw-msg nw-msg--customer nw-msg--pending")
        expect(self.log.locator("li.nw-msg--pending")).to_have_count(0)

    @property
    def notice(self) -> Any:
        return self.panel.locator(".nw-notice")

    def session(self) -> dict[str, Any]:
        return self.page.evaluate("() => JSON.parse(localStorage.getItem('nordwind-widget:session'))")


class ConsolePage:
    def __init__(self, page: Any) -> None:
        self.page = page
        self.watch: PageWatch = page.watch

    def login(self, account: dict[str, str]) -> "ConsolePage":
        self.page.goto("/console/")
        self.page.get_by_label("E-Mail").fill(account["email"])
        self.page.get_by_label("Passwort").fill(account["password"])
        self.page.get_by_role("button", name="Anmelden").click()
        expect(self.page.locator("#agent-name")).to_have_text(account["display_name"])
        expect(self.page.locator("#link")).to_have_text("live")
        return self

    def reopen(self, account: dict[str, str]) -> "ConsolePage":
        """Back to the console with the session cookie still valid: no login form."""
        self.page.goto("/console/")
        expect(self.page.locator("#agent-name")).to_have_text(account["display_name"])
        expect(self.page.locator("#link")).to_have_text("live")
        return self

    def queue_item(self, conversation_id: str) -> Any:
        return self.page.locator(f'#queue-list li[data-conversation-id="{conversation_id}"]')

    def open_from_queue(self, conversation_id: str) -> Any:
        self.queue_item(conversation_id).get_by_role("button").first.click()
        return self.conversation(conversation_id)

    def conversation(self, conversation_id: str) -> Any:
        pane = self.page.locator(f'section.conversation[data-conversation-id="{conversation_id}"]')
        expect(pane).to_be_visible()
        return pane

    def action(self, pane: Any, name: str) -> None:
        pane.locator(".actions").get_by_role("button", name=name, exact=True).click()

    def claim(self, pane: Any) -> None:
        self.action(pane, "Übernehmen")
        expect(pane.locator(".status")).to_have_text("im Gespräch")

    def reply(self, pane: Any, text: str) -> None:
        box = pane.get_by_label("Nachricht an den Kunden")
        box.fill(text)
        box.press("Enter")


class AdminPage:
    URL = "/console/admin.html"

    def __init__(self, page: Any) -> None:
        self.page = page
        self.watch: PageWatch = page.watch

    def visit(self) -> "AdminPage":
        """The admin must be logged in already (ConsolePage.login)."""
        self.page.goto(self.URL)
        expect(self.page.get_by_role("heading", name="Mitarbeitende")).to_be_visible()
        expect(self.agents.locator("tr").first).to_be_visible()
        return self

    @property
    def agents(self) -> Any:
        return self.page.locator("#agents")

    @property
    def canned(self) -> Any:
        return self.page.locator("#canned")

    @property
    def status(self) -> Any:
        return self.page.locator("#admin-status")

    def agent_row(self, email: str) -> Any:
        return self.agents.locator("tr", has=self.page.locator("td:nth-child(2)", has_text=email))

    def create_agent(self, display_name: str, email: str, password: str, role: str = "agent") -> Any:
        form = self.page.locator("#agent-form")
        form.get_by_label("Name").fill(display_name)
        form.get_by_label("E-Mail").fill(email)
        form.get_by_label("Passwort").fill(password)
        form.get_by_label("Rolle").select_option(role)
        form.get_by_role("button", name="Anlegen").click()
        row = self.agent_row(email)
        expect(row).to_be_visible()
        return row

    def canned_row(self, shortcut: str) -> Any:
        return self.canned.locator("tr", has=self.page.locator("td:first-child", has_text=f"/{shortcut}"))

    def create_canned(self, shortcut: str, title: str, text: str) -> Any:
        form = self.page.locator("#canned-form")
        form.get_by_label("Kürzel").fill(shortcut)
        form.get_by_label("Titel").fill(title)
        form.get_by_label("Text").fill(text)
        form.get_by_role("button", name="Hinzufügen").click()
        row = self.canned_row(shortcut)
        expect(row).to_be_visible()
        return row


class TrainerPage:
    URL = "/trainer"

    def __init__(self, page: Any) -> None:
        self.page = page
        self.watch: PageWatch = page.watch

    def login(self, account: dict[str, str]) -> "TrainerPage":
        self.page.goto(self.URL)
        self.page.get_by_label("E-Mail").fill(account["email"])
        self.page.get_by_label("Passwort").fill(account["password"])
        self.page.get_by_role("button", name="Anmelden").click()
        expect(self.page.get_by_role("heading", name="Prüfliste")).to_be_visible()
        return self

    @property
    def inbox(self) -> Any:
        return self.page.locator("#inbox-rows")

    def inbox_row(self, text: str) -> Any:
        return self.inbox.locator("tr", has=self.page.locator(".message", has_text=text))

    @property
    def status(self) -> Any:
        return self.page.locator("#status")

    @property
    def export_result(self) -> Any:
        return self.page.locator("#export-result")

    def preview_export(self) -> None:
        """Only the patch: "In data/ exportieren" would write into the work tree."""
        self.page.get_by_role("button", name="Änderungen als Patch ansehen").click()
