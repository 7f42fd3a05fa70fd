"""The sweep: customer messages left unrouted by a dead or stuck process are routed to the bot again.

A message is swept when it was stored, its routing never finished (`routed_at` empty) and its claim is absent or
older than `ServiceConfig.routing_stale_after`; `route_customer_message` claims it again, so instances sweeping at
the same time, or a client resending at the same moment, still produce one answer.
"""
from __future__ import annotations

import asyncio
import logging

from handoff.services.bot_routing import route_customer_message
from handoff.services.context import ServiceContext
from handoff.services.mapping import message_view
from handoff.store import messages
from handoff.services.unit_of_work import reading

log = logging.getLogger(__name__)

MIN_SWEEP_INTERVAL_SECONDS = 1.0


async def route_unrouted_messages(ctx: ServiceContext, limit: int | None = None) -> int:
    """One sweep over at most `limit` messages (oldest first); returns how many got a bot answer now."""
    stale_before = ctx.now() - ctx.config.routing_stale_after
    async with reading(ctx) as conn:
        rows = await messages.unrouted_customer_messages(conn, stale_before,
                                                         limit or ctx.config.routing_sweep_batch)
    answered = 0
    for row in rows:
        try:
            if await route_customer_message(ctx, row["conversation_id"], message_view(row)):
                answered += 1
        except Exception:
            # One broken conversation must not stop the others; its claim goes stale and the next sweep retries.
            log.exception("sweep: routing message %s of %s failed", row["seq"], row["conversation_id"])
    if rows:
        log.info("sweep: %d unrouted customer messages found, %d answered by the bot", len(rows), answered)
    return answered


def sweep_interval_seconds(ctx: ServiceContext) -> float:
    # Half the stale threshold: a message left behind waits at most 1.5 × the threshold for its answer.
    return max(MIN_SWEEP_INTERVAL_SECONDS, ctx.config.routing_stale_after.total_seconds() / 2)


async def run_routing_sweeps(ctx: ServiceContext) -> None:
    """Sweep at start-up, then periodically until cancelled; failures are logged and retried next time."""
    while True:
        try:
            await route_unrouted_messages(ctx)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("routing sweep failed; retrying in %.0f s", sweep_interval_seconds(ctx))
        await asyncio.sleep(sweep_interval_seconds(ctx))
