"""The agent console (queue, conversation), the admin page and the trainer page have no WCAG 2.1 A/AA violations."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.pages import AdminPage, ConsolePage, TrainerPage, WidgetPage
from tests.browser.server import DETAILED_HANDOFF, HANDOFF_TEXT, NOT_UNDERSTOOD


def test_console_login_queue_and_conversation(new_page, agent_account) -> None:
    page = new_page(viewport={"width": 1280, "height": 1000})
    page.goto("/console/")
    expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
    assert_accessible(page, "console login")
    console = ConsolePage(page).login(agent_account)
    widget = WidgetPage(new_page()).visit().open()
    widget.send(f"{DETAILED_HANDOFF} Bestellung NW-123456 ist beschädigt")
    widget.expect_message("bot", HANDOFF_TEXT)
    conversation_id = widget.session()["conversation_id"]
    expect(console.queue_item(conversation_id)).to_be_visible()
    assert_accessible(console.page, "console queue with a waiting conversation")
    pane = console.open_from_queue(conversation_id)
    expect(pane.locator(".about")).to_be_visible()
    assert_accessible(console.page, "console conversation with its summary")
    console.claim(pane)
    console.reply(pane, "Guten Tag, ich kümmere mich darum.")
    expect(pane.locator(".transcript .msg--agent")).to_be_visible()
    assert_accessible(console.page, "console conversation in progress")
    tickets = console.page.locator("#view-tickets")
    if tickets.count():   # the tickets view (issue 13) where this console has one
        tickets.click()
        expect(console.page.locator("#tickets-view")).to_be_visible()
        console.page.wait_for_load_state("networkidle")
        assert_accessible(console.page, "console tickets view")


def test_admin_page(new_page, admin_account) -> None:
    page = new_page(viewport={"width": 1280, "height": 1000})
    ConsolePage(page).login(admin_account)
    AdminPage(page).visit()
    assert_accessible(page, "admin page")


def test_trainer_page(new_page, admin_account) -> None:
    widget = WidgetPage(new_page()).visit().open()
    widget.send(f"{NOT_UNDERSTOOD} flux kompensator")
    widget.expect_message("bot", "Das habe ich leider nicht verstanden.")
    page = new_page(viewport={"width": 1280, "height": 1000})
    page.goto(TrainerPage.URL)
    expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
    assert_accessible(page, "trainer login")
    trainer = TrainerPage(page).login(admin_account)
    expect(trainer.inbox.locator("tr").first).to_be_visible()
    assert_accessible(page, "trainer page with its review inbox")


def test_reports_page(new_page, admin_account) -> None:
    page = new_page(viewport={"width": 1280, "height": 1000})
    ConsolePage(page).login(admin_account)
    response = page.goto("/reports")
    if response.status == 404:   # the reports page of issue 19 is being built
        import pytest

        pytest.skip("no reports page in this checkout")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("link", name="CSV herunterladen").first).to_be_visible()
    assert_accessible(page, "reports page")
