"""The product behind a real nginx (Debian's nginx-light) with the shipped deploy/nginx.conf: TLS at the proxy, two
app instances sharing PostgreSQL and Redis, customers coming from their own addresses.

The test clients connect from different loopback addresses (127.0.0.10, 127.0.0.11, ...): nginx sees each as a
client of its own and forwards that address; the instances trust only nginx (TRUSTED_PROXIES=127.0.0.1).
"""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import aiohttp
import pytest
import websockets

from tests.integration.handoff.web.clients import FrameSocket, event_with_text, frame_of
from tests.integration.handoff.web.conftest import ADMIN_EMAIL, ADMIN_PASSWORD, TEST_REDIS_URL
from tests.integration.handoff.web.server import REPO_ROOT, Api, RunningServer, free_port, start_server

pytestmark = [pytest.mark.integration, pytest.mark.postgres, pytest.mark.redis]

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE_FILE = REPO_ROOT / "deploy" / "nginx.conf"
RATE_LIMIT = 6                    # per conversation and minute; per address 5x that, per instance
CUSTOMERS, MESSAGES_EACH = 60, 4
START_TIMEOUT_SECONDS = 20.0
INSECURE = ssl.create_default_context()
INSECURE.check_hostname = False
INSECURE.verify_mode = ssl.CERT_NONE


def customer_address(number: int) -> str:
    return f"127.0.{1 + number // 200}.{10 + number % 200}"


