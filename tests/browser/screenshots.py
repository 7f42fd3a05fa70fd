"""`make screenshots`: renews every picture in docs/screenshots/ from the REAL trained assistant in Chromium.

    python -m tests.browser.screenshots --model models/nordwind.tar.gz --out docs/screenshots

Starts `python -m handoff serve` (the product as `make run` starts it, on a fresh SQLite file and a free port),
has a customer talk to the real bot in the widget, hands the conversation to an agent and photographs each page.

To add a picture: write a function `shoot_x(studio) -> None` that drives `studio.customer` / `studio.agent` /
`studio.admin` and calls `studio.save("x.png", page)`, and append `Shot("x", shoot_x)` to SHOTS (with `needs=` a
path that must answer 200, for pages that may not exist yet). Shots run in order and share one conversation.
"""
from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from playwright.sync_api import expect, sync_playwright

from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, UI_TIMEOUT_MS, Api, PageWatch
from tests.browser.pages import AdminPage, ConsolePage, TrainerPage, WidgetPage

ADMIN = {"email": "admin@nordwind.example", "display_name": "Administrator", "password": "bildschirm-admin-123",
         "role": "admin"}
AGENT = {"email": "lena.berger@nordwind.example", "display_name": "Lena Berger", "password": "bildschirm-agent-123",
         "role": "agent"}
ALWAYS_OPEN = {"time_zone": "Europe/Berlin",
               "weekly": {day: [["00:00", "23:59"]] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
               "holidays": []}
ALWAYS_CLOSED = {"time_zone": "Europe/Berlin", "weekly": {day: [] for day in ALWAYS_OPEN["weekly"]}, "holidays": []}
DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}
# What the customer writes: an order question the demo shop knows (actions/demo_orders.json), then impatience and a
# request for a person, so the agent's summary has topics, an order number and reasons.
CUSTOMER_TURNS = ("Hallo, wo ist meine Bestellung NW-482913?",
                  "Die sollte doch schon längst da sein, das dauert mir echt zu lange.")
ASK_FOR_PERSON = "Ich möchte bitte mit einem Mitarbeiter sprechen."
# Three customers report the same fault: the console groups them into one incident.
OUTAGE_REPORTS = ("Beim Checkout kommt immer ein Fehler 500", "Der Checkout geht nicht, Fehlermeldung beim Bezahlen",
                  "Fehler im Checkout, ich kann nicht bestellen")
NOT_UNDERSTOOD = "Kann euer Flux-Kompensator auch Zeitreisen?"
AFTER_HOURS_REQUEST = "Mir wurde die Rechnung doppelt abgebucht. Ich möchte bitte mit einem Mitarbeiter sprechen."
TICKET_ANSWER = ("Guten Morgen, die doppelte Abbuchung ist storniert, der Betrag ist in 3–5 Werktagen wieder auf "
                 "Ihrem Konto. Entschuldigen Sie den Ärger!")
# Pictures that show no bot at all, taken by the browser test named here (its fixtures run an e-mail server).
FROM_BROWSER_TESTS = {"tickets-email.png": "tests/browser/test_tickets_email.py"}
READY_SECONDS = 240
# handoff/services/bot_routing.py logs this when the bot raised or timed out (the customer got the honest fallback).
BOT_FAILED = "bot unavailable for"


@dataclass
class Studio:
    """The running product, the browser and the people using it; shots add to one shared story."""
    base_url: str
    out: Path
    browser: Any
    api: Api
    log: Path
    contexts: list[Any] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    saved: list[Path] = field(default_factory=list)

    def page(self, viewport: dict[str, int] = DESKTOP, **options: Any) -> Any:
        context = self.browser.new_context(viewport=viewport, locale="de-DE", base_url=self.base_url,
                                           timezone_id="Europe/Berlin", **options)
        context.set_default_timeout(UI_TIMEOUT_MS * 2)
        self.contexts.append(context)
        page = context.new_page()
        page.watch = PageWatch(page)
        return page

    def save(self, name: str, page: Any) -> None:
        page.wait_for_timeout(400)   # let transitions (typing dots, fades) settle
        if BOT_FAILED in self.log.read_text():
            raise SystemExit(f"the bot failed to answer while taking {name}: no picture of a broken assistant")
        path = self.out / name
        page.screenshot(path=str(path))
        self.saved.append(path)
        print(f"  {path.relative_to(REPO_ROOT) if path.is_relative_to(REPO_ROOT) else path}", flush=True)

    def skip(self, name: str, why: str) -> None:
        print(f"  (no {name}.png: {why})", flush=True)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


