"""handoff/logs.py: readable lines by default, one JSON object per line with LOG_FORMAT=json, no personal data."""
from __future__ import annotations

import io
import json
import logging
import warnings
from pathlib import Path

import pytest

from handoff import logs


@pytest.fixture()
def captured():
    """Configure logging as the service does, onto a buffer; restore the root logger afterwards."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level, warnings.showwarning, list(warnings.filters))
    stream = io.StringIO()

    def configure(log_format: str, **options) -> io.StringIO:
        logs.configure("INFO", log_format, stream=stream, **options)
        return stream

    yield configure
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    warnings.showwarning = saved[2]
    warnings.filters[:] = saved[3]


def test_json_lines_carry_the_fields_and_no_email_address(captured) -> None:
    stream = captured("json")
    token = logs.request_id.set("req-1")
    try:
        logging.getLogger("handoff.test").info("agent %s logged in", "lena@nordwind.test",
                                               extra={"event": "agent_logged_in", "conversation_id": "c-7"})
    finally:
        logs.request_id.reset(token)
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["level"] == "info" and line["logger"] == "handoff.test"
    assert line["event"] == "agent_logged_in"
    assert line["request_id"] == "req-1" and line["conversation_id"] == "c-7"
    assert line["time"].startswith("20") and "T" in line["time"]
    assert "lena@nordwind.test" not in stream.getvalue()
    assert "[EMAIL]" in line["message"]


def test_json_event_defaults_to_the_template_not_the_data(captured) -> None:
    stream = captured("json")
    logging.getLogger("sanic.root").warning("could not parse %s", "Kundin schreibt: mein Paket fehlt")
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert line["event"] == "could not parse %s"
    assert line["request_id"] is None and line["conversation_id"] is None


def test_text_is_one_readable_line_with_the_event_fields(captured) -> None:
    stream = captured("text")
    logging.getLogger("handoff.events").info("handoff_requested conversation=%s", "c-1",
                                             extra={"fields": {"reasons": "customer_request", "agent": None}})
    out = stream.getvalue().strip()
    assert len(out.splitlines()) == 1
    assert out.endswith("INFO    handoff.events: handoff_requested conversation=c-1 reasons=customer_request")


def test_third_party_info_is_quiet_unless_verbose(captured) -> None:
    stream = captured("text")
    logging.getLogger("rasa.core.processor").info("Loading model")
    logging.getLogger("handoff.web.app").info("handoff app ready")
    assert "Loading model" not in stream.getvalue() and "handoff app ready" in stream.getvalue()
    captured("text", verbose=True)
    logging.getLogger("rasa.core.processor").info("Loading model")
    assert "Loading model" in stream.getvalue()


def test_access_log_is_off_by_default_and_can_be_turned_on(captured) -> None:
    captured("text")
    assert not logging.getLogger("sanic.access").isEnabledFor(logging.INFO)
    captured("text", access_log=True)
    assert logging.getLogger("sanic.access").isEnabledFor(logging.INFO)


def test_deprecations_are_quiet_even_after_a_library_adds_its_own_filter(captured) -> None:
    captured("text")
    shown: list[str] = []
    logs._original_showwarning, original = (lambda message, *args, **kwargs: shown.append(str(message))), \
        logs._original_showwarning
    try:
        warnings.filterwarnings("once", category=DeprecationWarning)   # as Sanic and Rasa do on import
        warnings.warn("old API", DeprecationWarning)
        warnings.warn("The utterance 'utter_order_shipped' is not used in any story or rule.", UserWarning)
        warnings.warn("The utterance 'utter_never_sent_anywhere' is not used in any story or rule.", UserWarning)
    finally:
        logs._original_showwarning = original
    assert shown == ["The utterance 'utter_never_sent_anywhere' is not used in any story or rule."]


def test_responses_sent_from_code_are_the_utter_names_in_string_constants(tmp_path: Path) -> None:
    (tmp_path / "actions").mkdir()
    (tmp_path / "actions" / "a.py").write_text(
        'X = "utter_one"\ndef f(d):\n    d.utter_message(response="utter_two")\n# "utter_comment"\nY = "utter no"\n')
    assert logs.responses_sent_from_code(tmp_path, ("actions",)) == {"utter_one", "utter_two"}


def test_the_project_sends_responses_from_its_actions() -> None:
    assert "utter_handoff" in logs.responses_sent_from_code()


def test_detail_answers_the_dialogue_policy_composes_are_quiet_but_other_unused_responses_are_not() -> None:
    used_by_policy = "The utterance 'utter_return_item_cost' is not used in any story or rule."
    forgotten = "The utterance 'utter_greet_twice' is not used in any story or rule."
    assert logs.is_quiet(UserWarning(used_by_policy), UserWarning)
    assert not logs.is_quiet(UserWarning(forgotten), UserWarning)


@pytest.mark.parametrize("value", ["xml", "JSONL"])
def test_unknown_log_format_is_refused_by_name(value: str) -> None:
    with pytest.raises(logs.LogSettingsError, match="LOG_FORMAT"):
        logs.log_format_from({"LOG_FORMAT": value})


def test_json_exception_is_kept_in_the_same_line(captured) -> None:
    stream = captured("json")
    try:
        raise ZeroDivisionError("for max@example.com")
    except ZeroDivisionError:
        logging.getLogger("handoff.test").exception("reply failed")
    [raw] = stream.getvalue().strip().splitlines()
    line = json.loads(raw)
    assert "ZeroDivisionError" in line["exception"] and "max@example.com" not in raw
