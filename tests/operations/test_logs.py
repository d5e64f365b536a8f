"""Logs are JSON lines and never hold a token or a secret, whoever logged it and however."""
from __future__ import annotations

import contextlib
import io
import json
import logging
import shutil
import sys
import threading
from dataclasses import dataclass
from datetime import time, timedelta
from pathlib import Path
from typing import AsyncIterator, Iterator

import aiohttp
import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from operations.logs import MASK, Redactor, configure_logging
from operations.serve import Server
from bot.time.clock import SystemClock
from bot.config import ConfigError, Settings
from bot.due import enqueue
from bot.models import Workspace
from tests.adapters.test_slack_oauth import install
from tests.scheduler.rituals_for_tests import DailyAt
from tests.support.slack_app import SIGNING_SECRET, RunningSlack
from tests.support.slack_requests import SlackRequests
from tests.support.slack_standin import SlackStandIn

DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhIjKl.abcdefghijklmnopqrstuvwxyzABCDEF0123"
BOT_TOKEN = "xoxb-2847561234-5829301847562-Zk8PqR3sT7uVwX1yA4bC6dE9"


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """configure_logging takes over the root logger; give pytest its handlers back afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    hooks = sys.excepthook, threading.excepthook
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
    for handler in handlers:
        root.addHandler(handler)
    root.setLevel(level)
    sys.excepthook, threading.excepthook = hooks
    logging.captureWarnings(False)


def capture(settings: Settings, level: str = "DEBUG") -> io.StringIO:
    stream = io.StringIO()
    configure_logging(settings, "json", stream=stream, level=level)
    return stream


def records(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_each_record_is_one_json_object_with_its_extras(restore_logging: None) -> None:
    stream = capture(Settings.from_env({}))
    logging.getLogger("meridian.test").info("sent %d messages", 3, extra={"team": "T1", "kinds": ["a", "b"]})
    try:
        raise ValueError("broken")
    except ValueError:
        logging.getLogger("meridian.test").exception("it failed")
    first, second = records(stream)
    assert first["message"] == "sent 3 messages" and first["level"] == "INFO" and first["logger"] == "meridian.test"
    assert first["team"] == "T1" and first["kinds"] == ["a", "b"] and first["ts"].endswith("Z")
    assert second["level"] == "ERROR" and "ValueError: broken" in second["exc"]


def test_secrets_are_removed_from_messages_arguments_extras_and_tracebacks(restore_logging: None) -> None:
    settings = Settings.from_env({}, slack_signing_secret=SIGNING_SECRET, discord_token=DISCORD_TOKEN,
                                 secret_key="correct horse battery staple",
                                 database_url="postgresql+psycopg://meridian:p%40ssw0rd-42@db/meridian")
    stream = capture(settings)
    log = logging.getLogger("somelibrary")
    log.debug("posting with %s", BOT_TOKEN)
    log.info("socket %s", "xapp-1-A0123-4567-0a1b2c3d4e5f", extra={"headers": {"Authorization": f"Bearer {BOT_TOKEN}"}})
    log.warning("installed: {'access_token': 'xoxb-oauth-T0002-7', 'client_secret': 'hush-hush-1234'}")
    log.info("signing secret is " + SIGNING_SECRET + ", key is correct horse battery staple")
    log.info("connecting to postgresql+psycopg://meridian:p@ssw0rd-42@db/meridian")
    try:
        raise RuntimeError(f"login failed for {DISCORD_TOKEN}")
    except RuntimeError:
        log.exception("discord")
    log.info("%s %s", "too", "many", "args")        # a broken call still logs, without its arguments' secrets
    text = stream.getvalue()
    for secret in (BOT_TOKEN, "xapp-1-A0123-4567-0a1b2c3d4e5f", "xoxb-oauth-T0002-7", "hush-hush-1234", SIGNING_SECRET,
                   "correct horse battery staple", "p@ssw0rd-42", "p%40ssw0rd-42", DISCORD_TOKEN):
        assert secret not in text
    assert len(records(stream)) == 7 and text.count(MASK) >= 9
    assert "xoxb-" + MASK in text                 # what kind of token it was stays readable


def test_ordinary_text_is_left_alone() -> None:
    redactor = Redactor(["s3cret-value"])
    for line in ("dedupe_key=occ12.0 sent to #general", "Discord close code 4004", "standup 2026-03-25#3 at 09:30",
                 "GET /healthz 200", "token bucket refilled"):
        assert redactor.text(line) == line


def test_log_format_must_be_json_or_text(restore_logging: None) -> None:
    with pytest.raises(ConfigError, match="MERIDIAN_LOG_FORMAT"):
        configure_logging(Settings.from_env({"MERIDIAN_LOG_FORMAT": "xml"}), stream=io.StringIO())


@dataclass
class Served:
    """`meridian serve` in-process, Slack in OAuth mode against the stand-in, its log captured at DEBUG."""

    server: Server
    app: RunningSlack
    log: io.StringIO
    secret_key: str

    def enqueue_now(self, kind: str) -> None:
        """Due work for U7 in T0002, due a minute ago: the scheduler sends it at its next tick."""
        with self.server.core.db.session() as session:  # type: ignore[union-attr]
            workspace_id = session.scalar(select(Workspace.id).where(Workspace.external_id == "T0002"))
            enqueue(session, workspace_id, kind, "U7", "now", SystemClock().now() - timedelta(minutes=1))


@contextlib.asynccontextmanager
async def served(tmp_path: Path, sqlite_template: Path, ritual: DailyAt, client_secret: str) -> AsyncIterator[Served]:
    """The stand-in's team T0002 (member U7) is ready to install with the code "code-for-T0002"."""
    shutil.copy(sqlite_template, tmp_path / "m.db")
    secret_key = Fernet.generate_key().decode()
    async with SlackStandIn(client_secret=client_secret) as slack:
        slack.add_user("U7", "nia", tz="Africa/Nairobi", team_id="T0002")
        slack.oauth_codes["code-for-T0002"] = "T0002"
        settings = Settings.from_env({}, database_url=f"sqlite:///{tmp_path / 'm.db'}", http_host="127.0.0.1",
                                     http_port=0, metrics_port=0, tick_seconds=0.05, slack_client_id=slack.client_id,
                                     slack_client_secret=slack.client_secret, slack_signing_secret=SIGNING_SECRET,
                                     secret_key=secret_key, slack_api_url=slack.base_url)
        stream = capture(settings)
        server = Server(settings, rituals={ritual.kind: ritual})
        await server.start()
        try:
            origin = f"http://127.0.0.1:{server.port}"
            async with aiohttp.ClientSession() as http:
                requests = SlackRequests(http, f"{origin}/slack/events", SIGNING_SECRET, team_id="T0002",
                                         hooks=slack.origin)
                yield Served(server, RunningSlack(server.adapters["slack"], slack, requests, http, origin), stream,
                             secret_key)
        finally:
            await server.stop()


