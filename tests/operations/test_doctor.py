"""`meridian doctor` against good and broken setups: it names the problem and the fix, and exits 1."""
from __future__ import annotations

import asyncio
import os
import shutil
import socket
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from operations.cli import main
from bot.crypto import Cipher
from bot.installations import save_installation
from bot.members import ensure_workspace
from bot.store import Database
from tests.support.slack_standin import SlackStandIn

SIGNING_SECRET = "a3f1c9e7b5d2048f6e1a9c3b7d5f2e80"
DISCORD_TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4OQ.GhIjKl.abcdefghijklmnopqrstuvwxyzABCDEF0123"


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in list(os.environ):
        if name.startswith(("SLACK_", "DISCORD_", "MERIDIAN_")):
            monkeypatch.delenv(name)
    return monkeypatch


@pytest.fixture
def migrated(tmp_path: Path, sqlite_template: Path) -> str:
    shutil.copy(sqlite_template, tmp_path / "ok.db")
    return f"sqlite:///{tmp_path / 'ok.db'}"


def doctor(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["doctor", *args])
    return code, capsys.readouterr().out


def lines_of(out: str, level: str, area: str) -> str:
    """The finding lines of one area at one level, with their fix lines."""
    found, taking = [], False
    for line in out.splitlines():
        if line[:4].strip() in ("ok", "warn", "FAIL", "skip"):
            taking = line.startswith(f"{level:<4}  {area}")
        if taking:
            found.append(line)
    return "\n".join(found)