def _customer_says(widget: WidgetPage, text: str) -> None:
    """Send and wait for the bot's answer (the real bot: its words are not known in advance)."""
    before = widget.log.locator("li.nw-msg--bot").count()
    widget.send(text)
    expect(widget.log.locator("li.nw-msg--bot")).not_to_have_count(before)
    widget.expect_delivered(text)


def shoot_widget(studio: Studio) -> None:
    agent = ConsolePage(studio.page(viewport={"width": 1280, "height": 1000})).login(AGENT)
    studio.state["agent"] = agent
    widget = WidgetPage(studio.page()).visit().open()
    _customer_says(widget, CUSTOMER_TURNS[0])
    studio.save("widget.png", widget.page)
    for text in CUSTOMER_TURNS[1:]:
        _customer_says(widget, text)
    studio.state["widget"] = widget


def shoot_widget_mobile(studio: Studio) -> None:
    widget = WidgetPage(studio.page(viewport=PHONE, is_mobile=True, has_touch=True)).visit().open()
    _customer_says(widget, "Welche Zahlungsarten gibt es?")
    studio.save("widget-mobile.png", widget.page)


def shoot_queue(studio: Studio) -> None:
    widget: WidgetPage = studio.state["widget"]
    agent: ConsolePage = studio.state["agent"]
    widget.send(ASK_FOR_PERSON)
    expect(widget.notice).to_be_visible()
    conversation_id = widget.session()["conversation_id"]
    studio.state["conversation_id"] = conversation_id
    expect(agent.queue_item(conversation_id)).to_be_visible()
    studio.save("console-queue.png", agent.page)


def shoot_conversation(studio: Studio) -> None:
    agent: ConsolePage = studio.state["agent"]
    widget: WidgetPage = studio.state["widget"]
    pane = agent.open_from_queue(studio.state["conversation_id"])
    expect(pane.locator(".about")).to_be_visible()
    agent.claim(pane)
    agent.reply(pane, "Guten Tag, hier ist Lena Berger. Ich sehe, Ihre Sendung NW-482913 ist überfällig – "
                      "ich frage bei DHL nach und melde mich gleich wieder.")
    expect(widget.message("agent", "ich frage bei DHL nach")).to_be_visible()
    studio.save("console-conversation.png", agent.page)
    studio.save("widget-agent.png", widget.page)
    studio.state["pane"] = pane


def shoot_goodwill(studio: Studio) -> None:
    agent: ConsolePage = studio.state["agent"]
    goodwill = studio.state["pane"].locator("details.goodwill")
    if goodwill.count() == 0:
        studio.skip("console-goodwill", "the console has no goodwill panel")
        return
    goodwill.locator("summary").click()
    goodwill.get_by_label("Art").select_option("voucher")
    goodwill.get_by_label("Betrag in €").fill("15,00")
    goodwill.get_by_label("Grund").fill("Lieferung über eine Woche verspätet")
    goodwill.get_by_role("button", name="Kulanz gewähren").click()
    expect(goodwill.locator(".grant--granted")).to_be_visible()
    studio.save("console-goodwill.png", agent.page)


def shoot_incident(studio: Studio) -> None:
    agent: ConsolePage = studio.state["agent"]
    page = agent.page
    if page.locator("#incidents-list").count() == 0:
        studio.skip("console-incident", "the console has no incident list")
        return
    for text in OUTAGE_REPORTS:
        _customer_says(WidgetPage(studio.page()).visit().open(), text)
    incident = page.locator("#incidents-list .incident-item").first
    try:
        expect(incident).to_be_visible(timeout=UI_TIMEOUT_MS)
    except AssertionError:
        studio.skip("console-incident", "the real bot's reports of a checkout error made no incident")
        return
    incident.get_by_role("button").click()
    dialog = page.get_by_role("dialog").filter(has_text="Störung")
    expect(dialog).to_be_visible()
    studio.save("console-incident.png", page)
    dialog.get_by_role("button", name="Schließen", exact=True).click()


def shoot_tickets(studio: Studio) -> None:
    agent: ConsolePage = studio.state["agent"]
    page = agent.page
    if page.locator("#view-tickets").count() == 0:
        studio.skip("console-tickets", "the console has no tickets view")
        return
    page.locator("#view-tickets").click()
    expect(page.locator("#tickets-view")).to_be_visible()
    page.wait_for_load_state("networkidle")
    studio.save("console-tickets.png", page)
    page.get_by_role("button", name="Live-Chats").click()


