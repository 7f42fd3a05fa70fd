"""Reading request input: JSON bodies, typed fields, bearer tokens. Problems become 400/422 JSON errors."""
from __future__ import annotations

from typing import Any, Mapping

from sanic.request import Request

from handoff.domain.vocabulary import MAX_CLIENT_ID_CHARS
from handoff.web.errors import TOO_LARGE, ApiError, bad_request, invalid
from handoff.web.security import client_address

CLIENT_ID_MAX_CHARS = MAX_CLIENT_ID_CHARS
BEARER_PREFIX = "bearer "


def json_object(request: Request) -> dict[str, Any]:
    """The body as a JSON object; anything else (absent, malformed, a list) is a 400."""
    if not request.body:
        raise bad_request("JSON-Objekt im Body erwartet.")
    try:
        body = request.json
    except Exception:
        raise bad_request("Ungültiges JSON.") from None
    if not isinstance(body, dict):
        raise bad_request("JSON-Objekt im Body erwartet.")
    return body


def required_text(data: Mapping[str, Any], name: str, max_chars: int) -> str:
    value = data.get(name)
    if value is None:
        raise invalid(name, "Pflichtfeld fehlt.")
    if not isinstance(value, str):
        raise invalid(name, "Text erwartet.")
    value = value.strip()
    if not value:
        raise invalid(name, "Darf nicht leer sein.")
    if len(value) > max_chars:
        raise too_long(name, max_chars)
    return value


def optional_text(data: Mapping[str, Any], name: str, max_chars: int) -> str | None:
    if data.get(name) is None or (isinstance(data.get(name), str) and not data[name].strip()):
        return None
    return required_text(data, name, max_chars)


def too_long(name: str, max_chars: int) -> ApiError:
    return ApiError(413, TOO_LARGE, f"Höchstens {max_chars} Zeichen.", name)


def optional_client_id(data: Mapping[str, Any]) -> str | None:
    return optional_text(data, "client_id", CLIENT_ID_MAX_CHARS)


def required_int(data: Mapping[str, Any], name: str, low: int, high: int) -> int:
    value = data.get(name)
    if value is None:
        raise invalid(name, "Pflichtfeld fehlt.")
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(name, "Ganze Zahl erwartet.")
    if not low <= value <= high:
        raise invalid(name, f"Zahl von {low} bis {high} erwartet.")
    return value


def optional_int(data: Mapping[str, Any], name: str, low: int, high: int) -> int | None:
    return None if data.get(name) is None else required_int(data, name, low, high)


def optional_bool(data: Mapping[str, Any], name: str) -> bool | None:
    value = data.get(name)
    if value is None:
        return None
    if not isinstance(value, bool):
        raise invalid(name, "true oder false erwartet.")
    return value


def query_int(request: Request, name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise bad_request(f"Parameter {name} muss eine Zahl sein.", name) from None
    if value < 0:
        raise bad_request(f"Parameter {name} darf nicht negativ sein.", name)
    return value


def bearer_token(request: Request) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith(BEARER_PREFIX):
        return header[len(BEARER_PREFIX):].strip() or None
    return None


def client_ip(request: Request) -> str:
    # The socket peer, or behind a configured trusted proxy the address it forwards (handoff/web/security.py).
    return client_address(request)
