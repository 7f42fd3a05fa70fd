"""The Rasa bot in a process of its own, behind the same BotEngine seam.

A bot turn is ~10 ms of Python (NLU, policies, actions) and the web side of a turn about as much (WebSocket frames,
the two transactions, the bus). In one process they share one core through the GIL: at concurrency 8 the
process sat at one core and acknowledgements waited behind bot turns. Here the web process sends each message
through a socket pair to a bot process (`python -m handoff.engine.process`: a fresh interpreter that inherits no
sockets or threads; a plain subprocess because Sanic's workers are daemonic and may not use multiprocessing),
which runs `RasaBotEngine` as before; the two work on both cores at once, and the web process never imports Rasa.

Protocol: length-prefixed pickles (handoff/engine/wire.py) over the socket pair, read by asyncio streams on both
sides; the child runs Rasa on its own loop (no bot thread: it has nothing else to keep free). First the parent sends
`(factory, settings, log level)`; then parent to child `(request_id, op, args)` and child to parent
`(request_id, ok, value)`, where request 0 is the child's start-up report and `value` of a failed request is the
reason text. The child exits when the socket closes (the parent died) or on `stop`. When the child dies, waiting
callers get BotUnavailable (the honest path: a person or a ticket) and the parent starts a new child.
"""
from __future__ import annotations

import asyncio
import importlib
import itertools
import logging
import os
import socket
import subprocess
import sys
from dataclasses import dataclass, field, replace
from typing import Any

from handoff import logs
from handoff.engine import wire as bot_wire
from handoff.engine.contract import (BotReply, BotUnavailable, DomainFacts, DomainView, ModelStatus, ModelSwap,
                                     TrackerDeletion, capability)
from handoff.engine.settings import EngineSettings

logger = logging.getLogger(__name__)

DEFAULT_FACTORY = "handoff.engine.rasa.engine:load_rasa_engine"
STARTUP_REPORT = 0
OP_REPLY, OP_SWAP_MODEL, OP_DELETE_TRACKER, OP_STOP = "reply", "swap_model", "delete_tracker", "stop"
# A model load (Rasa and TensorFlow imports included) takes seconds; on a busy machine well over a minute.
STARTUP_TIMEOUT_SECONDS = 300.0
# Beyond the bot's own timeout (which the child enforces), for the pipe and a busy machine.
REPLY_MARGIN_SECONDS = 2.0
RESTART_DELAYS_SECONDS = (1.0, 2.0, 5.0, 10.0, 30.0)
STOP_TIMEOUT_SECONDS = 10.0
# The other end is gone: its process died or closed the socket.
LOST = (asyncio.IncompleteReadError, OSError)  # OSError covers ConnectionError and bot_wire.WireError


@dataclass(frozen=True)
class StartupReport:
    model_loaded: bool
    model_id: str | None = None
    reason: str | None = None
    domain: DomainFacts = field(default_factory=DomainFacts)


# --- the child ----------------------------------------------------------------------------------------------

