"""A small property-based request generator over /openapi.json (schemathesis does not fit the pinned
environment: its versions allowing pytest 8 need jsonschema>=4.18, Rasa pins <4.18; hypothesis is absent).

For each operation it yields requests mixing schema-valid values with hostile ones: wrong types, missing
required fields, huge and odd Unicode strings, hostile path parameters and non-JSON bodies. Seeded: a failure
names its seed and case number, and the same run reproduces it.
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from typing import Any, Iterator

HOSTILE_STRINGS = (
    "", " ", "\u200b", "\u202eevil", "🙂" * 50, "e\u0301", "שלום", "مرحبا", "\x00", "\x1b[31m", "../../etc/passwd",
    "%00", "%2e%2e%2f", "' OR 1=1 --", "<script>alert(1)</script>", "{{7*7}}", "${jndi:ldap://x}", "null",
    "\ud800".encode("utf-8", "surrogatepass").decode("utf-8", "replace"), "x" * 3000, "ä" * 70_000,
)
HOSTILE_NUMBERS = (0, -1, 1, 5, 6, 2**31, -(2**63), 10**30, 1.5, float("1e308"))
HOSTILE_ANY = (None, True, [], {}, [1, "a"], {"nested": {"deeper": [None]}}, "1", 1)
PATH_VALUES = ("00000000-0000-0000-0000-000000000000", "x", "..", "%2e%2e", "ä" * 300, "a" * 5000, "0",
               "-1", "%00", "null", "🙂")
RAW_BODIES = (b"{", b"[]", b"null", b"\"text\"", b"{\"text\": }", b"\xff\xfe\x00", b"a=b&c=d",
              json.dumps({"text": "x" * 300_000}).encode())
PATH_PARAMETER = re.compile(r"\{([^}]+)\}")


@dataclass(frozen=True)
class FuzzCase:
    method: str
    path: str
    query: dict[str, str]
    json_body: Any = None
    raw_body: bytes | None = None

    def describe(self) -> str:
        body = repr(self.json_body if self.raw_body is None else self.raw_body)
        return f"{self.method.upper()} {self.path[:120]} query={str(self.query)[:80]} body={body[:160]}"


def _value_for(schema: dict[str, Any] | None, rng: random.Random) -> Any:
    kind = (schema or {}).get("type")
    if rng.random() < 0.35:
        return rng.choice(HOSTILE_ANY + HOSTILE_NUMBERS + HOSTILE_STRINGS)
    if kind == "string":
        return rng.choice(HOSTILE_STRINGS + ("Hallo", "a@b.de", "agent", "online"))
    if kind == "integer":
        return rng.choice(HOSTILE_NUMBERS)
    if kind == "boolean":
        return rng.choice((True, False))
    if kind == "object":
        return _object_for(schema, rng)
    if kind == "array":
        return [_value_for(schema.get("items"), rng) for _ in range(rng.randint(0, 3))]
    return rng.choice(HOSTILE_ANY)


def _object_for(schema: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    body: dict[str, Any] = {}
    required = set(schema.get("required") or ())
    for name, property_schema in (schema.get("properties") or {}).items():
        if name in required and rng.random() < 0.85 or rng.random() < 0.5:
            body[name] = _value_for(property_schema, rng)
    if rng.random() < 0.2:
        body[rng.choice(("unexpected", "__proto__", "constructor", "ä"))] = rng.choice(HOSTILE_ANY)
    return body


def _body_schema(operation: dict[str, Any]) -> dict[str, Any] | None:
    return (operation.get("requestBody") or {}).get("content", {}).get("application/json", {}).get("schema")


def cases(document: dict[str, Any], per_operation: int, seed: int,
          skip: set[tuple[str, str]] = frozenset()) -> Iterator[FuzzCase]:
    rng = random.Random(seed)
    for template, item in sorted(document["paths"].items()):
        for method, operation in sorted(item.items()):
            if operation.get("x-websocket") or (method, template) in skip:
                continue
            query_names = [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]
            schema = _body_schema(operation)
            for _ in range(per_operation):
                path = PATH_PARAMETER.sub(lambda _m: rng.choice(PATH_VALUES), template)
                query = {name: str(rng.choice(HOSTILE_STRINGS[:12] + ("1", "-5", "99999999999999999999")))
                         for name in query_names if rng.random() < 0.7}
                if method in ("get", "delete"):
                    yield FuzzCase(method, path, query)
                elif rng.random() < 0.25:
                    yield FuzzCase(method, path, query, raw_body=rng.choice(RAW_BODIES))
                else:
                    yield FuzzCase(method, path, query, json_body=_object_for(schema or {}, rng)
                                   if rng.random() < 0.9 else rng.choice(HOSTILE_ANY))
