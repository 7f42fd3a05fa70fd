"""Length-prefixed pickles over a socket: how the web process and its bot process talk (handoff/engine/process.py).

Both ends read with asyncio streams on their own event loop. The earlier reader threads (multiprocessing's
Connection, which only blocks) cost each message two extra thread hops, and a hop waits for the GIL while the
other thread computes: up to Python's 5 ms switch interval per hop, in a turn of ~8 ms. The first message,
sent before the child's loop exists, is read with the blocking `receive_blocking`.
"""
from __future__ import annotations

import asyncio
import pickle
import socket
import struct
from typing import Any

HEADER = struct.Struct("!I")
# Far above any bot reply or start-up report (the domain's responses are a few hundred KB at most).
MAX_FRAME_BYTES = 64 * 1024 * 1024


class WireError(ConnectionError):
    pass


def encode(message: Any) -> bytes:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    if len(body) > MAX_FRAME_BYTES:
        raise WireError(f"message of {len(body)} bytes is over the {MAX_FRAME_BYTES} byte limit")
    return HEADER.pack(len(body)) + body


def _length(header: bytes) -> int:
    (length,) = HEADER.unpack(header)
    if length > MAX_FRAME_BYTES:
        raise WireError(f"frame of {length} bytes announced, over the {MAX_FRAME_BYTES} byte limit")
    return length


async def receive(reader: asyncio.StreamReader) -> Any:
    """The next message; asyncio.IncompleteReadError when the other end has gone."""
    length = _length(await reader.readexactly(HEADER.size))
    return pickle.loads(await reader.readexactly(length))


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    chunks, remaining = [], size
    while remaining:
        chunk = sock.recv(remaining)
        if not chunk:
            raise EOFError("the other end closed the socket")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive_blocking(sock: socket.socket) -> Any:
    return pickle.loads(_read_exactly(sock, _length(_read_exactly(sock, HEADER.size))))


def send_blocking(sock: socket.socket, message: Any) -> None:
    sock.sendall(encode(message))


async def open_stream(sock: socket.socket) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    sock.setblocking(False)
    return await asyncio.open_connection(sock=sock, limit=MAX_FRAME_BYTES)
