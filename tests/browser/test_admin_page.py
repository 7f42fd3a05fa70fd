"""The admin page's forms do what they say: what an admin changes there is what the API then enforces."""
from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests.browser.pages import ConsolePage

ADMIN_PAGE = "/console/admin.html"
LOGIN = "/api/agent/login"
HOURS = "/api/admin/business-hours"
NEW_AGENT = {"display_name": "Jonas Keller", "email": "jonas.keller@nordwind.test",
             "password": "jonas-passwort-123"}
MONDAY_TEXT = "09:00-12:00, 13:00-17:30"
MONDAY_INTERVALS = [["09:00", "12:00"], ["13:00", "17:30"]]
HOLIDAY = "2026-12-24"
REFUSED = (401, 403)


def _login_status(api: Any, account: dict[str, str]) -> int:
    status, _ = api.call("POST", LOGIN, {"email": account["email"], "password": account["password"]})
    return status


def _open_admin_page(new_page: Any, admin_account: dict[str, str]) -> Any:
    page = ConsolePage(new_page()).login(admin_account).page
    page.goto(ADMIN_PAGE)
    expect(page.get_by_role("heading", name="Mitarbeitende")).to_be_visible()
    expect(page.locator("#agents")).to_contain_text(admin_account["email"])
    return page


def _assert_page_clean(page: Any) -> None:
    assert page.watch.errors == []
    assert page.watch.dialogs == []
    assert page.watch.missing_assets == []


def test_admin_creates_an_agent_who_can_log_in_and_deactivates_them(new_page, api, admin_account):
    assert _login_status(api, NEW_AGENT) in REFUSED  # not there yet
    page = _open_admin_page(new_page, admin_account)

    form = page.locator("#agent-form")
    form.get_by_label("Name").fill(NEW_AGENT["display_name"])
    form.get_by_label("E-Mail").fill(NEW_AGENT["email"])
    form.get_by_label("Passwort").fill(NEW_AGENT["password"])
    form.get_by_label("Rolle").select_option("agent")
    form.get_by_role("button", name="Anlegen").click()

    row = page.locator("#agents tr", has_text=NEW_AGENT["email"])
    expect(row).to_contain_text(NEW_AGENT["display_name"])
    expect(row.locator("td").nth(3)).to_have_text("ja")
    expect(page.locator("#admin-status")).to_be_empty()
    assert _login_status(api, NEW_AGENT) == 200

    row.get_by_role("button", name="Deaktivieren").click()
    expect(row.locator("td").nth(3)).to_have_text("nein")
    expect(row.get_by_role("button", name="Aktivieren")).to_be_visible()
    assert _login_status(api, NEW_AGENT) in REFUSED
    _assert_page_clean(page)


def test_admin_changes_the_business_hours(new_page, api, admin_account):
    token = api.login(admin_account)
    status, original_hours = api.call("GET", HOURS, token=token)
    assert status == 200
    try:
        page = _open_admin_page(new_page, admin_account)
        form = page.locator("#hours-form")
        monday = form.get_by_label("Montag")
        expect(monday).to_have_value(", ".join(f"{start}-{end}" for start, end in original_hours["weekly"]["mon"]))
        monday.fill(MONDAY_TEXT)
        form.get_by_label("Feiertage").fill(HOLIDAY)
        form.get_by_role("button", name="Speichern").click()
        expect(page.locator("#admin-status")).to_have_text("Servicezeiten gespeichert.")

        status, saved = api.call("GET", HOURS, token=token)
        assert status == 200
        assert saved["weekly"]["mon"] == MONDAY_INTERVALS
        assert HOLIDAY in saved["holidays"]
        # The other days were submitted as shown, so they must not have changed.
        assert {day: saved["weekly"][day] for day in saved["weekly"] if day != "mon"} == \
            {day: original_hours["weekly"][day] for day in original_hours["weekly"] if day != "mon"}
        page.reload()
        expect(page.locator("#hours-form").get_by_label("Montag")).to_have_value(MONDAY_TEXT)
        _assert_page_clean(page)
    finally:
        # The server is shared by the whole suite: other tests expect the seeded opening hours.
        api.call("PUT", HOURS, original_hours, token=token)
