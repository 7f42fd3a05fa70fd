"""Browser-test fixtures: the real app in a subprocess (SQLite file, in-process bus, FakeBotEngine) and Debian's
Chromium driven by Playwright. Pages talk to the server exactly as a customer's and an agent's browser would."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import pytest

from tests.browser.server import ADMIN, AGENT

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
SERVER_START_SECONDS = 60
# Generous for a 2-core machine shared with other jobs; the happy path takes well under a second.
UI_TIMEOUT_MS = 15_000



def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.browser)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Api:
    """Minimal JSON client (urllib: no extra dependency) for checks a browser test makes behind the UI's back."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def call(self, method: str, path: str, body: Any = None, token: str | None = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def login(self, account: dict[str, str]) -> str:
        """A bearer session (the API returns the session token only as a cookie, so read it from there)."""
        request = urllib.request.Request(
            self.base_url + "/api/agent/login", method="POST",
            data=json.dumps({"email": account["email"], "password": account["password"]}).encode(),
            headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.loads(response.read())
            if body.get("session_token"):
                return body["session_token"]
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                if name.strip() == "nw_session":
                    return rest.split(";", 1)[0]
        raise AssertionError("login returned no session token")


@contextmanager
def running_server(database: Path, extra_env: dict[str, str] | None = None) -> Iterator[tuple[str, Path]]:
    """The app of tests/browser/server.py in a subprocess on a free port while the block runs: (URL, log)."""
    port = _free_port()
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2",
           "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **(extra_env or {})}
    log_path = database.parent / "server.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.browser.server", str(port), f"sqlite+aiosqlite:///{database}"],
            cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(base_url + "/health", timeout=2):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"test server did not start:\n{log_path.read_text()[-4000:]}")
            time.sleep(0.2)
    try:
        yield base_url, log_path
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="package")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    with running_server(tmp_path_factory.mktemp("browser") / "handoff.db") as (base_url, _log):
        yield base_url


@pytest.fixture(scope="package")
def api(server: str) -> Api:
    return Api(server)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageWatch:
    """Collects what must never happen on our pages: JS dialogs (injected script ran), uncaught errors and
    missing page assets (API answers such as 401 before login are expected and not collected)."""

    def __init__(self, page: Any) -> None:
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.missing_assets: list[str] = []
        page.on("dialog", self._on_dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("response", self._on_response)
        page.on("console", self._on_console)

    def _on_console(self, message: Any) -> None:
        # CSP violations are only reported on the console; an inline script or style would show up here.
        if "Content Security Policy" in message.text:
            self.errors.append(message.text)

    def _on_response(self, response: Any) -> None:
        if response.status >= 400 and "/api/" not in response.url:
            self.missing_assets.append(f"{response.status} {response.url}")

    def _on_dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()


@pytest.fixture()
def new_page(browser: Any, server: str) -> Iterator[Any]:
    """Factory for isolated browser contexts (separate storage and cookies: a customer and an agent)."""
    contexts = []

    def make(viewport: dict[str, int] | None = None, **options: Any) -> Any:
        context = browser.new_context(viewport=viewport or {"width": 1280, "height": 800}, locale="de-DE",
                                      base_url=server, **options)
        context.set_default_timeout(UI_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page.watch = PageWatch(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="package")
def screenshots(tmp_path_factory) -> Path:
    """A temporary folder for pictures the tests take while they run (to look at when one fails). The pictures in
    docs/screenshots/ show the real trained assistant and come only from `make screenshots`
    (tests/browser/screenshots.py): this suite's bot is a fake."""
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="package")
def agent_account() -> dict[str, str]:
    return AGENT


@pytest.fixture(scope="package")
def admin_account() -> dict[str, str]:
    return ADMIN
