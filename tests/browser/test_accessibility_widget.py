"""The chat widget on the demo shop, in every state a customer meets, has no WCAG 2.1 A/AA violations (axe-core)."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.accessibility import AXE_VERSION, assert_accessible, vendored_version
from tests.browser.pages import ConsolePage, WidgetPage
from tests.browser.server import MENU_REQUEST, MENU_TEXT

ASK_FOR_HUMAN = "Ich möchte mit einem Mitarbeiter sprechen"
ALWAYS_CLOSED = {"time_zone": "Europe/Berlin", "weekly": {day: [] for day in
                                                         ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
                 "holidays": []}


def test_the_vendored_axe_core_is_the_pinned_one() -> None:
    assert vendored_version() == AXE_VERSION


def test_widget_closed_open_and_mid_conversation(new_page) -> None:
    widget = WidgetPage(new_page()).visit()
    assert_accessible(widget.page, "shop page, widget closed")
    widget.open()
    assert_accessible(widget.page, "widget open")
    widget.send("Hallo")
    widget.expect_message("bot", "Antwort auf: Hallo")
    widget.send(MENU_REQUEST)
    widget.expect_message("bot", MENU_TEXT)
    expect(widget.panel.get_by_role("button", name="Wo ist meine Bestellung?")).to_be_visible()
    assert_accessible(widget.page, "widget mid-conversation with quick replies")


def test_widget_on_a_phone(new_page) -> None:
    widget = WidgetPage(new_page(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)).visit()
    widget.open()
    widget.send("Hallo")
    widget.expect_message("bot", "Antwort auf: Hallo")
    assert_accessible(widget.page, "widget open on a phone")


def test_widget_ticket_form_with_an_error(new_page, api, admin_account) -> None:
    token = api.login(admin_account)
    status, original_hours = api.call("GET", "/api/admin/business-hours", token=token)
    assert status == 200
    assert api.call("PUT", "/api/admin/business-hours", ALWAYS_CLOSED, token=token)[0] == 200
    try:
        widget = WidgetPage(new_page()).visit().open()
        widget.send(ASK_FOR_HUMAN)
        form = widget.panel.get_by_role("form", name="Wir melden uns bei Ihnen")
        expect(form).to_be_visible()
        assert_accessible(widget.page, "widget ticket form")
        form.get_by_label("E-Mail-Adresse").fill("kunde@beispiel")
        form.get_by_role("button", name="Rückmeldung anfordern").click()
        expect(form.get_by_role("alert")).to_contain_text("gültige E-Mail-Adresse")
        assert_accessible(widget.page, "widget ticket form with an error")
    finally:
        api.call("PUT", "/api/admin/business-hours", original_hours, token=token)


def test_widget_with_an_agent_and_the_csat_survey(new_page, agent_account) -> None:
    console = ConsolePage(new_page()).login(agent_account)
    widget = WidgetPage(new_page()).visit().open()
    widget.send(ASK_FOR_HUMAN)
    widget.expect_message("bot", "Ich hole eine Kollegin oder einen Kollegen dazu.")
    conversation_id = widget.session()["conversation_id"]
    pane = console.open_from_queue(conversation_id)
    console.claim(pane)
    console.reply(pane, "Guten Tag, hier ist Lena.")
    expect(widget.message("agent", "hier ist Lena")).to_be_visible()
    assert_accessible(widget.page, "widget talking to an agent")
    console.action(pane, "Erledigt")
    csat = widget.panel.locator(".nw-csat")
    expect(csat).to_be_visible()
    assert_accessible(widget.page, "widget CSAT survey")
    csat.get_by_role("button", name="4 von 5 Sternen").click()
    assert_accessible(widget.page, "widget CSAT survey with a rating chosen")
