"""Logging for every entry point: the product's own lines, readable by default, one JSON object per line with
LOG_FORMAT=json; third-party noise (TensorFlow, deprecations, Rasa's notices about our own set-up) filtered unless
VERBOSE=1.

JSON lines carry time, level, logger, event, request_id and conversation_id. `event` is the event name given with
`extra={"event": ...}`, otherwise the line's unformatted template (constant text, never data). The formatted
`message` follows with e-mail addresses, phone numbers and other personal data replaced (handoff/domain/redaction):
the product never logs message texts, and a third-party line must not leak an address either.
"""
from __future__ import annotations

import ast
import logging
import os
import re
import sys
import warnings
from contextvars import ContextVar
from pathlib import Path
from typing import Any, Iterable, Mapping

LOG_FORMATS = ("text", "json")
TEXT_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
TEXT_DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
# Loggers that speak at INFO about their own machinery (model loading, SQL dialect, worker start): WARNING and above
# unless VERBOSE=1. The product's own loggers (handoff.*, bot.*, actions.*) keep the configured level.
NOISY_LOGGERS = ("rasa", "rasa_sdk", "tensorflow", "absl", "h5py", "matplotlib", "alembic", "sanic.root", "sanic.error",
                 "asyncio", "urllib3", "apscheduler", "numexpr", "aiogram", "PIL", "filelock", "socketio",
                 "engineio")
SANIC_LOGGERS = ("sanic.root", "sanic.error", "sanic.access", "sanic.server", "sanic.websockets")
REPO_ROOT = Path(__file__).resolve().parent.parent
# Code that sends responses by name (dispatcher.utter_message(response=...)): Rasa cannot see that from the stories.
RESPONSE_SENDING_CODE = ("actions", "bot")

request_id: ContextVar[str | None] = ContextVar("request_id", default=None)
conversation_id: ContextVar[str | None] = ContextVar("conversation_id", default=None)


class LogSettingsError(ValueError):
    """LOG_FORMAT or VERBOSE is not one of the accepted values; the message names the variable."""


def log_format_from(environ: Mapping[str, str]) -> str:
    value = (environ.get("LOG_FORMAT") or "text").strip().lower()
    if value not in LOG_FORMATS:
        raise LogSettingsError(f"LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}")
    return value


def verbose_from(environ: Mapping[str, str]) -> bool:
    return (environ.get("VERBOSE") or "0").strip().lower() in ("1", "true", "yes", "on")


class ContextFilter(logging.Filter):
    """Puts the request and conversation ids of the current task on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = request_id.get()
        if getattr(record, "conversation_id", None) is None:
            record.conversation_id = conversation_id.get()
        return True


def _json_formatter() -> logging.Formatter:
    import structlog

    from handoff.domain.redaction import redact

    def from_record(_logger: Any, _name: str, event_dict: dict[str, Any]) -> dict[str, Any]:
        record: logging.LogRecord = event_dict.pop("_record")
        event_dict.pop("_from_structlog", None)
        line = {
            "time": event_dict.get("time"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": getattr(record, "event", None) or str(record.msg),
            "request_id": getattr(record, "request_id", None),
            "conversation_id": getattr(record, "conversation_id", None),
            # ProcessorFormatter has formatted the message into "event" (and emptied the record's args).
            "message": redact(str(event_dict.get("event", ""))),
        }
        for key in getattr(record, "fields", None) or {}:
            line[key] = record.fields[key]
        exc_info = event_dict.get("exc_info")   # ProcessorFormatter moves it here from the record
        if exc_info:
            line["exception"] = redact(logging.Formatter().formatException(exc_info))
        return line

    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[structlog.processors.TimeStamper(fmt="iso", utc=True, key="time")],
        processors=[from_record, structlog.processors.JSONRenderer(ensure_ascii=False)],
        keep_exc_info=False, keep_stack_info=False)


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message key=value ...` (the `fields` given with an event line, readable at a glance)."""

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = getattr(record, "fields", None)
        if fields:
            line += " " + " ".join(f"{key}={value}" for key, value in fields.items() if value not in (None, ""))
        return line


