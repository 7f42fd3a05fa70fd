"""Every failure becomes JSON `{"error": {"code", "message", "field"?}}` with an honest status, never a stack trace."""
from __future__ import annotations

import errno
import logging
from typing import Any

from asyncpg.exceptions import OperatorInterventionError, PostgresConnectionError
from sanic import Sanic
from sanic.exceptions import SanicException
from sanic.handlers import ErrorHandler
from sanic.request import Request
from sanic.response import HTTPResponse, json
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from handoff.engine.contract import BotUnavailable
from handoff.services.errors import (
    AlreadyClaimed,
    AuthenticationFailed,
    Conflict,
    Forbidden,
    InvalidTransition,
    NotFound,
    ServiceError,
    ValidationError,
)

logger = logging.getLogger(__name__)

BAD_REQUEST = "bad_request"
UNAUTHENTICATED = "unauthenticated"
FORBIDDEN = "forbidden"
NOT_FOUND = "not_found"
METHOD_NOT_ALLOWED = "method_not_allowed"
CONFLICT = "conflict"
ALREADY_CLAIMED = "already_claimed"
INVALID_TRANSITION = "invalid_transition"
TOO_LARGE = "too_large"
INVALID = "invalid"
RATE_LIMITED = "rate_limited"
UNAVAILABLE = "unavailable"
INTERNAL = "internal"

# Most specific first: AlreadyClaimed is a Conflict.
SERVICE_ERRORS: tuple[tuple[type[Exception], int, str], ...] = (
    (AuthenticationFailed, 401, UNAUTHENTICATED),
    (Forbidden, 403, FORBIDDEN),
    (NotFound, 404, NOT_FOUND),
    (AlreadyClaimed, 409, ALREADY_CLAIMED),
    (InvalidTransition, 409, INVALID_TRANSITION),
    (Conflict, 409, CONFLICT),
    (ValidationError, 422, INVALID),
    (BotUnavailable, 503, UNAVAILABLE),
)

SANIC_STATUS_CODES = {
    400: BAD_REQUEST, 401: UNAUTHENTICATED, 403: FORBIDDEN, 404: NOT_FOUND, 405: METHOD_NOT_ALLOWED,
    408: "timeout", 413: TOO_LARGE, 416: BAD_REQUEST, 503: UNAVAILABLE,
}

GENERIC_MESSAGES = {
    NOT_FOUND: "Nicht gefunden.",
    METHOD_NOT_ALLOWED: "Diese Methode ist hier nicht erlaubt.",
    TOO_LARGE: "Die Anfrage ist zu groß.",
    BAD_REQUEST: "Die Anfrage ist ungültig.",
    INTERNAL: "Interner Fehler. Bitte später erneut versuchen.",
    UNAVAILABLE: "Der Dienst ist gerade nicht verfügbar.",
}


class ApiError(Exception):
    """Raised by handlers for problems of the HTTP request itself (missing field, bad token, rate limit)."""

    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}


def bad_request(message: str, field: str | None = None) -> ApiError:
    return ApiError(400, BAD_REQUEST, message, field)


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, INVALID, message, field)


def unauthenticated(message: str = "Anmeldung erforderlich.") -> ApiError:
    return ApiError(401, UNAUTHENTICATED, message)


def forbidden(message: str = "Keine Berechtigung.") -> ApiError:
    return ApiError(403, FORBIDDEN, message)


def not_found(message: str = GENERIC_MESSAGES[NOT_FOUND]) -> ApiError:
    return ApiError(404, NOT_FOUND, message)


def rate_limited(retry_after_seconds: int) -> ApiError:
    return ApiError(429, RATE_LIMITED, "Zu viele Nachrichten. Bitte kurz warten.",
                    headers={"Retry-After": str(retry_after_seconds)})


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    error: dict[str, Any] = {"code": code, "message": message}
    if field is not None:
        error["field"] = field
    return {"error": error}


