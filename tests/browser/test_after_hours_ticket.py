"""Never a dead end: outside business hours a request for a person ends in the ticket form, not in a void."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import WidgetPage

ALWAYS_CLOSED = {"time_zone": "Europe/Berlin", "weekly": {day: [] for day in
                                                         ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
                 "holidays": []}


def test_customer_leaves_a_ticket_when_nobody_can_take_over(new_page, api, admin_account):
    token = api.login(admin_account)
    status, original_hours = api.call("GET", "/api/admin/business-hours", token=token)
    assert status == 200
    status, _ = api.call("PUT", "/api/admin/business-hours", ALWAYS_CLOSED, token=token)
    assert status == 200
    try:
        widget = WidgetPage(new_page()).visit().open()
        widget.send("Ich möchte mit einem Mitarbeiter sprechen")
        form = widget.panel.get_by_role("form", name="Wir melden uns bei Ihnen")
        expect(form).to_be_visible()

        email = form.get_by_label("E-Mail-Adresse")
        email.fill("kunde@beispiel")
        form.get_by_role("button", name="Rückmeldung anfordern").click()
        expect(form.get_by_role("alert")).to_contain_text("gültige E-Mail-Adresse")
        expect(email).to_have_attribute("aria-invalid", "true")

        email.fill("kunde@beispiel.de")
        form.get_by_label("Ihr Anliegen (optional)").fill("Bitte Rückruf wegen Bestellung 4711")
        form.get_by_role("button", name="Rückmeldung anfordern").click()
        expect(widget.panel).to_contain_text("Danke! Wir melden uns per E-Mail bei kunde@beispiel.de.")

        conversation_id = widget.session()["conversation_id"]
        status, export = api.call("GET", f"/api/admin/conversations/{conversation_id}/export", token=token)
        assert status == 200
        tickets = export["tickets"]
        # The request became a ticket when nobody could take it; the form added the address and the note to it.
        assert [(t["kind"], t["email"]) for t in tickets] == [("follow_up", "kunde@beispiel.de")]
        assert tickets[0]["articles"][-1]["text"] == "Bitte Rückruf wegen Bestellung 4711"

        widget.page.reload()
        expect(widget.panel).to_contain_text("Danke! Wir melden uns per E-Mail bei kunde@beispiel.de.")
    finally:
        api.call("PUT", "/api/admin/business-hours", original_hours, token=token)
