"""`GET /metrics`: Prometheus text format for operators (issue 19, docs/reports.md "Metrics").

Only loopback clients by default (a scraper on the same host, or a sidecar); with METRICS_TOKEN set, any
client presenting it as a bearer token. The peer address is the socket's, never a forwarded header, which
anyone could write.
"""
from __future__ import annotations

import hmac
import ipaddress
import logging

from prometheus_client import CONTENT_TYPE_LATEST
from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, raw

from handoff.metrics import exposition, multiprocess, record
from handoff.store.metrics import snapshot
from handoff.web.context import app_context, services
from handoff.web.errors import forbidden
from handoff.web.inputs import bearer_token
from handoff.web.openapi import Operation
from handoff.services.unit_of_work import reading

logger = logging.getLogger(__name__)


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address((address or "").split("%")[0]).is_loopback
    except ValueError:
        return False


def may_scrape(peer_address: str | None, bearer: str | None, token: str | None) -> bool:
    """Loopback peers always; others only with the configured token (compared in constant time)."""
    if token and bearer and hmac.compare_digest(bearer.encode(), token.encode()):
        return True
    return _loopback(peer_address)


def _allowed(request: Request) -> bool:
    # request.ip is the socket peer; request.remote_addr would trust a forwarded header anyone can write.
    return may_scrape(request.ip, bearer_token(request), app_context(request).settings.metrics_token)


async def _start(app: Sanic, _loop: object) -> None:
    record.start()


async def _stop(app: Sanic, _loop: object) -> None:
    multiprocess.worker_stopped()


def blueprint() -> Blueprint:
    bp = Blueprint("metrics")
    bp.listener("before_server_start")(_start)
    bp.listener("after_server_stop")(_stop)

    @bp.get("/metrics", ctx_api=Operation("Prometheus metrics (loopback, or bearer METRICS_TOKEN)", "operations",
                                          {200: None}, errors=(403,)))
    async def metrics(request: Request) -> HTTPResponse:
        if not _allowed(request):
            raise forbidden("Metriken nur von diesem Rechner oder mit METRICS_TOKEN.")
        ctx = services(request)
        try:
            async with reading(ctx) as conn:
                state = await snapshot(conn)
        except Exception as error:  # noqa: BLE001 - a database outage must not hide the process's metrics
            logger.warning("metrics: database not readable (%s)", type(error).__name__)
            state = None
        return raw(exposition.render(state, ctx.now()), content_type=CONTENT_TYPE_LATEST,
                   headers={"Cache-Control": "no-store"})

    return bp
