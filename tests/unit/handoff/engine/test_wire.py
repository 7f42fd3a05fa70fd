import asyncio
import socket
import struct

import pytest

from handoff.engine import wire as bot_wire

pytestmark = pytest.mark.unit


async def test_messages_cross_a_socket_pair_whole_and_in_order():
    left, right = socket.socketpair()
    bot_wire.send_blocking(left, ("hello", {"ä": "ö"}))  # the handshake, before the loop owns the socket
    # Both writers stay referenced: a StreamWriter closes its socket when it is collected.
    reader, right_writer = await bot_wire.open_stream(right)
    _, writer = await bot_wire.open_stream(left)
    big = "x" * 300_000  # bigger than one socket buffer: arrives in pieces
    for n in range(3):
        writer.write(bot_wire.encode((n, big if n == 1 else n)))
    assert await bot_wire.receive(reader) == ("hello", {"ä": "ö"})
    assert [await bot_wire.receive(reader) for _ in range(3)] == [(0, 0), (1, big), (2, 2)]
    writer.close()
    with pytest.raises(asyncio.IncompleteReadError):
        await bot_wire.receive(reader)
    right_writer.close()


def test_blocking_receive_sees_a_closed_peer():
    left, right = socket.socketpair()
    left.close()
    with pytest.raises(EOFError):
        bot_wire.receive_blocking(right)


async def test_an_announced_frame_over_the_limit_is_refused_before_reading_it():
    left, right = socket.socketpair()
    left.sendall(struct.pack("!I", bot_wire.MAX_FRAME_BYTES + 1))
    reader, writer = await bot_wire.open_stream(right)
    with pytest.raises(bot_wire.WireError, match="over the"):
        await bot_wire.receive(reader)
    left.close()
    writer.close()
