"""The ticket figures are counted in the database (handoff/store/reports.py, tickets_created); the rules are
ticket_sla_met and ticket_overdue of handoff/domain/reports.py. Every combination of due time (none, past,
future), event (none, in time, late) and status is counted both ways and must agree, on SQLite and PostgreSQL."""
import itertools
from datetime import datetime, timedelta, timezone

import pytest

from handoff.domain.reports import ticket_overdue, ticket_sla_met
from handoff.store.database import create_engine
from handoff.store.migrate import upgrade
from handoff.store.reports import tickets_created
from handoff.store.tables import tickets
from tests.integration.handoff.conftest import BACKENDS

pytestmark = pytest.mark.integration
CREATED = datetime(2025, 3, 12, 9, 0, tzinfo=timezone.utc)
NOW = CREATED + timedelta(days=2)
DUE = {"none": None, "past": CREATED + timedelta(hours=4), "future": NOW + timedelta(days=1)}
# Relative to the due time (or, without one, to the creation): not happened, in time, at the due time, late.
DONE = {"not": None, "early": timedelta(hours=-1), "exactly": timedelta(0), "late": timedelta(hours=1)}
STATUSES = ("new", "open", "pending", "solved", "closed", "merged")


@pytest.fixture
def own_database_url(request, tmp_path, postgres_databases) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'tickets.db'}" if request.param == "sqlite" else postgres_databases.create()
    upgrade(url)
    return url


def _done(due, offset):
    if offset is None:
        return None
    return (due or CREATED + timedelta(hours=2)) + offset


def every_ticket():
    rows = []
    combinations = itertools.product(DUE.values(), DONE.values(), DUE.values(), DONE.values(), STATUSES)
    for number, (first_due, first_off, solution_due, solution_off, status) in enumerate(combinations, start=1):
        values = dict(id=f"t{number}", conversation_id=None, number=number, kind=("email", "complaint")[number % 2],
                      channel="email", status=status, created_at=CREATED, updated_at=CREATED,
                      first_response_due_at=first_due, first_response_at=_done(first_due, first_off),
                      solution_due_at=solution_due, solved_at=_done(solution_due, solution_off))
        rows.append({key: value for key, value in values.items() if key in tickets.c})
    return rows


@pytest.mark.parametrize("own_database_url", BACKENDS, indirect=True)
async def test_the_database_counts_slas_and_overdue_tickets_as_the_domain_defines_them(own_database_url):
    rows = every_ticket()
    engine = create_engine(own_database_url)
    try:
        async with engine.begin() as conn:
            await conn.execute(tickets.insert(), rows)
        async with engine.connect() as conn:
            counted = await tickets_created(conn, CREATED, CREATED + timedelta(days=1), NOW)
    finally:
        await engine.dispose()
    for kind in ("email", "complaint"):
        mine = [row for row in rows if row["kind"] == kind and row["status"] != "merged"]
        outcomes = [ticket_sla_met(row["first_response_due_at"], row["first_response_at"], row["solution_due_at"],
                                   row["solved_at"], NOW) for row in mine]
        overdue = sum(ticket_overdue(row["status"], row["first_response_due_at"], row["first_response_at"],
                                     row["solution_due_at"], row["solved_at"], NOW) for row in mine)
        expected = (len(mine), outcomes.count(True), sum(outcome is not None for outcome in outcomes), overdue)
        got = counted[(kind, None)]
        assert (got.created, got.met, got.decided, got.overdue) == expected, kind
        # Every kind of outcome occurs, so the comparison means something.
        assert 0 < expected[1] < expected[2] < expected[0] and expected[3] > 0
