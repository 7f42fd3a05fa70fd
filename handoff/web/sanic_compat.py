"""Compatibility fix for Sanic 21.12 (pinned by Rasa 3.6) on Python 3.11.

Sanic 21.12's `WebsocketImplProtocol.recv` passes a bare coroutine to `asyncio.wait`, which Python 3.11 rejects
("Passing coroutines is forbidden"), so no WebSocket could ever receive a frame: neither ours nor engine.io's
(socket.io websocket transport). Sanic fixed this in 22.x; `install()` swaps in the same logic with a task.
It is applied from `create_app`, not at import time, and only where the bug exists.
"""
from __future__ import annotations

import asyncio
import sys
from typing import Any, Optional

from sanic.exceptions import ServerError, WebsocketClosed
from sanic.server.websockets.impl import WebsocketImplProtocol
from websockets.connection import CLOSED

FIXED_MARKER = "_nordwind_recv_fixed"


async def recv(self: WebsocketImplProtocol, timeout: Optional[float] = None) -> Optional[Any]:
    """Same contract as Sanic's `recv` (see its docstring); only the waiting is done on a task."""
    if self.recv_lock.locked():
        raise ServerError("cannot call recv while another task is already waiting for the next message")
    await self.recv_lock.acquire()
    if self.connection.state is CLOSED:
        self.recv_lock.release()
        raise WebsocketClosed("Cannot receive from websocket interface after it is closed.")
    getter: asyncio.Task[Any] | None = None
    try:
        self.recv_cancel = asyncio.Future()
        getter = asyncio.ensure_future(self.assembler.get(timeout))
        done, _pending = await asyncio.wait((self.recv_cancel, getter), return_when=asyncio.FIRST_COMPLETED)
        if self.recv_cancel in done:
            getter.cancel()
            raise asyncio.CancelledError()
        self.recv_cancel.cancel()
        return getter.result()
    except asyncio.CancelledError:
        if getter is not None and not getter.done():
            getter.cancel()
        raise
    finally:
        self.recv_cancel = None
        self.recv_lock.release()


def needed() -> bool:
    return sys.version_info >= (3, 11) and not getattr(WebsocketImplProtocol.recv, FIXED_MARKER, False)


def install() -> None:
    if needed():
        setattr(recv, FIXED_MARKER, True)
        WebsocketImplProtocol.recv = recv  # type: ignore[method-assign]