async def test_a_whole_oauth_install_command_and_scheduled_send_at_debug_logs_no_token(
        restore_logging: None, tmp_path: Path, sqlite_template: Path) -> None:
    """slack_sdk logs response bodies at DEBUG, oauth.v2.access's access_token included: the filter must catch it."""
    ritual = DailyAt("log_check", time(9, 0))
    async with served(tmp_path, sqlite_template, ritual, "9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a") as run:
        slack = run.app.standin
        status, _ = await install(run.app)
        assert status == 200
        await run.app.slack.command("/tz", user="U7")
        await slack.wait_for(lambda: slack.hooks)
        run.enqueue_now(ritual.kind)
        await slack.wait_for(lambda: slack.calls_to("chat.postMessage"))
    token = next(t for t, team in slack.teams.items() if team.id == "T0002")
    assert slack.calls_to("chat.postMessage")[0].token == token      # the installed token was really used
    text = run.log.getvalue()
    assert all(isinstance(entry, dict) for entry in records(run.log))
    for secret in (token, slack.client_secret, SIGNING_SECRET, run.secret_key):
        assert secret not in text
    assert "oauth.v2.access" in text and "xoxb-" + MASK in text       # the response body was logged, redacted


class RawRecords(logging.Handler):
    """Meridian's own log records as they were made, before any redaction: our code must not even hand a
    secret to the logger (the redactor is for libraries)."""

    OURS = ("bot", "adapters", "operations", "scheduler", "meridian")

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.split(".")[0] in self.OURS:
            extras = {k: v for k, v in vars(record).items() if k not in logging.LogRecord("", 0, "", 0, "", None, None).__dict__}
            trace = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
            self.lines.append(f"{record.name} {record.getMessage()} {extras!r} {trace}")


