"""Logs of the running process: one JSON object per line, and never a token or a secret.

    {"ts": "2026-03-25T12:00:00.123Z", "level": "INFO", "logger": "operations.serve",
     "message": "Meridian is serving on 0.0.0.0:8080 (adapters: slack (socket))", "team": "T0001"}

`extra={...}` fields of a log call become keys of the object; an exception becomes "exc".
`Redactor` runs on every record that reaches the handler, whichever library logged it (slack_sdk,
discord.py, aiohttp, SQLAlchemy): it removes anything shaped like a Slack token (xoxb-, xoxp-,
xapp-, ...), a Discord bot token, an Authorization header or a `secret=`/`token=` parameter, an
OAuth `code`, a password in a URL, and every secret value the configuration holds (`Settings.secret_values()`),
from the message, its arguments, its extras and its traceback.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import threading
from datetime import datetime, timezone
from typing import Any, Iterable, TextIO

from bot.config import ConfigError, Settings

MASK = "[redacted]"
# Values shorter than this are not searched for verbatim: masking "abc" everywhere would garble the
# log without protecting anything (real tokens and keys are far longer).
MIN_SECRET_LENGTH = 6

_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Slack: bot/user/refresh/config tokens (xoxb-, xoxp-, xoxe.xoxp-, ...) and app-level tokens (xapp-)
    (re.compile(r"\b(xox[a-z](?:\.xox[a-z])?-|xapp-)[A-Za-z0-9-]+"), r"\1" + MASK),
    # Discord bot token: base64 user id . timestamp . HMAC
    (re.compile(r"\b[A-Za-z0-9_-]{23,28}\.[A-Za-z0-9_-]{6,7}\.[A-Za-z0-9_-]{27,}"), MASK),
    # Authorization headers, however they were printed
    (re.compile(r"(?i)\b(authorization['\"]?\s*[:=]\s*['\"]?(?:bearer|bot|basic)\s+)[^\s'\",};&]+"), r"\1" + MASK),
    # key=value secrets in URLs, form bodies and reprs
    (re.compile(r"(?i)\b((?:client_secret|signing_secret|secret_key|secret|token|password)['\"]?\s*[=:]\s*['\"]?)"
                r"(?!\[redacted\])[^\s&'\",}]{4,}"), r"\1" + MASK),
    # OAuth codes (`code=…`, `'code': ['…']`, Bolt's "with code: …"): a code is a credential until it is
    # exchanged. Only values with a digit, so "error code: ratelimited" stays readable.
    (re.compile(r"(?i)\b(code['\"]?\s*[=:]\s*\[?['\"]?)(?!\[redacted\])(?=[^\s&'\",}]*\d)[^\s&'\",}]{8,}"), r"\1" + MASK),
    # private calendar addresses (/profile calendar): the path is the secret, the host may stay
    (re.compile(r"(?i)\b((?:https?|webcals?)://[^/\s'\"]+/)[^\s'\"]*\.ics\b"), r"\1" + MASK + ".ics"),
    # scheme://user:password@host
    (re.compile(r"(://[^:/@\s]+:)[^@\s]+(@)"), r"\1" + MASK + r"\2"),
)

# Attributes every LogRecord has; anything else on a record came from `extra=` and is logged as a field.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}


class Redactor:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        values = sorted({s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH}, key=len, reverse=True)
        self._secrets = re.compile("|".join(re.escape(v) for v in values)) if values else None

    def text(self, text: str) -> str:
        if self._secrets is not None:
            text = self._secrets.sub(MASK, text)
        for pattern, replacement in _PATTERNS:
            text = pattern.sub(replacement, text)
        return text

    def value(self, value: Any) -> Any:
        """Strings redacted, containers walked, other values kept as they are (JSON renders them)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple, set)):
            return [self.value(v) for v in value]
        if isinstance(value, (int, float, bool)) or value is None:
            return value
        return self.text(str(value))


class RedactingFilter(logging.Filter):
    """Attached to the handler, so it sees every record that will be written, from any logger."""

    def __init__(self, redactor: Redactor) -> None:
        super().__init__()
        self.redactor = redactor

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the record (nor leak its arguments)
            message = f"{record.msg} {record.args!r}"
        record.msg, record.args = self.redactor.text(message), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redactor.text(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redactor.text(record.stack_info)
        for name in set(vars(record)) - _STANDARD:
            setattr(record, name, self.redactor.value(getattr(record, name)))
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for name in sorted(set(vars(record)) - _STANDARD):
            if name not in entry:
                entry[name] = getattr(record, name)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(settings: Settings, fmt: str | None = None, *, stream: TextIO | None = None,
                      level: str | None = None) -> logging.Handler:
    """Send every log record through one redacting handler in `fmt` ("json" or "text"; default: the setting).

    Replaces the root logger's handlers, so it also covers libraries; uncaught exceptions in the main
    thread and in other threads are logged through it too.
    """
    chosen = (fmt or settings.log_format or "json").strip().lower()
    if chosen not in ("json", "text"):
        raise ConfigError(f"MERIDIAN_LOG_FORMAT must be json or text, got {settings.log_format!r}")
    wanted_level = (level or settings.log_level or "INFO").upper()
    if not isinstance(logging.getLevelName(wanted_level), int):
        raise ConfigError(f"MERIDIAN_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, got {wanted_level!r}")
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(RedactingFilter(Redactor(settings.secret_values())))
    handler.setFormatter(JsonFormatter() if chosen == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(wanted_level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.captureWarnings(True)
    sys.excepthook = _log_uncaught
    threading.excepthook = lambda args: _log_uncaught(args.exc_type, args.exc_value, args.exc_traceback)  # type: ignore[arg-type]
    return handler


def _log_uncaught(kind: type[BaseException], error: BaseException, traceback: Any) -> None:
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, traceback)
        return
    logging.getLogger("meridian").critical("uncaught exception", exc_info=(kind, error, traceback))