def configure(level: str | int = "INFO", log_format: str = "text", *, verbose: bool = False,
              access_log: bool = False, process: str | None = None, stream: Any = None) -> None:
    """One handler on the root logger (stderr) for the product and every library; call it again to reconfigure."""
    quiet_warnings(verbose)
    handler = logging.StreamHandler(stream or sys.stderr)
    if log_format == "json":
        handler.setFormatter(_json_formatter())
    else:
        name = "%(name)s" if process is None else f"%(name)s [{process}]"
        handler.setFormatter(TextFormatter(TEXT_FORMAT.replace("%(name)s", name), TEXT_DATE_FORMAT))
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # Sanic's own dictConfig gives its loggers their own handlers: ours format everything the same way.
    for name in SANIC_LOGGERS:
        sanic_logger = logging.getLogger(name)
        for old in list(sanic_logger.handlers):
            sanic_logger.removeHandler(old)
        sanic_logger.propagate = True
        sanic_logger.setLevel(logging.NOTSET)
    logging.getLogger("sanic.access").setLevel(logging.INFO if access_log else logging.WARNING)
    for name in NOISY_LOGGERS:
        logging.getLogger(name).setLevel(logging.NOTSET if verbose else max(logging.WARNING, root.level))


def configure_child(level: str | int, process: str) -> None:
    """For a child process (the bot): the parent's format and verbosity, from the environment it inherited."""
    try:
        log_format = log_format_from(os.environ)
    except LogSettingsError:
        log_format = "text"   # the parent has refused to start with it already
    configure(level, log_format, verbose=verbose_from(os.environ), process=process)


# Third-party warnings nobody running this project can act on: deprecations inside libraries, and Rasa's notices
# that do not apply to this project (see quiet_warnings).
QUIET_CATEGORIES = (DeprecationWarning, PendingDeprecationWarning, FutureWarning, ImportWarning)
QUIET_MESSAGES = [
    # Our config classifies intents with bot/intent (no DIET): the entity examples feed RegexEntityExtractor's
    # patterns and the order-number slot, which Rasa's generic check does not know.
    "You have defined training data consisting of entity examples",
    # Rasa warns for every slot whose mappings it reads (its own CLI lists it as expected and hides it).
    "Slot auto-fill has been removed in 3.0",
    "is missing a unique value for the 'assistant_id' mandatory key",
]
# The dialogue policy (bot/dialogue/policy.py) sends a topic's detail answer by a name it composes,
# utter_<topic>_<cost|time>, when the domain has one: no string in the code names them for responses_sent_from_code.
QUIET_PATTERNS = [r"The utterance 'utter_\w+_(?:cost|time)' is not used in any story or rule\."]
_quiet_messages: list[str] = []
_original_showwarning = warnings.showwarning


def is_quiet(message: Warning | str, category: type[Warning]) -> bool:
    text = str(message)
    return (issubclass(category, QUIET_CATEGORIES) or any(part in text for part in _quiet_messages)
            or any(re.search(pattern, text) for pattern in QUIET_PATTERNS))


def _show_unless_quiet(message: Warning | str, category: type[Warning], *args: Any, **kwargs: Any) -> None:
    if not is_quiet(message, category):
        _original_showwarning(message, category, *args, **kwargs)


def quiet_warnings(verbose: bool) -> None:
    """Python warnings that tell a newcomer nothing they can act on; VERBOSE=1 keeps them all.

    Libraries put their own filters in front when imported (Rasa and Sanic add 'once' for DeprecationWarning), so
    the rules are applied where warnings are shown, not only as filters."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    if verbose:
        return
    if not _quiet_messages:
        _quiet_messages.extend(QUIET_MESSAGES)
        _quiet_messages.extend(f"The utterance '{name}' is not used in any story or rule."
                               for name in sorted(responses_sent_from_code()))
    for category in QUIET_CATEGORIES:
        warnings.filterwarnings("ignore", category=category)
    for text in _quiet_messages:
        warnings.filterwarnings("ignore", message=re.escape(text))
    for pattern in QUIET_PATTERNS:
        warnings.filterwarnings("ignore", message=pattern)
    warnings.showwarning = _show_unless_quiet


def responses_sent_from_code(root: Path = REPO_ROOT, packages: Iterable[str] = RESPONSE_SENDING_CODE) -> set[str]:
    """Every `utter_*` name that appears as a string in the custom actions and components: Rasa's validator warns
    that such a response is 'not used in any story or rule' although the code sends it."""
    names: set[str] = set()
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            try:
                tree = ast.parse(path.read_text(encoding="utf-8"))
            except (OSError, SyntaxError, UnicodeDecodeError):
                continue
            names.update(node.value for node in ast.walk(tree)
                         if isinstance(node, ast.Constant) and isinstance(node.value, str)
                         and node.value.startswith("utter_") and node.value.isidentifier())
    return names


def install_request_context(app: Any) -> None:
    """Every request (and WebSocket) task knows its request id and, for conversation routes, the conversation id."""

    async def bind(request: Any) -> None:
        request_id.set(str(request.id))
        conversation_id.set((request.match_info or {}).get("conversation_id"))

    app.register_middleware(bind, "request")
