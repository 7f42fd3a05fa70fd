"""Running the schemathesis CLI of .venv-tools/ (make tools) against a live app and reading what it sent.

schemathesis cannot be installed next to Rasa's pins (requirements/schemathesis.txt), so it runs as a
subprocess from its own venv. Each pass records its exchanges as a HAR cassette (JSON), which the test reads
to check what schemathesis cannot: every error body is our JSON error object.
"""
from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.integration.handoff.web.server import REPO_ROOT

SCHEMATHESIS = REPO_ROOT / ".venv-tools" / "bin" / "st"
SEED = int(os.environ.get("SCHEMATHESIS_SEED", "20261123"))
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
PASS_TIMEOUT_SECONDS = 300
REQUEST_TIMEOUT_MS = 20_000
# What our spec can promise. Left out: `ignored_auth` (it cannot drop a header given with -H, so every
# authenticated pass "ignores auth"; the permission matrix test covers auth instead) and
# `negative_data_rejection` (it counts an unknown query parameter like `?=false` as invalid data that must be
# refused; the API ignores unknown query parameters by design).
CHECKS = ("not_a_server_error", "status_code_conformance", "content_type_conformance",
          "response_headers_conformance", "response_schema_conformance")
# Positive and negative data: schema-valid requests and ones that break the schema on purpose.
DATA_GENERATION = "all"


@dataclass(frozen=True)
class Exchange:
    method: str
    url: str
    status: int
    content_type: str
    body: str


@dataclass
class SchemathesisPass:
    """One CLI run: which operations, as whom, with which fixed path parameters."""

    name: str
    headers: dict[str, str] = field(default_factory=dict)
    include_path_regex: str | None = None
    exclude_operation_id_regex: str | None = None
    set_path: dict[str, str] = field(default_factory=dict)

    def command(self, base: str, cassette: Path) -> list[str]:
        command = [str(SCHEMATHESIS), "run", f"{base}/openapi.json",
                   "--checks", ",".join(CHECKS), "--data-generation-method", DATA_GENERATION,
                   "--hypothesis-max-examples", str(MAX_EXAMPLES), "--hypothesis-seed", str(SEED),
                   "--hypothesis-derandomize", "--request-timeout", str(REQUEST_TIMEOUT_MS),
                   # Our session cookie and bearer header are given with -H; generated ones would replace them.
                   "--generation-with-security-parameters", "false",
                   "--schemathesis-io-telemetry", "false", "--no-color",
                   "--cassette-path", str(cassette), "--cassette-format", "har"]
        for name, value in self.headers.items():
            command += ["--header", f"{name}: {value}"]
        if self.include_path_regex:
            command += ["--include-path-regex", self.include_path_regex]
        if self.exclude_operation_id_regex:
            command += ["--exclude-operation-id-regex", self.exclude_operation_id_regex]
        for name, value in self.set_path.items():
            command += ["--set-path", f"{name}={value}"]
        return command


@dataclass(frozen=True)
class PassResult:
    returncode: int
    output: str
    exchanges: list[Exchange]


def run(spec: SchemathesisPass, base: str, directory: Path) -> PassResult:
    cassette = directory / f"schemathesis-{spec.name}.har"
    env = {**os.environ, "NO_COLOR": "1"}
    completed = subprocess.run(spec.command(base, cassette), capture_output=True, text=True, env=env,
                               cwd=directory, timeout=PASS_TIMEOUT_SECONDS)
    return PassResult(completed.returncode, completed.stdout + completed.stderr, read_cassette(cassette))


def read_cassette(path: Path) -> list[Exchange]:
    if not path.exists():
        return []
    document: dict[str, Any] = json.loads(path.read_text())
    exchanges = []
    for entry in document.get("log", {}).get("entries", []):
        response = entry.get("response", {})
        content = response.get("content", {})
        # schemathesis leaves content.mimeType empty; the header has it.
        content_type = next((header["value"] for header in response.get("headers", [])
                             if header["name"].lower() == "content-type"), content.get("mimeType", ""))
        exchanges.append(Exchange(method=entry["request"]["method"], url=entry["request"]["url"],
                                  status=int(response.get("status", 0)), content_type=content_type,
                                  body=content.get("text", "") or ""))
    return exchanges
