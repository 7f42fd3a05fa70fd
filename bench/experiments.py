"""Proposed fixes tried inside the benchmark's own processes, to measure them before anyone changes the product.

Nothing here is imported by the product; each experiment restores what it replaced.
"""
from __future__ import annotations

import contextlib
from typing import Any, Iterator


@contextlib.contextmanager
def action_answers_checked_by_a_validator_built_once() -> Iterator[None]:
    """Rasa 3.6's RemoteAction checks every action server answer with `jsonschema.validate`, which first checks the
    large events schema itself; the same check with a validator built once gives the same verdicts."""
    from jsonschema import ValidationError, validators
    from rasa.core.actions.action import RemoteAction

    schema = RemoteAction.action_response_format_spec()
    validator = validators.validator_for(schema)(schema)
    original = RemoteAction._validate_action_result

    def validate_once_built(self: Any, result: dict[str, Any]) -> bool:
        try:
            validator.validate(result)
        except ValidationError:
            return original(self, result)  # Rasa's own path, for its error message
        return True

    RemoteAction._validate_action_result = validate_once_built
    try:
        yield
    finally:
        RemoteAction._validate_action_result = original