@dataclass
class Proxy:
    process: subprocess.Popen
    port: int
    directory: Path

    @property
    def base(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    @property
    def ws_base(self) -> str:
        return f"wss://127.0.0.1:{self.port}"


def render_site(first: int, second: int, http_port: int, https_port: int, certificate: Path, key: Path) -> str:
    """deploy/nginx.conf with the test's ports and certificate; fails if the shipped file changed its shape."""
    site = SITE_FILE.read_text(encoding="utf-8")
    replacements = [
        ("server 127.0.0.1:8001", f"server 127.0.0.1:{first}", 2),
        ("server 127.0.0.1:8002", f"server 127.0.0.1:{second}", 2),
        ("    listen [::]:80;\n", "", 1),
        ("    listen [::]:443 ssl http2;\n", "", 1),
        ("listen 80;", f"listen 127.0.0.1:{http_port};", 1),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", 1),
        ("/etc/ssl/certs/nordwind.pem", str(certificate), 1),
        ("/etc/ssl/private/nordwind.key", str(key), 1),
    ]
    for old, new, count in replacements:
        assert site.count(old) == count, f"deploy/nginx.conf no longer has {old!r} {count}x"
        site = site.replace(old, new)
    return site


def start_nginx(directory: Path, first: int, second: int) -> Proxy:
    directory.mkdir(parents=True, exist_ok=True)
    certificate, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                    "/CN=localhost", "-keyout", str(key), "-out", str(certificate)], check=True, capture_output=True)
    https_port, http_port = free_port(), free_port()
    (directory / "nordwind.conf").write_text(render_site(first, second, http_port, https_port, certificate, key))
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (directory / temp).mkdir(exist_ok=True)
    user = "user root;\n" if os.geteuid() == 0 else ""   # workers must read the temp directories made here
    (directory / "main.conf").write_text(f"""{user}worker_processes 1;
daemon off;
pid {directory}/nginx.pid;
error_log {directory}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log {directory}/access.log;
    client_body_temp_path {directory}/body;
    proxy_temp_path {directory}/proxy;
    fastcgi_temp_path {directory}/fastcgi;
    uwsgi_temp_path {directory}/uwsgi;
    scgi_temp_path {directory}/scgi;
    include {directory}/nordwind.conf;
}}
""")
    command = [NGINX, "-p", str(directory), "-c", str(directory / "main.conf"), "-e", str(directory / "error.log")]
    checked = subprocess.run([*command, "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        assert process.poll() is None, (directory / "error.log").read_text()
        try:
            with socket.create_connection(("127.0.0.1", https_port), timeout=1):
                return Proxy(process, https_port, directory)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("nginx did not start")


@pytest.fixture(scope="module")
def behind_nginx(module_tmp, postgres_databases) -> Iterator[tuple[Proxy, RunningServer, RunningServer]]:
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: the project's set-up installs nginx-light (requirements/debian.txt)")
    environment = {"DATABASE_URL": postgres_databases.create(), "REDIS_URL": TEST_REDIS_URL,
                   "REDIS_NAMESPACE": f"nginx-test-{uuid.uuid4().hex[:8]}",
                   "ADMIN_EMAIL": ADMIN_EMAIL, "ADMIN_PASSWORD": ADMIN_PASSWORD,
                   "RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT), "TRUSTED_PROXIES": "127.0.0.1"}
    first = start_server(module_tmp, environment)
    second = start_server(module_tmp, environment)
    proxy = start_nginx(module_tmp / "nginx", first.port, second.port)
    yield proxy, first, second
    proxy.process.terminate()
    proxy.process.wait(timeout=10)
    first.stop()
    second.stop()


def client_from(base: str, address: str) -> Api:
    """An HTTP client connecting from `address` (its own customer, as nginx sees it)."""
    api = Api(base)
    api.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=False, local_addr=(address, 0)))
    return api


async def websocket_from(url: str, address: str = "127.0.0.10") -> FrameSocket:
    return FrameSocket(await websockets.connect(url, ssl=INSECURE if url.startswith("wss") else None,
                                                local_addr=(address, 0)))


async def rest_message(api: Api, sender: str, text: str) -> int:
    status, _, _ = await api.request("POST", "/webhooks/rest/webhook", json={"sender": sender, "message": text})
    return status


async def test_customers_behind_the_proxy_are_limited_each_by_their_own_address(behind_nginx):
    proxy, first, _ = behind_nginx

    async def customer(number: int) -> list[int]:
        api = client_from(proxy.base, customer_address(number))
        try:
            return [await rest_message(api, f"kunde-{number}", f"Frage {turn}") for turn in range(MESSAGES_EACH)]
        finally:
            await api.close()

    statuses = [status for answers in await asyncio.gather(*(customer(n) for n in range(CUSTOMERS)))
                for status in answers]
    assert statuses.count(200) == CUSTOMERS * MESSAGES_EACH, f"{statuses.count(429)} refused with 429"

    # One address flooding (a new conversation per message, so only the per-address limit applies) is refused,
    # also when it writes its own X-Forwarded-For: nginx replaces it, and the app would not believe it anyway.
    flooder = client_from(proxy.base, "127.0.0.250")
    direct = client_from(first.base, "127.0.0.251")   # not through the proxy: its forwarded header is ignored
    try:
        flood = [await rest_message(flooder, f"flut-{n}", "Hallo") for n in range(RATE_LIMIT * 5 * 2 + 10)]
        direct_flood = []
        for n in range(RATE_LIMIT * 5 + 5):
            status, _, _ = await direct.request("POST", "/webhooks/rest/webhook",
                                                json={"sender": f"direkt-{n}", "message": "Hallo"},
                                                headers={"X-Forwarded-For": f"198.51.100.{n}"})
            direct_flood.append(status)
    finally:
        await flooder.close()
        await direct.close()
    assert flood.count(429) >= 10 and flood[:RATE_LIMIT * 5].count(200) == RATE_LIMIT * 5, flood
    assert direct_flood.count(429) == 5, direct_flood


async def test_widget_agent_socket_rest_and_socketio_work_through_the_proxy(behind_nginx):
    proxy, _, _ = behind_nginx
    admin = client_from(proxy.base, "127.0.0.2")
    status, body, _ = await admin.request("POST", "/api/agent/login",
                                          json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "bearer": True})
    assert status == 200, body
    console = await websocket_from(f"{proxy.ws_base}/api/agent/ws?token={body['session_token']}", "127.0.0.2")
    await console.wait_for(frame_of("ready"))
    await console.close()

    widget = client_from(proxy.base, "127.0.0.3")
    status, body, _ = await widget.request("POST", "/api/widget/conversations")
    assert status == 201, body
    widget_socket = await websocket_from(f"{proxy.ws_base}/api/widget/ws?conversation_id={body['conversation_id']}"
                                  f"&token={body['token']}&after=0", "127.0.0.3")
    await widget_socket.send({"type": "message", "client_id": "w1", "text": "Hallo über nginx"})
    await widget_socket.wait_for(event_with_text("Antwort auf: Hallo über nginx"))
    await widget_socket.close()
    assert await rest_message(widget, "rest-nginx", "Hallo") == 200
    await widget.close()
    await admin.close()

    import socketio

    client = socketio.AsyncClient(ssl_verify=False)
    received: asyncio.Queue = asyncio.Queue()
    client.on("bot_uttered", lambda data: received.put_nowait(data))
    session_id = uuid.uuid4().hex
    try:
        # Long-polling: every poll is a new request, kept on one instance by the socket.io upstream's ip_hash.
        await client.connect(proxy.base, socketio_path="/socket.io", transports=["polling"])
        await client.emit("session_request", {"session_id": session_id})
        for turn in range(3):
            await client.emit("user_uttered", {"message": f"Hallo {turn}", "session_id": session_id})
            assert await asyncio.wait_for(received.get(), 10) == {"text": f"Antwort auf: Hallo {turn}"}
    finally:
        await client.eio.disconnect(abort=True)


