"""The browser UI (handoff/static/): demo shop page with the widget at `/`, agent console at `/console/`."""
from __future__ import annotations

from pathlib import Path

from sanic import Blueprint
from sanic.request import Request
from sanic.response import HTTPResponse, file

from handoff.web.errors import not_found
from handoff.web.openapi import Operation

STATIC_DIRECTORY = Path(__file__).resolve().parent.parent / "static"
INDEX_FILE = "index.html"
CONSOLE_DIRECTORY = "console"
HTML_TYPE = "text/html; charset=utf-8"


async def _page(relative: str) -> HTTPResponse:
    path = STATIC_DIRECTORY / relative
    if not path.is_file():
        raise not_found()
    return await file(path, mime_type=HTML_TYPE, headers={"Cache-Control": "no-cache"})


def blueprint(directory: Path = STATIC_DIRECTORY) -> Blueprint:
    bp = Blueprint("static")

    @bp.get("/", ctx_api=Operation("Demo shop page with the chat widget (HTML)", "ui", {200: None}, errors=(404,)))
    async def shop_page(request: Request) -> HTTPResponse:
        return await _page(INDEX_FILE)

    @bp.get("/console", ctx_api=Operation("Agent console (HTML)", "ui", {200: None}, errors=(404,)))
    async def console_page(request: Request) -> HTTPResponse:
        return await _page(f"{CONSOLE_DIRECTORY}/{INDEX_FILE}")

    # Exact route: otherwise the static catch-all below would take `/console/` as a directory request.
    @bp.get("/console/", strict_slashes=True, name="console_page_slash",
            ctx_api=Operation("Agent console (HTML)", "ui", {200: None}, errors=(404,)))
    async def console_page_slash(request: Request) -> HTTPResponse:
        return await _page(f"{CONSOLE_DIRECTORY}/{INDEX_FILE}")

    # Everything else in the directory (widget.js, widget/*.js, CSS, console assets); missing files are JSON 404s.
    # (Sanic's static() takes no route context; openapi.py describes static routes itself.)
    bp.static("/", str(directory), name="files")
    return bp