async def test_a_working_socket_mode_setup_passes(clean_env: pytest.MonkeyPatch, migrated: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    async with SlackStandIn() as slack:
        for name, value in {"SLACK_BOT_TOKEN": slack.team.bot_token, "SLACK_APP_TOKEN": slack.app_token,
                            "SLACK_API_URL": slack.base_url, "DISCORD_TOKEN": DISCORD_TOKEN,
                            "MERIDIAN_SECRET_KEY": Fernet.generate_key().decode()}.items():
            clean_env.setenv(name, value)
        code, out = await asyncio.to_thread(doctor, capsys, "--db", migrated)
        assert {c.method for c in slack.calls} == {"auth.test", "apps.connections.open"}
    assert code == 0, out
    assert "FAIL" not in out and "warn" not in out
    assert "SLACK_BOT_TOKEN works: bot meridian in Acme (T0001)" in lines_of(out, "ok", "slack")
    assert "SLACK_APP_TOKEN works" in lines_of(out, "ok", "slack")
    assert "123456789012345678" in lines_of(out, "ok", "discord")       # the bot id inside the token
    assert lines_of(out, "ok", "migrations") and lines_of(out, "ok", "database")
    assert "Everything Meridian needs is in place." in out


async def test_a_token_slack_refuses_is_named_with_the_fix(clean_env: pytest.MonkeyPatch, migrated: str,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    async with SlackStandIn() as slack:
        for name, value in {"SLACK_BOT_TOKEN": "xoxb-revoked-0000", "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                            "SLACK_API_URL": slack.base_url}.items():
            clean_env.setenv(name, value)
        code, out = await asyncio.to_thread(doctor, capsys, "--db", migrated)
    assert code == 1
    found = lines_of(out, "FAIL", "slack")
    assert "Slack refused SLACK_BOT_TOKEN (invalid_auth)" in found and "reinstall the app" in found
    assert "1 problem(s) must be fixed" in out


def test_slack_out_of_reach_is_said_plainly(clean_env: pytest.MonkeyPatch, migrated: str,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as probe:       # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    clean_env.setenv("SLACK_BOT_TOKEN", "xoxb-1-2-3")
    clean_env.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    clean_env.setenv("SLACK_API_URL", f"http://127.0.0.1:{port}/api/")
    code, out = doctor(capsys, "--db", migrated)
    assert code == 1
    assert "could not reach Slack" in lines_of(out, "FAIL", "slack") and "network" in out


@pytest.mark.parametrize("env, area, complaint, fix", [
    ({"SLACK_APP_TOKEN": "xapp-1-A1-2-abc"}, "slack", "needs SLACK_BOT_TOKEN", "Fix: set the missing"),
    ({"SLACK_BOT_TOKEN": "xoxp-1-2-3", "SLACK_SIGNING_SECRET": SIGNING_SECRET}, "slack", "a user token (xoxp-)",
     "starts with xoxb-"),
    ({"SLACK_BOT_TOKEN": "xoxb-1-2-3", "SLACK_APP_TOKEN": "xoxb-1-2-3"}, "slack", "not an app-level token", "xapp-"),
    ({"SLACK_CLIENT_ID": "1.2", "SLACK_CLIENT_SECRET": "s", "SLACK_SIGNING_SECRET": SIGNING_SECRET}, "slack",
     "MERIDIAN_SECRET_KEY", "Fix:"),
    ({"DISCORD_TOKEN": "Bot " + DISCORD_TOKEN}, "discord", "starts with 'Bot '", "remove the 'Bot ' prefix"),
    ({"DISCORD_TOKEN": "0123456789abcdef0123456789abcdef"}, "discord", "does not look like a bot token", "Reset Token"),
    ({"MERIDIAN_TICK_SECONDS": "soon"}, "configuration", "MERIDIAN_TICK_SECONDS must be a number", "Fix:"),
    ({"MERIDIAN_LOG_FORMAT": "xml"}, "configuration", "MERIDIAN_LOG_FORMAT must be json or text", "Fix:"),
    ({"MERIDIAN_HTTP_PORT": "99999"}, "configuration", "is not a port", "1 to 65535"),
])
def test_each_broken_setting_is_named_with_its_fix(env: dict[str, str], area: str, complaint: str, fix: str,
                                                   clean_env: pytest.MonkeyPatch, migrated: str,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    for name, value in env.items():
        clean_env.setenv(name, value)
    code, out = doctor(capsys, "--offline", "--db", migrated)
    assert code == 1
    found = lines_of(out, "FAIL", area)
    assert complaint in found and fix in found, out


def test_an_unreachable_or_missing_database(clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = doctor(capsys, "--offline", "--db", "postgresql://meridian@127.0.0.1:1/meridian")
    assert code == 1
    found = lines_of(out, "FAIL", "database")
    assert "does not answer" in found and "is PostgreSQL running" in found
    assert "not checked" in lines_of(out, "skip", "migrations")

    from tests.conftest import POSTGRES_URL, postgres_available
    if postgres_available():
        code, out = doctor(capsys, "--offline", "--db", POSTGRES_URL.rsplit("/", 1)[0] + "/no_such_database_here")
        assert code == 1 and "createdb" in lines_of(out, "FAIL", "database")


def test_migrations_behind_or_ahead(clean_env: pytest.MonkeyPatch, tmp_path: Path, migrated: str,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    empty = Database(f"sqlite:///{tmp_path / 'empty.db'}", migrate=False)
    with empty.engine.begin() as connection:           # the file exists, nothing applied yet
        connection.execute(text("CREATE TABLE placeholder (id INTEGER)"))
    empty.dispose()
    code, out = doctor(capsys, "--offline", "--db", f"sqlite:///{tmp_path / 'empty.db'}")
    assert code == 0                                   # serve would apply them: a warning, not a failure
    found = lines_of(out, "warn", "migrations")
    assert "0001_core" in found and "meridian db upgrade" in found

    newer = Database(migrated, migrate=False)
    with newer.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9901_from_the_future' "
                                "WHERE version_num = '0001_core' OR version_num = (SELECT MIN(version_num) FROM alembic_version)"))
    newer.dispose()
    code, out = doctor(capsys, "--offline", "--db", migrated)
    assert code == 1
    assert "9901_from_the_future" in lines_of(out, "FAIL", "migrations") and "newer" in out


def test_stored_tokens_need_the_key_they_were_stored_with(clean_env: pytest.MonkeyPatch, migrated: str,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    old_key, new_key = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    db = Database(migrated, migrate=False)
    with db.session() as session:
        workspace = ensure_workspace(session, "slack", "T0002", "Beta")
        save_installation(session, workspace, secret=Cipher(old_key).encrypt("{}"), installed_at=workspace.created_at)
    db.dispose()

    code, out = doctor(capsys, "--offline", "--db", migrated)
    assert code == 1 and "MERIDIAN_SECRET_KEY is not set" in lines_of(out, "FAIL", "secret key")

    clean_env.setenv("MERIDIAN_SECRET_KEY", new_key)
    code, out = doctor(capsys, "--offline", "--db", migrated)
    found = lines_of(out, "FAIL", "secret key")
    assert code == 1 and "1 of 1 stored installation(s) cannot be decrypted" in found and "new,old" in found

    clean_env.setenv("MERIDIAN_SECRET_KEY", f"{new_key},{old_key}")      # the rotation the fix describes
    code, out = doctor(capsys, "--offline", "--db", migrated)
    assert code == 0 and "1 stored installation(s) decrypt" in lines_of(out, "ok", "secret key")