def shoot_admin(studio: Studio) -> None:
    page = studio.page(viewport={"width": 1280, "height": 1000})
    ConsolePage(page).login(ADMIN)
    AdminPage(page).visit()
    studio.save("admin.png", page)
    sla = page.locator("#ticket-sla-form")
    if sla.count():
        sla.scroll_into_view_if_needed()
        studio.save("tickets-admin-sla.png", page)


def shoot_ticket_after_hours(studio: Studio) -> None:
    """Nobody there: the request becomes a ticket, the agent answers it later, the customer comes back to it."""
    agent: ConsolePage = studio.state["agent"]
    page = agent.page
    if page.locator("#view-tickets").count() == 0:
        studio.skip("tickets-detail", "the console has no tickets view")
        return
    token = studio.api.login(ADMIN)
    assert studio.api.call("PUT", "/api/admin/business-hours", ALWAYS_CLOSED, token=token)[0] == 200
    try:
        widget = WidgetPage(studio.page()).visit().open()
        _customer_says(widget, AFTER_HOURS_REQUEST)
        form = widget.panel.get_by_role("form", name="Wir melden uns bei Ihnen")
        if form.count():   # the customer leaves an address for the answer, as customers do
            form.get_by_label("E-Mail-Adresse").fill("kundin@example.com")
            form.get_by_role("button", name="Rückmeldung anfordern").click()
            expect(widget.panel).to_contain_text("Wir melden uns per E-Mail")
    finally:
        studio.api.call("PUT", "/api/admin/business-hours", ALWAYS_OPEN, token=token)
    page.locator("#view-tickets").click()
    view = page.locator("#tickets-view")
    row = view.locator(".ticket-row").filter(has_text="doppelt abgebucht")
    expect(row).to_have_count(1)
    row.get_by_role("button").click()
    detail = view.locator(".ticket-detail")
    detail.locator(".ticket-actions").get_by_role("button", name="Übernehmen").click()
    expect(detail.locator(".status")).to_have_text("offen")
    detail.get_by_label("Antwort oder Notiz").fill(TICKET_ANSWER)
    detail.get_by_role("button", name="Antworten").click()
    expect(detail.locator(".article--reply")).to_contain_text("storniert")
    studio.save("tickets-detail.png", page)
    widget.page.reload()
    widget.open()
    widget.expect_message("agent", "storniert")
    studio.save("tickets-widget-return.png", widget.page)
    page.get_by_role("button", name="Live-Chats").click()


def shoot_ticket_overdue(studio: Studio) -> None:
    """The incident's problem reports had one minute for a first answer (prepare_accounts): now they are overdue."""
    agent: ConsolePage = studio.state["agent"]
    page = agent.page
    if page.locator("#view-tickets").count() == 0:
        studio.skip("tickets-overdue", "the console has no tickets view")
        return
    page.locator("#view-tickets").click()
    overdue = page.locator("#tickets-view .ticket-row[data-due-state=overdue]")
    # The list is fetched again every 20 s; the reports were made at least a minute before with most runs.
    expect(overdue.first).to_be_visible(timeout=120_000)
    studio.save("tickets-overdue.png", page)


def shoot_trainer(studio: Studio) -> None:
    widget = WidgetPage(studio.page()).visit().open()
    _customer_says(widget, NOT_UNDERSTOOD)
    page = studio.page(viewport={"width": 1280, "height": 1000})
    TrainerPage(page).login(ADMIN)
    expect(page.locator("#inbox-rows tr").first).to_be_visible()
    studio.save("trainer.png", page)


def shoot_reports(studio: Studio) -> None:
    page = studio.page(viewport={"width": 1280, "height": 1200})
    ConsolePage(page).login(ADMIN)
    page.goto("/reports")
    page.wait_for_load_state("networkidle")
    studio.save("reports.png", page)


@dataclass(frozen=True)
class Shot:
    name: str
    take: Callable[[Studio], None]
    needs: str | None = None   # a path that must answer 200 (pages being built): skipped with a note otherwise