# What os.stat & co. raise for a NUL byte in a file name (a static URL containing %00).
NUL_IN_PATH = "embedded null byte"
# Connection-level database failures (server down or restarting, connection cut, pool exhausted). asyncpg raises
# some of them unwrapped while connecting. The request can be retried: 503, not an internal error.
DATABASE_UNAVAILABLE_ERRORS = (ConnectionError, TimeoutError, PoolTimeout, OperationalError, InterfaceError,
                               PostgresConnectionError, OperatorInterventionError)


def database_unavailable(exception: BaseException) -> bool:
    if isinstance(exception, DATABASE_UNAVAILABLE_ERRORS):
        return True
    return isinstance(exception, DBAPIError) and exception.connection_invalidated


def describe(exception: BaseException) -> tuple[int, str, str, str | None]:
    """(status, code, message, field) for any exception; unknown ones are internal errors with a generic text."""
    if isinstance(exception, ApiError):
        return exception.status, exception.code, exception.message, exception.field
    for error_class, status, code in SERVICE_ERRORS:
        if isinstance(exception, error_class):
            field = exception.field if isinstance(exception, ValidationError) else None
            message = exception.message if isinstance(exception, ValidationError) else str(exception)
            if isinstance(exception, (InvalidTransition, BotUnavailable)):
                # Internal wording (state names, model paths) is not for customers.
                message = ("Das ist im aktuellen Zustand des Gesprächs nicht möglich."
                           if isinstance(exception, InvalidTransition) else GENERIC_MESSAGES[UNAVAILABLE])
            return status, code, message or code, field
    if database_unavailable(exception):
        return 503, UNAVAILABLE, GENERIC_MESSAGES[UNAVAILABLE], None
    if isinstance(exception, (IsADirectoryError, NotADirectoryError)):
        return 404, NOT_FOUND, GENERIC_MESSAGES[NOT_FOUND], None  # a static URL naming a directory
    if isinstance(exception, ValueError) and NUL_IN_PATH in str(exception) or (
            isinstance(exception, OSError) and exception.errno == errno.ENAMETOOLONG):
        return 404, NOT_FOUND, GENERIC_MESSAGES[NOT_FOUND], None  # a static URL with %00 or too long: no such file
    if isinstance(exception, SanicException):
        status = int(getattr(exception, "status_code", 500) or 500)
        code = SANIC_STATUS_CODES.get(status, BAD_REQUEST if status < 500 else INTERNAL)
        if status >= 500:
            return status, code, GENERIC_MESSAGES.get(code, GENERIC_MESSAGES[INTERNAL]), None
        return status, code, GENERIC_MESSAGES.get(code, str(exception) or code), None
    return 500, INTERNAL, GENERIC_MESSAGES[INTERNAL], None


def error_response(exception: BaseException) -> HTTPResponse:
    status, code, message, field = describe(exception)
    headers = exception.headers if isinstance(exception, ApiError) else {}
    if status == 405 and isinstance(exception, SanicException):
        headers = dict(getattr(exception, "headers", None) or {})
    return json(error_body(code, message, field), status=status, headers=headers)


class JsonErrorHandler(ErrorHandler):
    """Replaces Sanic's HTML/text error pages for every route, including unknown ones."""

    def default(self, request: Request, exception: Exception) -> HTTPResponse:
        status, code, _, _ = describe(exception)
        if database_unavailable(exception):
            # Only the class: a DBAPIError's text carries the SQL parameters, i.e. customer messages.
            logger.warning("database unavailable on %s %s: %s", request.method, request.path,
                           type(exception).__name__)
        elif status >= 500 and code != UNAVAILABLE:
            logger.error("unhandled error on %s %s", request.method, request.path, exc_info=exception)
        elif not isinstance(exception, (ApiError, ServiceError, SanicException)):
            logger.warning("%s on %s %s: %s", code, request.method, request.path, exception)
        return error_response(exception)


def install_error_handler(app: Sanic) -> None:
    app.error_handler = JsonErrorHandler()
