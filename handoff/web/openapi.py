"""`/openapi.json`, built from the routes themselves: each route carries its `Operation` as `ctx_api=`.

Keeping the description on the route (not in a separate document) means a route without one is visible:
the builder lists it with `x-undocumented: true`, and a test fails on that.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from handoff.web.upgrade import UPGRADE_REQUIRED

OPENAPI_VERSION = "3.0.3"
API_TITLE = "Nordwind Versand Support API"
API_VERSION = "1.0.0"
PATH_PARAMETER = re.compile(r"<([a-zA-Z_][a-zA-Z0-9_]*)(?::[^>]+)?>")

# Security scheme names (components.securitySchemes).
CONVERSATION_TOKEN = "conversationToken"
AGENT_SESSION = "agentSession"
AGENT_BEARER = "agentBearer"

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string"}, "message": {"type": "string"}, "field": {"type": "string"}}}},
}
ERROR_DESCRIPTIONS = {
    400: "Malformed request (not JSON, missing body)", 401: "Not authenticated", 403: "Not allowed",
    404: "Not found", 409: "Conflicts with the current state", 413: "Too large", 422: "Invalid field",
    426: "WebSocket route called without a WebSocket upgrade",
    429: "Rate limited (see Retry-After)", 503: "Temporarily unavailable",
}
JSON_MEDIA = "application/json"
TEXT_MEDIA = "text/plain"
# Any body can be malformed (400) or beyond the request size limit (413), whatever the handler checks itself;
# a WebSocket route answers a plain HTTP request with 426, a malformed handshake with 400 (web/upgrade.py).
# Listed for every such operation, so that clients and schemathesis know them.
BODY_ERRORS = (400, 413)
HANDSHAKE_ERRORS = (400, UPGRADE_REQUIRED)


def obj(required: tuple[str, ...] = (), **properties: dict[str, Any]) -> dict[str, Any]:
    """Shorthand for a JSON object schema."""
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def array(items: dict[str, Any]) -> dict[str, Any]:
    return {"type": "array", "items": items}


STRING: dict[str, Any] = {"type": "string"}
INTEGER: dict[str, Any] = {"type": "integer"}
NUMBER: dict[str, Any] = {"type": "number"}
BOOLEAN: dict[str, Any] = {"type": "boolean"}
ANY_OBJECT: dict[str, Any] = {"type": "object", "additionalProperties": True}
NULLABLE_STRING: dict[str, Any] = {"type": "string", "nullable": True}


# eq=False keeps identity hashing: Sanic hashes route contexts, and the schemas inside are dicts.
@dataclass(frozen=True, eq=False)
class Operation:
    summary: str
    tag: str
    responses: dict[int, dict[str, Any] | None] = field(default_factory=lambda: {200: None})
    request: dict[str, Any] | None = None
    query: dict[str, dict[str, Any]] = field(default_factory=dict)
    security: tuple[str, ...] = ()
    errors: tuple[int, ...] = ()
    description: str = ""
    websocket: bool = False
    # engine.io answers in its own plain-text protocol; everything of ours is JSON.
    media_type: str = JSON_MEDIA


STATIC_FILES = Operation("Static file of the widget or the console", "ui", {200: None}, errors=(404,))


def openapi_path(sanic_path: str) -> str:
    return "/" + PATH_PARAMETER.sub(r"{\1}", sanic_path.strip("/")) if sanic_path.strip("/") else "/"


def _operation_document(route: Any, method: str, operation: Operation | None) -> dict[str, Any]:
    if operation is None:
        return {"summary": route.name, "x-undocumented": True, "responses": {"default": {"description": "?"}}}
    doc: dict[str, Any] = {
        "operationId": f"{route.name}.{method}".replace(".", "_"),
        "summary": operation.summary,
        "tags": [operation.tag],
        "responses": {},
    }
    if operation.description:
        doc["description"] = operation.description
    parameters = [{"name": name, "in": "path", "required": True, "schema": STRING}
                  for name in PATH_PARAMETER.findall(route.path)]
    parameters += [{"name": name, "in": "query", "required": False, "schema": schema}
                   for name, schema in operation.query.items()]
    if parameters:
        doc["parameters"] = parameters
    if operation.request is not None:
        doc["requestBody"] = {"required": True, "content": {JSON_MEDIA: {"schema": operation.request}}}
    for status, schema in operation.responses.items():
        response: dict[str, Any] = {"description": "Switching Protocols (WebSocket)" if status == 101 else "OK"}
        if schema is not None:
            response["content"] = {operation.media_type: {"schema": schema}}
        doc["responses"][str(status)] = response
    error_schema = {"$ref": "#/components/schemas/Error"} if operation.media_type == JSON_MEDIA else STRING
    for status in sorted(set(_implied_errors(operation)) | set(operation.errors)):
        doc["responses"][str(status)] = {
            "description": ERROR_DESCRIPTIONS.get(status, "Error"),
            "content": {operation.media_type: {"schema": error_schema}},
        }
    if operation.security:
        doc["security"] = [{scheme: []} for scheme in operation.security]
    if operation.websocket:
        doc["x-websocket"] = True
    return doc


def _implied_errors(operation: Operation) -> tuple[int, ...]:
    if operation.websocket:
        return HANDSHAKE_ERRORS
    return BODY_ERRORS if operation.request is not None else ()


def build_document(app: Sanic) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for route in sorted(app.router.routes, key=lambda r: r.path):
        operation = getattr(route.ctx, "api", None)
        if operation is None and getattr(route.ctx, "static", False):
            operation = STATIC_FILES
        path_item = paths.setdefault(openapi_path(route.path), {})
        for method in sorted(route.methods):
            if method in ("HEAD", "OPTIONS") and len(route.methods) > 1:
                continue  # implied by GET / handled by the CORS preflight
            path_item[method.lower()] = _operation_document(route, method.lower(), operation)
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": API_TITLE, "version": API_VERSION,
                 "description": "Customer widget, Rasa-compatible channels, agent console and admin API."},
        "paths": paths,
        "components": {
            "schemas": {"Error": ERROR_SCHEMA},
            "securitySchemes": {
                CONVERSATION_TOKEN: {"type": "http", "scheme": "bearer",
                                     "description": "Conversation token from POST /api/widget/conversations"},
                AGENT_SESSION: {"type": "apiKey", "in": "cookie", "name": "nw_session",
                                "description": "Session cookie; unsafe methods also need header X-CSRF-Token"},
                AGENT_BEARER: {"type": "http", "scheme": "bearer",
                               "description": "Session token from POST /api/agent/login with bearer=true"},
            },
        },
    }


def openapi_blueprint() -> Blueprint:
    bp = Blueprint("openapi")

    @bp.get("/openapi.json", ctx_api=Operation("This document (OpenAPI 3.0)", "meta", {200: ANY_OBJECT}))
    async def openapi_document(request: Request) -> HTTPResponse:
        return json(build_document(request.app))

    return bp