async def test_widgets_reconnect_through_the_proxy_when_an_instance_dies(behind_nginx):
    proxy, first, second = behind_nginx
    api = client_from(proxy.base, "127.0.0.4")
    customers = []
    for _ in range(6):   # least_conn spreads their sockets over both instances
        status, body, _ = await api.request("POST", "/api/widget/conversations")
        assert status == 201
        customers.append((body["conversation_id"], body["token"]))

    def url(conversation_id: str, token: str, after: int) -> str:
        return f"{proxy.ws_base}/api/widget/ws?conversation_id={conversation_id}&token={token}&after={after}"

    sockets = [await websocket_from(url(c, t, 0), "127.0.0.4") for c, t in customers]
    for number, widget_socket in enumerate(sockets):
        await widget_socket.send({"type": "message", "client_id": f"a{number}", "text": f"Vorher {number}"})
        await widget_socket.wait_for(event_with_text(f"Antwort auf: Vorher {number}"))

    first.process.kill()           # mid-conversation: half of the sockets lose their instance
    first.process.wait(timeout=10)
    for number, ((conversation_id, token), widget_socket) in enumerate(zip(customers, sockets)):
        last_seen = max(event["seq"] for event in widget_socket.events())
        await widget_socket.close()
        # The widget reconnects after the last event it has and sends what it had not seen acknowledged.
        again = await websocket_from(url(conversation_id, token, last_seen), "127.0.0.4")
        await again.wait_for(frame_of("state"))
        await again.send({"type": "message", "client_id": f"b{number}", "text": f"Nachher {number}"})
        await again.wait_for(event_with_text(f"Antwort auf: Nachher {number}"))
        await again.send({"type": "message", "client_id": f"b{number}", "text": f"Nachher {number}"})  # resend
        await again.wait_for(frame_of("ack", client_id=f"b{number}"))
        await again.close()

        replay = await websocket_from(url(conversation_id, token, 0), "127.0.0.4")
        await replay.wait_for(frame_of("state"))
        texts = [event["text"] for event in replay.events()]
        await replay.close()
        for text in (f"Vorher {number}", f"Antwort auf: Vorher {number}", f"Nachher {number}",
                     f"Antwort auf: Nachher {number}"):
            assert texts.count(text) == 1, (text, texts)
    await api.close()
    assert "upstream" in (proxy.directory / "error.log").read_text(), "nginx saw the instance go"