SHOTS = (
    Shot("widget", shoot_widget),
    Shot("widget-mobile", shoot_widget_mobile),
    Shot("console-queue", shoot_queue),
    Shot("console-conversation", shoot_conversation),
    Shot("console-goodwill", shoot_goodwill),
    Shot("console-incident", shoot_incident),
    Shot("console-tickets", shoot_tickets),
    Shot("tickets-detail", shoot_ticket_after_hours),
    Shot("admin", shoot_admin),
    Shot("trainer", shoot_trainer),
    Shot("reports", shoot_reports, needs="/reports"),
    Shot("tickets-overdue", shoot_ticket_overdue),
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def start_product(model: Path, workdir: Path) -> tuple[subprocess.Popen, str, Path]:
    port = _free_port()
    log_path = workdir / "server.log"
    environment = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir / 'handoff.db'}", "MODEL_PATH": str(model),
                   "PORT": str(port), "HOST": "127.0.0.1", "ADMIN_EMAIL": ADMIN["email"],
                   "ADMIN_PASSWORD": ADMIN["password"], "RATE_LIMIT_PER_MINUTE": "1000", "LOG_LEVEL": "WARNING"}
    with open(log_path, "w") as log:
        process = subprocess.Popen([sys.executable, "-m", "handoff", "serve"], cwd=REPO_ROOT, env=environment,
                                   stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + READY_SECONDS
    while _answers(base_url + "/ready") != 200:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise SystemExit(f"the product did not get ready:\n{log_path.read_text()[-3000:]}")
        time.sleep(0.5)
    return process, base_url, log_path


def prepare_accounts(api: Api) -> None:
    token = api.login(ADMIN)
    status, body = api.call("PUT", "/api/admin/business-hours", ALWAYS_OPEN, token=token)
    assert status == 200, body
    status, sla = api.call("GET", "/api/admin/ticket-sla", token=token)
    if status == 200:   # problem reports get one minute for a first answer: the overdue picture needs one
        policies = {kind: dict(policy) for kind, policy in sla["policies"].items()}
        policies["problem_report"] = {**policies.get("problem_report", {}), "first_response_minutes": 1}
        status, body = api.call("PUT", "/api/admin/ticket-sla", {**sla, "policies": policies}, token=token)
        assert status == 200, body
    status, body = api.call("POST", "/api/admin/agents", {key: AGENT[key] for key in
                                                          ("email", "display_name", "password", "role")}, token=token)
    assert status == 201, body


def take(model: Path, out: Path, browser: Any = None) -> list[Path]:
    """Every Shot into `out`; with `browser` (the test suite's, one Playwright per thread) or its own Chromium."""
    if not CHROMIUM.exists():
        raise SystemExit(f"Debian's Chromium is needed ({CHROMIUM}): apt-get install chromium")
    if not model.is_file():
        raise SystemExit(f"no trained model at {model}: make train")
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="nordwind-screenshots-") as scratch:
        process, base_url, log = start_product(model, Path(scratch))
        try:
            api = Api(base_url)
            prepare_accounts(api)
            if browser is not None:
                return _take_all(Studio(base_url=base_url, out=out, browser=browser, api=api, log=log))
            with sync_playwright() as playwright:
                own = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
                try:
                    return _take_all(Studio(base_url=base_url, out=out, browser=own, api=api, log=log))
                finally:
                    own.close()
        except BaseException:
            print(f"the product's log (end):\n{log.read_text()[-3000:]}", file=sys.stderr)
            raise
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


def _take_all(studio: Studio) -> list[Path]:
    try:
        for shot in SHOTS:
            if shot.needs and _answers(studio.base_url + shot.needs) != 200:
                print(f"  (skipped {shot.name}: {shot.needs} does not exist yet)", flush=True)
                continue
            shot.take(studio)
    finally:
        studio.close()
    return studio.saved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", type=Path, default=REPO_ROOT / "models" / "nordwind.tar.gz")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "docs" / "screenshots")
    arguments = parser.parse_args(argv)
    started = time.monotonic()
    print(f"Taking screenshots of the real assistant ({arguments.model}) in Chromium:", flush=True)
    saved = take(arguments.model.resolve(), arguments.out.resolve())
    print(f"{len(saved)} screenshots in {time.monotonic() - started:.0f} s", flush=True)
    stale = sorted(path for path in set(arguments.out.resolve().glob("*.png")) - set(saved)
                   if path.name not in FROM_BROWSER_TESTS)
    if stale:   # a picture nobody renews would show an old product: give it a Shot or delete it
        print(f"not renewed (no Shot in {Path(__file__).relative_to(REPO_ROOT)}): "
              f"{', '.join(path.name for path in stale)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
