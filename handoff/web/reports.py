"""Reports API under `/api/reports` and the reports page at `/reports` (issue 19, docs/reports.md).

Supervisors and admins see every section; trainers see the topics (where the bot fails), nobody else anything.
Every section is JSON for the page and CSV for spreadsheets.
"""
from __future__ import annotations

from pathlib import Path

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file, json, text

from handoff.domain.vocabulary import ROLE_ADMIN, ROLE_SUPERVISOR, ROLE_TRAINER
from handoff.services import reports
from handoff.services.reports import ReportRequest
from handoff.web.agent_auth import authenticate
from handoff.web.context import app_context, services
from handoff.web.errors import invalid, not_found
from handoff.web.openapi import AGENT_BEARER, AGENT_SESSION, ANY_OBJECT, Operation
from handoff.web.report_tables import OVERVIEW_TABLES, TOPICS_TABLE, to_csv

TAG = "reports"
AUTH = (AGENT_SESSION, AGENT_BEARER)
ERRORS = (401, 403, 404, 422)
OVERVIEW_ROLES = frozenset({ROLE_SUPERVISOR, ROLE_ADMIN})
TOPIC_ROLES = frozenset({ROLE_TRAINER, ROLE_SUPERVISOR, ROLE_ADMIN})
PAGE = Path(__file__).resolve().parent.parent / "static" / "reports" / "index.html"
HTML_TYPE = "text/html; charset=utf-8"
CSV_TYPE = "text/csv; charset=utf-8"
MAX_ARG_CHARS = 128


def _operation(summary: str, csv: bool = False) -> Operation:
    return Operation(summary, TAG, {200: None if csv else ANY_OBJECT}, security=AUTH, errors=ERRORS)


def _arg(request: Request, name: str) -> str | None:
    value = request.args.get(name)
    return value.strip()[:MAX_ARG_CHARS] or None if value else None


def report_request(request: Request) -> ReportRequest:
    """?period=day|week|month|custom&date=YYYY-MM-DD (day/week/month) or &from=…&to=… (custom), &topic=…"""
    return ReportRequest(kind=_arg(request, "period"), anchor=_arg(request, "date"), first=_arg(request, "from"),
                         last=_arg(request, "to"), topic=_arg(request, "topic"))


def _csv_response(body: str, name: str, period: dict[str, str]) -> HTTPResponse:
    filename = f"nordwind-{name}-{period['from']}-{period['to']}.csv"
    return text(body, content_type=CSV_TYPE, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


async def _known_intents(request: Request) -> list[str]:
    trainer = getattr(app_context(request), "trainer", None)
    if trainer is not None:
        return trainer.known_intents()
    return await reports.intents_seen(services(request))   # the trainer area is still starting


def blueprint() -> Blueprint:
    bp = Blueprint("reports", url_prefix="/api/reports")

    @bp.get("/overview", ctx_api=_operation("Volume, bot outcome, waiting, tickets and CSAT of a period"))
    async def overview(request: Request) -> HTTPResponse:
        await authenticate(request, OVERVIEW_ROLES)
        return json(await reports.overview(services(request), report_request(request)),
                    headers={"Cache-Control": "no-store"})

    @bp.get("/overview.csv", ctx_api=_operation("One section of the overview as CSV (?section=...)", csv=True))
    async def overview_csv(request: Request) -> HTTPResponse:
        await authenticate(request, OVERVIEW_ROLES)
        section = _arg(request, "section") or ""
        table = OVERVIEW_TABLES.get(section)
        if table is None:
            raise invalid("section", f"Einer dieser Berichtsteile erwartet: {', '.join(OVERVIEW_TABLES)}.")
        report = await reports.overview(services(request), report_request(request))
        return _csv_response(to_csv(*table(report)), section, report["period"])

    @bp.get("/topics", ctx_api=_operation("Per intent: volume, not understood, handoff rate, tone"))
    async def topics(request: Request) -> HTTPResponse:
        await authenticate(request, TOPIC_ROLES)
        result = await reports.topics(services(request), report_request(request), await _known_intents(request))
        return json(result, headers={"Cache-Control": "no-store"})

    @bp.get("/topics.csv", ctx_api=_operation("The topics as CSV", csv=True))
    async def topics_csv(request: Request) -> HTTPResponse:
        await authenticate(request, TOPIC_ROLES)
        result = await reports.topics(services(request), report_request(request), await _known_intents(request))
        return _csv_response(to_csv(*TOPICS_TABLE(result)), "themen", result["period"])

    return bp


def page_blueprint() -> Blueprint:
    """`/reports`: the page; its scripts and styles come from the static blueprint (/reports/..., /vendor/...)."""
    bp = Blueprint("reports_page")

    @bp.get("/reports", ctx_api=Operation("Reports page (HTML)", "ui", {200: None}, errors=(404,)))
    async def reports_page(request: Request) -> HTTPResponse:
        if not PAGE.is_file():
            raise not_found()
        return await file(PAGE, mime_type=HTML_TYPE, headers={"Cache-Control": "no-cache"})

    return bp
