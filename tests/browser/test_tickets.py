"""Tickets in Chromium (issue 14): the inbox updates live, an after-hours request is opened and answered, the
customer who comes back sees the request and the answer, an overdue ticket is highlighted and counted."""
from __future__ import annotations

import os
import re
import shutil

from playwright.sync_api import expect

from tests.browser.conftest import REPO_ROOT
from tests.browser.pages import AdminPage, ConsolePage, WidgetPage

ALWAYS_CLOSED = {"time_zone": "Europe/Berlin", "weekly": {day: [] for day in
                                                         ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
                 "holidays": []}
ANSWER = "Die doppelte Abbuchung haben wir storniert, das Geld ist in 3 Werktagen zurück."
DOCS = REPO_ROOT / "docs" / "screenshots"


def keep(screenshots, name: str) -> None:
    """Pictures go to the run's folder; UPDATE_SCREENSHOTS=1 copies them into docs/screenshots/."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        shutil.copy(screenshots / name, DOCS / name)


def tickets_view(console: ConsolePage):
    console.page.locator("#view-tickets").click()
    expect(console.page.locator("#tickets-view")).to_be_visible()
    return console.page.locator("#tickets-view")


def row_for(view, text: str):
    return view.locator(".ticket-row").filter(has_text=text)


def test_after_hours_ticket_live_in_the_inbox_answered_and_seen_by_the_returning_customer(
        new_page, api, admin_account, agent_account, screenshots):
    token = api.login(admin_account)
    status, original_hours = api.call("GET", "/api/admin/business-hours", token=token)
    assert status == 200
    assert api.call("PUT", "/api/admin/business-hours", ALWAYS_CLOSED, token=token)[0] == 200
    try:
        console = ConsolePage(new_page()).login(agent_account)
        view = tickets_view(console)
        widget = WidgetPage(new_page()).visit().open()
        widget.send("Mitarbeiter bitte: mir wurde die Rechnung doppelt abgebucht")
        row = row_for(view, "doppelt abgebucht")
        expect(row).to_have_count(1)                          # live: the console was open before the request
        expect(row).to_contain_text("neu")
        expect(row).to_contain_text("Rückmeldung erbeten")
        expect(row).to_contain_text("ohne Bearbeiter")
        reference = re.search(r"NW#\d+", row.inner_text()).group(0)

        row.get_by_role("button").click()
        detail = view.locator(".ticket-detail")
        expect(detail.locator("h2")).to_contain_text(reference)
        expect(detail.locator(".ticket-summary-text")).to_contain_text("doppelt abgebucht")
        expect(detail.locator(".chips")).to_contain_text("Kunde möchte einen Menschen")
        detail.locator(".ticket-actions").get_by_role("button", name="Übernehmen").click()
        expect(detail.locator(".status")).to_have_text("offen")
        expect(row).to_contain_text(f"bei {agent_account['display_name']}")

        detail.get_by_label("Antwort oder Notiz").fill("Intern: Zahlung im Backend geprüft")
        detail.get_by_role("button", name="Interne Notiz").click()
        expect(detail.locator(".article--note")).to_contain_text("Zahlung im Backend geprüft")
        detail.get_by_label("Antwort oder Notiz").fill(ANSWER)
        detail.get_by_role("button", name="Antworten").click()
        expect(detail.locator(".ticket-hint")).to_have_text("Antwort gesendet.")
        expect(detail.locator(".article--reply")).to_contain_text(ANSWER)
        detail.evaluate("element => { element.scrollTop = 0; }")
        console.page.screenshot(path=str(screenshots / "tickets-detail.png"))
        keep(screenshots, "tickets-detail.png")

        widget.expect_message("agent", ANSWER)                # live, while the customer is still there
        expect(widget.panel).not_to_contain_text("Zahlung im Backend")

        widget.page.reload()                                  # the customer comes back later
        widget.open()
        widget.expect_message("agent", ANSWER)
        expect(widget.notice).to_contain_text(f"Zu Ihrer Anfrage {reference}")
        expect(widget.notice).to_contain_text("die Antwort steht im Verlauf")
        widget.page.screenshot(path=str(screenshots / "tickets-widget-return.png"))
        keep(screenshots, "tickets-widget-return.png")
        assert not console.watch.errors and not console.watch.missing_assets and not widget.page.watch.errors
    finally:
        api.call("PUT", "/api/admin/business-hours", original_hours, token=token)


def test_an_overdue_ticket_is_highlighted_and_counted(new_page, api, admin_account, agent_account, screenshots):
    token = api.login(admin_account)
    status, original_sla = api.call("GET", "/api/admin/ticket-sla", token=token)
    assert status == 200
    policies = {kind: dict(policy) for kind, policy in original_sla["policies"].items()}
    policies["problem_report"] = {"first_response_minutes": 1, "solution_minutes": 60, "legal_month": False}
    assert api.call("PUT", "/api/admin/ticket-sla", {**original_sla, "policies": policies}, token=token)[0] == 200
    try:
        console = ConsolePage(new_page()).login(agent_account)
        view = tickets_view(console)
        widget = WidgetPage(new_page()).visit().open()
        widget.send("Störung melden: Das Kundenkonto zeigt seit heute falsche Bestellungen an")
        row = row_for(view, "falsche Bestellungen")
        expect(row).to_have_count(1)
        expect(row).to_have_attribute("data-due-state", "soon")          # one minute left
        overdue = console.page.locator("#due-overdue")
        before = int(overdue.get_attribute("data-count"))
        # The list is fetched again every 20 s: the minute passes without any event.
        expect(row).to_have_attribute("data-due-state", "overdue", timeout=100_000)
        expect(row.locator(".ticket-due")).to_contain_text("überfällig")
        expect(overdue).not_to_have_attribute("data-count", str(before))
        assert int(overdue.get_attribute("data-count")) >= 1
        assert row.locator(".ticket-open").evaluate("e => getComputedStyle(e).borderLeftColor") == "rgb(176, 0, 32)"
        console.page.screenshot(path=str(screenshots / "tickets-overdue.png"))
        keep(screenshots, "tickets-overdue.png")
        filter_select = view.get_by_label("Art")
        expect(filter_select.locator("option[value=problem_report]")).to_contain_text(re.compile(r"Problemmeldung \(\d+\)"))
        assert not console.watch.errors and not console.watch.missing_assets
    finally:
        api.call("PUT", "/api/admin/ticket-sla", original_sla, token=token)


def test_admin_sets_the_due_times_per_kind(new_page, api, admin_account, screenshots):
    token = api.login(admin_account)
    status, original_sla = api.call("GET", "/api/admin/ticket-sla", token=token)
    assert status == 200
    try:
        console = ConsolePage(new_page()).login(admin_account)
        AdminPage(console.page).visit()
        page = console.page
        form = page.locator("#ticket-sla-form")
        first = form.get_by_label("Beschwerde: erste Antwort in Stunden")
        expect(first).to_have_value("4")
        expect(form.get_by_label("Datenschutzanfrage: gesetzliche Monatsfrist")).to_be_checked()
        first.fill("vier")
        form.get_by_role("button", name="Fristen speichern").click()
        expect(page.locator("#ticket-sla-status")).to_contain_text("Beschwerde: Bitte Stunden als Zahl")
        assert api.call("GET", "/api/admin/ticket-sla", token=token)[1] == original_sla    # nothing changed
        first.fill("0,5")
        form.get_by_label("Gelöste Tickets schließen nach Tagen").fill("10")
        form.get_by_role("button", name="Fristen speichern").click()
        expect(page.locator("#ticket-sla-status")).to_have_text("Gespeichert.")
        saved = api.call("GET", "/api/admin/ticket-sla", token=token)[1]
        assert saved["policies"]["complaint"]["first_response_minutes"] == 30 and saved["close_after_days"] == 10
        page.locator("#ticket-sla-form").scroll_into_view_if_needed()
        page.screenshot(path=str(screenshots / "tickets-admin-sla.png"))
        keep(screenshots, "tickets-admin-sla.png")
        assert not console.watch.errors and not console.watch.missing_assets
    finally:
        api.call("PUT", "/api/admin/ticket-sla", original_sla, token=token)