async def test_failures_uninstall_and_an_unreachable_database_log_no_secret_even_before_redaction(
        restore_logging: None, tmp_path: Path, sqlite_template: Path) -> None:
    """The unhappy paths log the most: Slack failing (5xx, 429, a post whose answer was lost), an uninstall
    and a database that does not answer. Neither the written log nor our raw records hold a secret."""
    from bot.core import CommandRequest, Meridian
    from bot.members import Identity
    from bot.store import Database

    db_password = "pg-Pa55word-that-must-not-leak"
    ritual = DailyAt("log_check", time(9, 0), parts=2)
    raw = RawRecords()
    async with served(tmp_path, sqlite_template, ritual, "7e6d5c4b3a2f1e0d9c8b7a6f5e4d3c2b") as run:
        logging.getLogger().handlers.insert(0, raw)           # sees each record before the redacting filter
        slack, requests = run.app.standin, run.app.slack
        assert (await install(run.app))[0] == 200
        slack.fail("users.info", status=500, times=1)
        await requests.command("/tz", user="U7")
        await slack.wait_for(lambda: slack.hooks)
        slack.fail("chat.postMessage", status=429, times=2, retry_after=0.05)
        slack.fail("chat.postMessage", status=503, times=1, after_effect=True)
        run.enqueue_now(ritual.kind)
        await slack.wait_for(lambda: len(slack.dedupe_keys()) == 2)
        assert (await requests.event({"type": "app_uninstalled", "event_ts": "1.1"})).status == 200
        await run.app.settle()
        settings = run.server.settings
    away = Database(f"postgresql+psycopg://meridian:{db_password}@127.0.0.1:1/meridian", migrate=False,
                    connect_args={"connect_timeout": 2})
    reply = Meridian(away, settings=settings).handle(CommandRequest(Identity("console", "default", "amara"), "/tz"))
    away.dispose()
    assert reply.error and "database" in reply.text

    token = next(t for t, team in slack.teams.items() if team.id == "T0002")
    written = run.log.getvalue()
    assert "database unavailable" in written and "retry after" in written         # the unhappy paths did log
    assert any("database unavailable" in line for line in raw.lines)
    for secret in (token, slack.client_secret, SIGNING_SECRET, run.secret_key, db_password):
        assert secret not in written
        assert not [line for line in raw.lines if secret in line], secret


SLACK_CODE = "4724469134.4644010092847.232b4e6f6cfa9c3bc7a5a25c2c7eec8a2f6ac2c3bd5d2b2e2ca9e6a1e0f4b4c1"


async def test_oauth_codes_are_redacted_like_tokens(restore_logging: None, tmp_path: Path, sqlite_template: Path) -> None:
    """An OAuth code is a short-lived credential: slack_sdk logs it in the request data at DEBUG, and Bolt
    names it in its WARNING when the exchange fails. Neither the good code nor the bad one reaches the log."""
    ritual = DailyAt("log_code", time(9, 0))
    async with served(tmp_path, sqlite_template, ritual, "9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a") as run:
        run.app.standin.oauth_codes[SLACK_CODE] = "T0002"
        assert (await install(run.app, code=SLACK_CODE))[0] == 200
        await install(run.app, code=SLACK_CODE[::-1])                  # unknown: Bolt's failure warning
    text = run.log.getvalue()
    assert "oauth.v2.access" in text and "Failed to fetch oauth.v2.access" in text
    assert SLACK_CODE not in text and SLACK_CODE[::-1] not in text


def test_an_oauth_code_is_redacted_but_ordinary_codes_are_not() -> None:
    redactor = Redactor()
    assert SLACK_CODE not in redactor.text(f"Failed to fetch oauth.v2.access result with code: {SLACK_CODE}")
    assert SLACK_CODE not in redactor.text(f"data: {{'code': '{SLACK_CODE}', 'client_id': '1.2'}}")
    assert SLACK_CODE not in redactor.text(f"callback (request: {{'code': ['{SLACK_CODE}'], 'state': ['s']}})")
    assert SLACK_CODE not in redactor.text(f"GET /slack/oauth_redirect?code={SLACK_CODE}&state=x")
    for line in ("Slack error code: ratelimited", "Discord close code 4004", "HTTP status code: 500"):
        assert redactor.text(line) == line