def _load_factory(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def _report(engine: Any) -> StartupReport:
    view = capability(engine, DomainView)
    status = capability(engine, ModelStatus)
    loaded = status is None or status.model_loaded
    return StartupReport(model_loaded=loaded, model_id=status.model_id if status else None,
                         reason=None if loaded else getattr(engine, "reason", None),
                         domain=view.domain() if view else DomainFacts())


async def _serve(sock: socket.socket, factory_path: str, settings: EngineSettings) -> None:
    loop = asyncio.get_running_loop()
    factory = _load_factory(factory_path)
    settings = replace(settings, bot_thread=False)
    engine = await factory(settings)
    reader, writer = await bot_wire.open_stream(sock)

    def send(message: tuple[int, bool, Any]) -> None:
        writer.write(bot_wire.encode(message))

    send((STARTUP_REPORT, True, _report(engine)))

    async def handle(request_id: int, op: str, args: tuple[Any, ...]) -> None:
        nonlocal engine
        try:
            if op == OP_REPLY:
                value: Any = await engine.reply(*args)
            elif op == OP_SWAP_MODEL and (swapping := capability(engine, ModelSwap)) is not None:
                await swapping.swap_model(*args)
                value = _report(engine)
            elif op == OP_SWAP_MODEL:  # started without a model: this is the first one
                engine = await factory(replace(settings, model_path=args[0]))
                value = _report(engine)
            elif (deleting := capability(engine, TrackerDeletion)) is not None:
                await deleting.delete_tracker(*args)
                value = None
            else:
                raise BotUnavailable("this bot keeps no trackers to delete")
            send((request_id, True, value))
        except Exception as error:  # noqa: BLE001 - every failure goes back to the caller as its reason
            send((request_id, False, str(error) or type(error).__name__))

    tasks: set[asyncio.Task[None]] = set()
    while True:
        try:
            request_id, op, args = await bot_wire.receive(reader)
        except LOST:
            break
        if op == OP_STOP:
            break
        task = loop.create_task(handle(request_id, op, args))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    for task in tasks:
        task.cancel()
    await engine.close()
    writer.close()


def child_main(descriptor: int) -> None:
    sock = socket.socket(fileno=descriptor)
    factory_path, settings, log_level = bot_wire.receive_blocking(sock)
    logs.configure_child(log_level, process="bot")
    try:
        asyncio.run(_serve(sock, factory_path, settings))
    except Exception as error:  # start-up failed before the report: say why, then end
        logger.exception("bot process failed")
        try:
            sock.setblocking(True)
            bot_wire.send_blocking(sock, (STARTUP_REPORT, False, f"bot process failed: {error}"))
        except OSError:
            pass


# --- the parent ---------------------------------------------------------------------------------------------

class BotProcess:
    """BotEngine with every capability (ModelSwap, TrackerDeletion, ResponseLookup, DomainView, ModelStatus),
    answered by a supervised child process."""

    def __init__(self, settings: EngineSettings, factory_path: str = DEFAULT_FACTORY) -> None:
        self.settings = settings
        self.factory_path = factory_path
        self.report = StartupReport(model_loaded=False, reason="starting")
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._process: Any = None
        self._connection: asyncio.StreamWriter | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ready: asyncio.Future[StartupReport] | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._closing = False
        self._restarts = 0

    # -- life cycle --
    async def start(self) -> "BotProcess":
        """Start the child and wait for its report (model loaded, or why not)."""
        await self._spawn()
        self._supervisor = asyncio.get_running_loop().create_task(self._supervise(), name="bot-process")
        return self

    async def _spawn(self) -> None:
        loop = asyncio.get_running_loop()
        parent_end, child_end = socket.socketpair()
        self._ready = loop.create_future()
        # The child finds what this process imports (the project, tests' factories) on the same path.
        environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        with child_end:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "handoff.engine.process", str(child_end.fileno())],
                pass_fds=(child_end.fileno(),), env=environment)
        bot_wire.send_blocking(parent_end, (self.factory_path, self.settings, logging.getLogger().getEffectiveLevel()))
        reader, writer = await bot_wire.open_stream(parent_end)
        self._connection = writer
        self._reader = loop.create_task(self._read(reader, writer), name="bot-replies")
        try:
            self.report = await asyncio.wait_for(asyncio.shield(self._ready), STARTUP_TIMEOUT_SECONDS)
        except asyncio.TimeoutError:
            self.report = StartupReport(model_loaded=False, reason="bot process did not start in time")
            logger.error("bot process did not report within %.0fs", STARTUP_TIMEOUT_SECONDS)
        if self.report.model_loaded:
            logger.info("bot process %s ready with model %s", self._process.pid, self.report.model_id)
        else:
            logger.error("bot process %s has no model: %s", self._process.pid, self.report.reason)

    async def _read(self, reader: asyncio.StreamReader, connection: asyncio.StreamWriter) -> None:
        while True:
            try:
                message = await bot_wire.receive(reader)
            except LOST:
                self._lost(connection)
                return
            except Exception:  # a garbled frame: this child cannot be trusted any more; the supervisor replaces it
                logger.exception("unreadable message from bot process %s", self.pid)
                self._lost(connection)
                return
            self._deliver(message)

    def _deliver(self, message: tuple[int, bool, Any]) -> None:
        request_id, ok, value = message
        if request_id == STARTUP_REPORT:
            report = value if ok else StartupReport(model_loaded=False, reason=str(value))
            if self._ready is not None and not self._ready.done():
                self._ready.set_result(report)
            return
        future = self._pending.pop(request_id, None)
        if future is None or future.done():
            return  # the caller gave up (timeout, cancelled)
        if ok:
            future.set_result(value)
        else:
            future.set_exception(BotUnavailable(value))

    def _lost(self, connection: asyncio.StreamWriter) -> None:
        if connection is not self._connection:
            return
        self._connection = None
        connection.close()
        for future in self._pending.values():
            if not future.done():
                future.set_exception(BotUnavailable("bot process stopped"))
        self._pending.clear()
        if self._ready is not None and not self._ready.done():
            self._ready.set_result(StartupReport(model_loaded=False, reason="bot process stopped"))
        self.report = replace(self.report, model_loaded=False, reason="bot process stopped")

    async def _supervise(self) -> None:
        """Start a new child whenever the current one has died (its trackers are gone with it)."""
        while not self._closing:
            await asyncio.sleep(0.5)
            if self._connection is not None and self._process.poll() is None:
                continue
            if self._closing:
                return
            delay = RESTART_DELAYS_SECONDS[min(self._restarts, len(RESTART_DELAYS_SECONDS) - 1)]
            logger.error("bot process %s ended (exit code %s); starting a new one in %.0fs", self._process.pid,
                         self._process.poll(), delay)
            self._terminate()
            await asyncio.sleep(delay)
            self._restarts += 1
            await self._spawn()
            if self.report.model_loaded:
                self._restarts = 0

    async def close(self) -> None:
        self._closing = True
        if self._supervisor is not None:
            self._supervisor.cancel()
            await asyncio.gather(self._supervisor, return_exceptions=True)
        if self._connection is not None and not self._connection.is_closing():
            self._connection.write(bot_wire.encode((0, OP_STOP, ())))
            await self._connection.drain()
        if self._process is not None:
            try:
                await asyncio.to_thread(self._process.wait, STOP_TIMEOUT_SECONDS)
            except subprocess.TimeoutExpired:
                logger.warning("bot process %s did not stop in %.0fs; killing it", self._process.pid,
                               STOP_TIMEOUT_SECONDS)
        self._terminate()

    def _terminate(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait(STOP_TIMEOUT_SECONDS)
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._reader is not None:
            self._reader.cancel()

    # -- requests --
    async def _request(self, op: str, args: tuple[Any, ...], timeout: float) -> Any:
        if self._connection is None or self._connection.is_closing():
            raise BotUnavailable(self.report.reason or "bot process not running")
        request_id = next(self._ids)
        future = asyncio.get_running_loop().create_future()
        self._pending[request_id] = future
        try:
            self._connection.write(bot_wire.encode((request_id, op, args)))
            return await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError as error:
            raise BotUnavailable("timeout") from error
        except OSError as error:
            raise BotUnavailable("bot process not reachable") from error
        finally:
            self._pending.pop(request_id, None)

    async def reply(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None) -> BotReply:
        if not self.report.model_loaded:
            raise BotUnavailable(self.report.reason or "no model loaded")
        return await self._request(OP_REPLY, (sender_id, text, metadata),
                                   self.settings.timeout_seconds + REPLY_MARGIN_SECONDS)

    async def swap_model(self, model_path: Any) -> str | None:
        # A child started after a crash loads settings.model_path: promotion installs the new model there.
        self.report = await self._request(OP_SWAP_MODEL, (model_path,), STARTUP_TIMEOUT_SECONDS)
        return self.report.model_id

    async def delete_tracker(self, sender_id: str) -> None:
        await self._request(OP_DELETE_TRACKER, (sender_id,), self.settings.timeout_seconds + REPLY_MARGIN_SECONDS)

    def responses(self, name: str) -> list[str]:
        return list(self.report.domain.responses.get(name, ()))

    def domain(self) -> DomainFacts:
        return self.report.domain

    @property
    def model_id(self) -> str | None:
        return self.report.model_id

    @property
    def model_loaded(self) -> bool:
        return self.report.model_loaded and self._connection is not None

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None


async def start_bot_process(settings: EngineSettings, factory_path: str = DEFAULT_FACTORY) -> BotProcess:
    return await BotProcess(settings, factory_path).start()


if __name__ == "__main__":
    # Through the module's real name: what the child pickles (StartupReport) must unpickle in the parent.
    from handoff.engine.process import child_main as main

    main(int(sys.argv[1]))
