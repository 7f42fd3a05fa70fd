import json

import pytest
from sanic.exceptions import InvalidUsage, NotFound as SanicNotFound

from handoff.engine.contract import BotUnavailable
from handoff.services.errors import AlreadyClaimed, AuthenticationFailed, Conflict, Forbidden, InvalidTransition, \
    NotFound, ValidationError
from handoff.web.errors import ApiError, describe, error_response

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("error, status, code", [
    (AuthenticationFailed(), 401, "unauthenticated"),
    (Forbidden("nein"), 403, "forbidden"),
    (NotFound("weg"), 404, "not_found"),
    (AlreadyClaimed("schon vergeben"), 409, "already_claimed"),
    (Conflict("doppelt"), 409, "conflict"),
    (InvalidTransition("bot", "claimed"), 409, "invalid_transition"),
    (ValidationError("email", "ungültig"), 422, "invalid"),
    (BotUnavailable("/models/x.tar.gz missing"), 503, "unavailable"),
    (InvalidUsage("bad"), 400, "bad_request"),
    (SanicNotFound("nope"), 404, "not_found"),
    (RuntimeError("secret detail"), 500, "internal"),
])
def test_each_error_has_one_status_and_code(error, status, code):
    assert describe(error)[:2] == (status, code)


def test_internal_details_never_reach_the_client():
    for error in (RuntimeError("password=hunter2"), BotUnavailable("/srv/models/x"), InvalidTransition("bot", "x")):
        body = json.loads(error_response(error).body)
        assert "hunter2" not in body["error"]["message"] and "/srv" not in body["error"]["message"]
        assert "bot" not in body["error"]["message"]


def test_validation_errors_name_the_field():
    body = json.loads(error_response(ValidationError("email", "Bitte prüfen.")).body)
    assert body == {"error": {"code": "invalid", "message": "Bitte prüfen.", "field": "email"}}
    response = error_response(ApiError(429, "rate_limited", "langsam", headers={"Retry-After": "7"}))
    assert response.status == 429 and response.headers["Retry-After"] == "7"
