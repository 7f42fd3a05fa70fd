"""The reports API on the real app: who may see what (every route × agent, trainer, supervisor, admin), bad
periods and topics as clear 422s, CSV downloads."""
from __future__ import annotations

import pytest

from tests.integration.handoff.web.clients import start_customer
from tests.integration.handoff.web.conftest import create_agent, login_cookie, make_admin_api
from tests.integration.handoff.web.server import Api

pytestmark = pytest.mark.integration

SECTIONS = ("volume", "outcome", "handoff_reasons", "waiting", "frt_distribution", "csat", "tickets")
OVERVIEW_ROUTES = ["/api/reports/overview"] + [f"/api/reports/overview.csv?section={name}" for name in SECTIONS]
TOPIC_ROUTES = ["/api/reports/topics", "/api/reports/topics.csv"]
# role -> may it read the overview, the topics?
MATRIX = {"agent": (False, False), "trainer": (False, True), "supervisor": (True, True), "admin": (True, True)}


@pytest.fixture
async def clients(sqlite_server):
    admin = await make_admin_api(sqlite_server)
    apis = {"admin": admin}
    for role in ("agent", "trainer", "supervisor"):
        email, password = await create_agent(admin, role=role)
        apis[role], _ = await login_cookie(sqlite_server.base, email, password)
    yield apis
    for api in apis.values():
        await api.close()


@pytest.mark.parametrize("role", list(MATRIX))
async def test_permission_matrix_on_every_reports_route(clients, role):
    may_overview, may_topics = MATRIX[role]
    for routes, allowed in ((OVERVIEW_ROUTES, may_overview), (TOPIC_ROUTES, may_topics)):
        for path in routes:
            status, body, _ = await clients[role].request("GET", path)
            if allowed:
                assert status == 200, (role, path, status, body)
            else:
                assert (status, body["error"]["code"]) == (403, "forbidden"), (role, path, status, body)


async def test_anonymous_callers_get_401_and_the_page_is_served(sqlite_server):
    anonymous = Api(sqlite_server.base)
    try:
        for path in OVERVIEW_ROUTES + TOPIC_ROUTES:
            status, body, _ = await anonymous.request("GET", path)
            assert status == 401, (path, body)
        status, page, _ = await anonymous.request("GET", "/reports")
        assert status == 200 and "Berichte" in page
    finally:
        await anonymous.close()


async def test_a_new_conversation_counts_today(sqlite_server, clients):
    await start_customer(sqlite_server.base)
    status, body, _ = await clients["supervisor"].request("GET", "/api/reports/overview?period=day")
    assert status == 200, body
    assert body["volume"]["conversations"] >= 1
    widget = {row["channel"]: row for row in body["volume"]["channels"]}["widget"]
    assert widget["conversations"] >= 1
    assert body["period"]["kind"] == "day" and body["previous_period"]["kind"] == "day"


@pytest.mark.parametrize("query, field, words", [
    ("period=custom&from=2025-03-10&to=2025-03-01", "to", "vor seinem Beginn"),
    ("period=custom&from=2024-01-01&to=2025-06-30", "to", "höchstens 366 Tage"),
    ("period=custom&from=2025-03-01", "to", "Beginn und Ende"),
    ("period=quarter", "period", "day, week, month oder custom"),
    ("period=week&date=gestern", "date", "JJJJ-MM-TT"),
    ("period=week&date=0001-01-01", "date", "zwischen 2000 und 2099"),
])
async def test_bad_periods_are_a_clear_422(clients, query, field, words):
    for path in ("/api/reports/overview?", "/api/reports/overview.csv?section=volume&", "/api/reports/topics?"):
        status, body, _ = await clients["admin"].request("GET", f"{path}{query}")
        assert status == 422, (path, query, body)
        assert body["error"]["field"] == field and words in body["error"]["message"]


async def test_unknown_topic_and_unknown_section(clients):
    status, body, _ = await clients["trainer"].request("GET", "/api/reports/topics?topic=wetterbericht")
    assert (status, body["error"]["field"]) == (422, "topic")
    assert "Unbekanntes Thema" in body["error"]["message"]
    status, body, _ = await clients["trainer"].request("GET", "/api/reports/topics?topic=order_status")
    assert status == 200, body
    status, body, _ = await clients["admin"].request("GET", "/api/reports/overview.csv?section=geheim")
    assert (status, body["error"]["field"]) == (422, "section")


async def test_csv_is_a_german_spreadsheet_download(clients):
    status, body, headers = await clients["supervisor"].request(
        "GET", "/api/reports/overview.csv?section=csat&period=custom&from=2025-03-01&to=2025-03-31")
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")
    assert headers["Content-Disposition"] == 'attachment; filename="nordwind-csat-2025-03-01-2025-03-31.csv"'
    text = body if isinstance(body, str) else body.decode("utf-8")
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0] == "Kennzahl;Wert" and lines[1] == "1 Sterne;0"
    assert "Antwortquote (%);" in text
