"""The reports page in Chromium: a supervisor sees the charts (drawn by the vendored Chart.js), each with its
table alternative holding the API's numbers in German formats and a CSV download; a trainer sees only topics."""
from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from playwright.sync_api import expect

REPORTS = "/reports"
CHART_BLOCKS = ("volume", "handoff_reasons", "frt_distribution", "csat", "topics")
PASSWORD = "berichte-passwort-1"


def _account(api: Any, admin_account: dict[str, str], role: str) -> dict[str, str]:
    token = api.login(admin_account)
    account = {"email": f"{role}-{uuid.uuid4().hex[:6]}@nordwind.test", "password": PASSWORD}
    status, body = api.call("POST", "/api/admin/agents", {**account, "display_name": f"Test {role}", "role": role},
                            token=token)
    assert status == 201, body
    return account


def _customers_write(api: Any) -> None:
    for number, text in enumerate(("Hallo", "blubb wo ist mein zeug", "Hallo nochmal",
                                   "Ich möchte mit einem Mitarbeiter sprechen")):
        status, body = api.call("POST", "/webhooks/rest/webhook", {"sender": f"report-{number}-{uuid.uuid4().hex[:6]}",
                                                                   "message": text})
        assert status == 200, body


def _open(new_page: Any, account: dict[str, str]) -> Any:
    page = new_page()
    page.goto(REPORTS)
    page.locator("#login-email").fill(account["email"])
    page.locator("#login-password").fill(account["password"])
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("heading", name="Themen (für Trainer)")).to_be_visible()
    return page


def _chart_drawn(page: Any, section: str) -> bool:
    return page.evaluate("""(section) => {
        const canvas = document.querySelector(`[data-section="${section}"] canvas`);
        const chart = canvas && window.Chart.getChart(canvas);
        return Boolean(chart) && canvas.width > 0 && canvas.height > 0 && chart.data.datasets.length > 0;
    }""", section)


def test_supervisor_sees_charts_tables_and_downloads_csv(new_page, api, admin_account, screenshots):
    _customers_write(api)
    supervisor = _account(api, admin_account, "supervisor")
    page = _open(new_page, supervisor)
    expect(page.get_by_role("heading", name="Volumen")).to_be_visible()
    expect(page.get_by_role("heading", name="Kundenzufriedenheit (CSAT)")).to_be_visible()
    for section in CHART_BLOCKS:
        assert _chart_drawn(page, section), section

    # The table alternative holds the API's numbers, in German formats.
    status, report = api.call("GET", "/api/reports/overview?period=week", token=api.login(supervisor))
    assert status == 200
    rest = {row["channel"]: row for row in report["volume"]["channels"]}["rest"]
    assert rest["conversations"] >= 4
    volume = page.locator('[data-section="volume"]')
    volume.get_by_text("Als Tabelle anzeigen").click()
    row = volume.locator("table tr", has_text="REST")
    expect(row).to_be_visible()
    expect(row.locator("td").nth(1)).to_have_text(f"{rest['conversations']:,}".replace(",", "."))
    share = f"{rest['share'] * 100:.1f}".rstrip("0").rstrip(".").replace(".", ",")
    expect(row.locator("td").nth(3)).to_have_text(f"{share} %")   # German percent: "12,5 %"
    expect(page.locator('[data-section="waiting"] table')).to_contain_text("Erste Antwort")

    with page.expect_download() as download_info:
        volume.get_by_role("link", name="CSV herunterladen").click()
    download = download_info.value
    assert download.suggested_filename.startswith("nordwind-volume-") and download.suggested_filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO(open(download.path(), encoding="utf-8-sig").read()), delimiter=";"))
    assert rows[0] == ["Kanal", "Gespräche", "Kundennachrichten", "Anteil Gespräche (%)"]
    assert ["rest", str(rest["conversations"])] == {r[0]: r for r in rows[1:]}["rest"][:2]

    topics = page.locator('[data-section="topics"]')
    topics.get_by_text("Als Tabelle anzeigen").click()
    link = topics.get_by_role("link", name="Nicht verstanden (Fallback)")
    expect(link).to_have_attribute("href", "/trainer?intent=nlu_fallback")
    page.screenshot(path=str(screenshots / "reports.png"), full_page=True)
    assert page.watch.errors == [] and page.watch.missing_assets == [] and page.watch.dialogs == []


def test_a_bad_period_is_explained_and_a_trainer_sees_only_topics(new_page, api, admin_account):
    trainer = _account(api, admin_account, "trainer")
    page = _open(new_page, trainer)
    expect(page.locator("#section-volume")).to_be_hidden()
    assert _chart_drawn(page, "topics")
    page.locator("#period-kind").select_option("custom")
    page.locator("#period-from").fill("2025-03-10")
    page.locator("#period-to").fill("2025-03-01")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.locator("#period-error")).to_have_text("Das Ende des Zeitraums liegt vor seinem Beginn.")
    assert page.watch.errors == [] and page.watch.missing_assets == []
