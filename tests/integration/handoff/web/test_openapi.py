"""`/openapi.json` is a valid OpenAPI 3.0 document and describes every route the app serves."""
from __future__ import annotations

import pytest

from handoff.settings import Settings
from handoff.web.app import create_app
from handoff.web.openapi import build_document, openapi_path
from tests.integration.handoff.web.server import Api

pytestmark = pytest.mark.integration
HTTP_METHODS = {"get", "post", "put", "delete", "patch"}


async def test_document_is_valid_and_lists_every_route(sqlite_server):
    api = Api(sqlite_server.base)
    try:
        status, document, _ = await api.request("GET", "/openapi.json")
    finally:
        await api.close()
    assert status == 200 and document["openapi"].startswith("3.0")

    app = create_app(Settings.from_env({}))
    served = {(openapi_path(route.path), method.lower()) for route in app.router.routes for method in route.methods
              if method.lower() in HTTP_METHODS}
    described = {(path, method) for path, item in document["paths"].items() for method in item}
    assert served <= described, served - described
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert not operation.get("x-undocumented"), (method, path)
            assert operation["summary"] and operation["responses"], (method, path)
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    assert "{" + parameter["name"] + "}" in path
            body = operation.get("requestBody")
            if body:
                assert body["content"]["application/json"]["schema"]["type"] == "object"
    assert ("/api/widget/conversations/{conversation_id}/messages", "post") in described
    assert ("/webhooks/rest/webhook", "post") in described
    assert ("/api/agent/conversations/{conversation_id}/claim", "post") in described
    assert build_document(app)["paths"].keys() == document["paths"].keys()


def test_document_validates_against_the_openapi_3_0_structure():
    from jsonschema import Draft4Validator

    document = build_document(create_app(Settings.from_env({})))
    schema_of_operation = {"type": "object", "required": ["responses", "summary"],
                           "properties": {"responses": {"type": "object", "minProperties": 1,
                                                        "patternProperties": {"^([1-5][0-9][0-9]|default)$": {
                                                            "type": "object", "required": ["description"]}},
                                                        "additionalProperties": False}}}
    for item in document["paths"].values():
        for operation in item.values():
            Draft4Validator(schema_of_operation).validate(operation)
            for response in operation["responses"].values():
                for content in response.get("content", {}).values():
                    Draft4Validator.check_schema(content["schema"])
