"""The Prüfliste in Chromium: the same misunderstood message from three customers is one row with its count;
one annotation, after the trainer saw the three members, labels all of them. A reports link filters by topic."""
from __future__ import annotations

import uuid

from playwright.sync_api import expect

from tests.browser.pages import TrainerPage
from tests.browser.server import NOT_UNDERSTOOD


def test_one_row_per_wording_and_one_annotation_for_the_group(new_page, api, admin_account):
    marker = uuid.uuid4().hex[:6]
    wordings = [f"{NOT_UNDERSTOOD} wo ist mein krempel {marker}", f"{NOT_UNDERSTOOD} Wo ist mein Krempel {marker}??",
                f"{NOT_UNDERSTOOD.upper()} wo ist mein krempel {marker}!"]
    for text in wordings:
        status, body = api.call("POST", "/webhooks/rest/webhook", {"sender": f"group-{uuid.uuid4().hex[:8]}",
                                                                   "message": text})
        assert status == 200, body

    trainer = TrainerPage(new_page())
    trainer.page.goto("/trainer?intent=nlu_fallback")   # as the reports page links a topic
    trainer.page.get_by_label("E-Mail").fill(admin_account["email"])
    trainer.page.get_by_label("Passwort").fill(admin_account["password"])
    trainer.page.get_by_role("button", name="Anmelden").click()
    expect(trainer.page.locator("#filter-intent")).to_have_value("nlu_fallback")
    row = trainer.inbox.locator("tr", has_text=marker)
    expect(row).to_have_count(1)
    expect(row.locator(".count")).to_contain_text("3× · zuerst")
    expect(row.locator("td").nth(1)).to_have_text("nlu_fallback 3×")

    row.get_by_role("button", name="Verwerfen").click()
    members = row.locator(".members li")
    expect(members).to_have_count(3)
    for text in wordings:
        expect(row.locator(".members")).to_contain_text(text)
    row.get_by_role("button", name="Für alle 3 speichern").click()
    expect(trainer.status).to_have_text("3 Annotationen gespeichert.")
    expect(trainer.inbox.locator("tr", has_text=marker)).to_have_count(0)
    assert trainer.watch.errors == [] and trainer.watch.dialogs == [] and trainer.watch.missing_assets == []
