"""The whole journey in two browsers: customer → bot → person → agent claims → live chat both ways → resolved → CSAT."""
from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.pages import ConsolePage, WidgetPage

ASK_FOR_HUMAN = "Ich möchte mit einem Mitarbeiter sprechen"


def test_customer_is_handed_to_an_agent_and_rates_the_help(new_page, api, agent_account, admin_account, screenshots):
    console = ConsolePage(new_page(viewport={"width": 1280, "height": 1000})).login(agent_account)

    widget = WidgetPage(new_page()).visit().open()
    expect(widget.panel).to_contain_text("Digitaler Assistent – ein Mensch ist auf Wunsch erreichbar")
    widget.send("Wo ist meine Bestellung 12345?")
    widget.expect_message("bot", "Antwort auf: Wo ist meine Bestellung 12345?")
    widget.send(ASK_FOR_HUMAN)
    widget.expect_message("bot", "Ich hole eine Kollegin oder einen Kollegen dazu.")
    expect(widget.notice).to_contain_text("Eine Kollegin/ein Kollege übernimmt gleich.")
    widget.page.screenshot(path=str(screenshots / "widget.png"))
    conversation_id = widget.session()["conversation_id"]

    # The handoff appears in the agent's queue without a reload, with reasons and the first message.
    item = console.queue_item(conversation_id)
    expect(item).to_be_visible()
    expect(item).to_contain_text("Kunde möchte einen Menschen")
    expect(item).to_contain_text("Wo ist meine Bestellung 12345?")
    expect(item.locator(".waiting")).to_contain_text("wartet 0:")
    console.page.screenshot(path=str(screenshots / "console-queue.png"))

    pane = console.open_from_queue(conversation_id)
    expect(pane.locator(".about")).to_contain_text("Worum es geht")
    expect(pane.locator(".transcript")).to_contain_text("Antwort auf: Wo ist meine Bestellung 12345?")
    # What the bot understood is there for the agent, discreetly: intent with confidence, tone.
    expect(pane.locator(".transcript .msg--customer .msg-nlu").first).to_contain_text("Absicht: Begrüßung (90 %)")
    expect(pane.locator(".transcript .msg--customer .msg-nlu").first).to_contain_text("Ton: ruhig")
    console.claim(pane)
    # Named from the state frame's agent_name, before the agent has written anything.
    expect(widget.notice).to_contain_text("Lena Berger ist jetzt für Sie da")
    expect(item).to_have_count(0)

    console.reply(pane, "Guten Tag, hier ist Lena. Ich schaue mir Ihre Bestellung an.")
    agent_message = widget.message("agent", "Ich schaue mir Ihre Bestellung an.")
    expect(agent_message).to_be_visible()
    expect(agent_message).to_contain_text("Lena Berger")

    widget.send("Danke, die Nummer ist 12345.")
    expect(pane.locator(".transcript .msg--customer", has_text="die Nummer ist 12345")).to_be_visible()

    pane.get_by_label("Interne Notiz (nur für das Team)").check()
    console.reply(pane, "Paket hängt im Verteilzentrum")
    expect(pane.locator(".transcript .msg--note")).to_contain_text("Paket hängt im Verteilzentrum")
    console.page.screenshot(path=str(screenshots / "console-conversation.png"))

    console.action(pane, "Erledigt")
    expect(pane.locator(".status")).to_have_text("erledigt")
    csat = widget.panel.locator(".nw-csat")
    expect(csat).to_be_visible()
    csat.get_by_role("button", name="4 von 5 Sternen").click()
    csat.get_by_label("Möchten Sie uns noch etwas mitteilen? (optional)").fill("Schnell und freundlich")
    csat.get_by_role("button", name="Bewertung senden").click()
    expect(widget.panel).to_contain_text("Vielen Dank für Ihre Bewertung!")

    # The private note never reached the customer; the rating is stored.
    expect(widget.log).not_to_contain_text("Verteilzentrum")
    token = api.login(admin_account)
    status, detail = api.call("GET", f"/api/agent/conversations/{conversation_id}", token=token)
    assert status == 200
    assert detail["csat"]["rating"] == 4
    assert detail["csat"]["comment"] == "Schnell und freundlich"
    for watch in (widget.watch, console.watch):
        assert watch.errors == [] and watch.missing_assets == []
