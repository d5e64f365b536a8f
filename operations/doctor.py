"""`meridian doctor`: check the configuration, the database and the platform credentials, and say
plainly what is wrong and how to fix it.

Each check yields Findings (ok, warn, fail or skip), each with a fix when something is wrong. The
doctor only reads: it never creates the database, applies migrations or changes a token. Online
checks ask Slack itself (auth.test with the bot token, apps.connections.open with the app token,
at SLACK_API_URL when set); `--offline` skips them. A Discord token is checked by its shape only.
"""
from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Iterator, Mapping, Sequence

from alembic.util.exc import CommandError
from sqlalchemy import select, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from bot.config import ConfigError, Settings
from bot.store import UnknownRevisionError, make_engine, normalize_url, pending_migrations

OK, WARN, FAIL, SKIP = "ok", "warn", "FAIL", "skip"
FERNET_HINT = ("python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'")
SLACK_TOKEN_REFUSED = frozenset({"invalid_auth", "not_authed", "token_revoked", "token_expired", "account_inactive"})


@dataclass(frozen=True)
class Finding:
    area: str
    level: str            # ok | warn | FAIL | skip
    message: str
    fix: str = ""


def diagnose(env: Mapping[str, str] | None = None, *, database_url: str | None = None,
             online: bool = True) -> list[Finding]:
    """Every finding, in the order an operator fixes things: settings, database, secrets, platforms."""
    try:
        settings = Settings.from_env(env, database_url=database_url)
    except ConfigError as error:
        return [Finding("configuration", FAIL, str(error), "Fix: correct that variable (see the README's "
                        "configuration table, or `meridian config --markdown`).")]
    findings = list(check_settings(settings, env))
    engine = None
    database = list(check_database(settings))
    findings += database
    if all(f.level == OK for f in database):
        engine = _engine(settings.database_url)
        try:
            migrations = list(check_migrations(engine))
            findings += migrations
            findings += check_secret_key(settings, engine if all(f.level == OK for f in migrations) else None)
        finally:
            engine.dispose()
    else:
        findings.append(Finding("migrations", SKIP, "not checked: the database is not ready"))
        findings += check_secret_key(settings, None)
    findings += check_slack(settings, online=online)
    findings += check_discord(settings)
    return findings


# --- configuration ---------------------------------------------------------------------------------

def check_settings(settings: Settings, env: Mapping[str, str] | None) -> Iterator[Finding]:
    problems: list[tuple[str, str]] = []
    if settings.log_format.strip().lower() not in ("json", "text"):
        problems.append(("MERIDIAN_LOG_FORMAT must be json or text", "Fix: set MERIDIAN_LOG_FORMAT=json (or text)."))
    if settings.log_level.upper() not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        problems.append((f"MERIDIAN_LOG_LEVEL {settings.log_level!r} is not a log level",
                         "Fix: set MERIDIAN_LOG_LEVEL to DEBUG, INFO, WARNING or ERROR."))
    if not 0 <= settings.http_port <= 65535:
        problems.append((f"MERIDIAN_HTTP_PORT {settings.http_port} is not a port", "Fix: use a port from 1 to 65535."))
    if not 0 <= settings.metrics_port <= 65535:
        problems.append((f"MERIDIAN_METRICS_PORT {settings.metrics_port} is not a port", "Fix: use a port from 1 to 65535."))
    if settings.tick_seconds <= 0:
        problems.append(("MERIDIAN_TICK_SECONDS must be more than 0", "Fix: unset it (15 s) or give a positive number."))
    if settings.shutdown_seconds < 0:
        problems.append(("MERIDIAN_SHUTDOWN_SECONDS must not be negative", "Fix: unset it (25 s)."))
    for name in ("uninstall_grace_days", "standup_grace_minutes", "reminder_grace_minutes", "digest_grace_minutes",
                 "discord_shard_count"):
        if getattr(settings, name) < 0:
            variable = next(f.metadata["env"] for f in fields(Settings) if f.name == name)
            problems.append((f"{variable} must not be negative", f"Fix: unset {variable} or give 0 or more."))
    for message, fix in problems:
        yield Finding("configuration", FAIL, message, fix)
    if not problems:
        names = {f.metadata["env"] for f in fields(Settings) if "env" in f.metadata}
        given = [n for n in names if (os.environ if env is None else env).get(n)]
        yield Finding("configuration", OK, f"{len(given)} of {len(names)} settings come from the environment; "
                                           "the rest are defaults (`meridian config` shows them)")


# --- database --------------------------------------------------------------------------------------

def _shown(url: str) -> str:
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except ArgumentError:
        return "(unreadable URL)"


def _engine(url: str) -> Engine:
    url = normalize_url(url)
    if make_url(url).get_backend_name() == "postgresql":
        return make_engine(url, connect_args={"connect_timeout": 5})
    return make_engine(url)


def check_database(settings: Settings) -> Iterator[Finding]:
    url = settings.database_url
    try:
        parsed = make_url(normalize_url(url))
    except ArgumentError:
        yield Finding("database", FAIL, "MERIDIAN_DATABASE_URL is not a database URL",
                      "Fix: use sqlite:////absolute/path/meridian.db or postgresql+psycopg://user:password@host:5432/dbname.")
        return
    backend = parsed.get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        yield Finding("database", FAIL, f"Meridian supports SQLite and PostgreSQL, not {backend}",
                      "Fix: use sqlite:///... or postgresql+psycopg://...")
        return
    if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
        path = Path(parsed.database).expanduser()
        if not path.exists():
            parent = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
            if parent is None or not os.access(parent, os.W_OK):
                yield Finding("database", FAIL, f"the SQLite file {path} does not exist and cannot be created there",
                              "Fix: point MERIDIAN_DATABASE_URL at a directory Meridian's user may write to.")
            else:
                yield Finding("database", WARN, f"the SQLite file {path} does not exist yet",
                              "Fix: run `meridian db upgrade` (or start `meridian serve`), which creates it.")
            return
    try:
        engine = _engine(url)
        try:
            with engine.connect() as connection:
                connection.execute(text("SELECT 1"))
        finally:
            engine.dispose()
    except NoSuchModuleError as error:
        yield Finding("database", FAIL, f"no database driver for {parsed.drivername}: {error}",
                      "Fix: write the URL as postgresql+psycopg://... (psycopg 3 is installed with Meridian).")
        return
    except SQLAlchemyError as error:
        yield Finding("database", FAIL, f"{_shown(url)} does not answer: {_first_line(error)}", _database_fix(str(error), backend))
        return
    note = " (one Meridian process only; for replicas see `meridian db copy`)" if backend == "sqlite" else ""
    yield Finding("database", OK, f"{_shown(url)} answers{note}")


def _first_line(error: BaseException) -> str:
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__


def _database_fix(message: str, backend: str) -> str:
    lowered = message.lower()
    if backend == "sqlite":
        return "Fix: check that the file is a Meridian SQLite database and that Meridian's user may read and write it."
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return "Fix: the user name or password in MERIDIAN_DATABASE_URL is wrong (user:password@host)."
    if "does not exist" in lowered and "database" in lowered:
        return "Fix: create the database first (e.g. `createdb -O <user> <name>`), then run `meridian db upgrade`."
    if "role" in lowered and "does not exist" in lowered:
        return "Fix: create that PostgreSQL user, or put an existing one in MERIDIAN_DATABASE_URL."
    if "timeout" in lowered or "refused" in lowered or "could not translate host" in lowered or "connect" in lowered:
        return ("Fix: is PostgreSQL running and reachable from here? Check the host and port in "
                "MERIDIAN_DATABASE_URL and any firewall between them.")
    return "Fix: check MERIDIAN_DATABASE_URL (host, port, user, password, database name)."


def check_migrations(engine: Engine) -> Iterator[Finding]:
    try:
        pending = pending_migrations(engine)
    except UnknownRevisionError as error:
        yield Finding("migrations", FAIL, str(error),
                      "Fix: run the Meridian version that migrated this database (or newer); never point an older "
                      "version at it.")
        return
    if pending:
        yield Finding("migrations", WARN, f"{len(pending)} migration(s) not applied yet: {', '.join(pending)}",
                      "Fix: run `meridian db upgrade` (`meridian serve` also applies them when it starts).")
    else:
        yield Finding("migrations", OK, "the schema is up to date")


# --- secrets at rest -------------------------------------------------------------------------------

def check_secret_key(settings: Settings, engine: Engine | None) -> Iterator[Finding]:
    from bot.crypto import Cipher, SecretError
    from bot.installations import Installation

    stored: list[str] = []
    if engine is not None:
        with engine.connect() as connection:
            stored = list(connection.scalars(select(Installation.secret)))
    if not settings.secret_key:
        if stored:
            yield Finding("secret key", FAIL, f"{len(stored)} platform installation(s) are stored encrypted, but "
                          "MERIDIAN_SECRET_KEY is not set, so their tokens cannot be read",
                          "Fix: set MERIDIAN_SECRET_KEY to the key they were stored with.")
        return
    parts = [p.strip() for p in settings.secret_key.split(",") if p.strip()]
    if not _is_fernet_key(parts[0]) and len(parts[0]) < 16:
        yield Finding("secret key", WARN, "MERIDIAN_SECRET_KEY is a short passphrase",
                      f"Fix: use a generated key: {FERNET_HINT} (keep the old one after it, comma-separated, "
                      "until every token was stored again).")
    cipher = Cipher(settings.secret_key)
    unreadable = 0
    for secret in stored:
        try:
            cipher.decrypt(secret)
        except SecretError:
            unreadable += 1
    if unreadable:
        yield Finding("secret key", FAIL, f"{unreadable} of {len(stored)} stored installation(s) cannot be decrypted "
                      "with MERIDIAN_SECRET_KEY (was the key changed?)",
                      "Fix: put the previous key back, after the new one and comma-separated (new,old); or reinstall "
                      "the app in those workspaces.")
    elif stored:
        yield Finding("secret key", OK, f"{len(stored)} stored installation(s) decrypt with MERIDIAN_SECRET_KEY")
    elif engine is not None:
        yield Finding("secret key", OK, "set (no installations stored yet)")


def _is_fernet_key(value: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(value.encode("ascii"))) == 32
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return False


# --- Slack ------------------------------------------------------------------------------------------

def check_slack(settings: Settings, *, online: bool) -> Iterator[Finding]:
    from adapters.slack.app import SLACK_API, slack_mode

    try:
        mode = slack_mode(settings)
    except ConfigError as error:
        yield Finding("slack", FAIL, str(error), "Fix: set the missing variables, or unset the Slack ones you do not "
                      "use (README, section Slack: Socket Mode, HTTP, or HTTP with OAuth).")
        return
    if mode is None:
        yield Finding("slack", SKIP, "not configured (no SLACK_* variables)")
        return
    shapes = list(_slack_shapes(settings, mode))
    yield from shapes
    if any(f.level == FAIL for f in shapes):
        return
    if not online:
        yield Finding("slack", SKIP, f"{mode} mode; credentials not checked with Slack (--offline)")
        return
    api = settings.slack_api_url or SLACK_API
    if mode == "oauth":
        yield Finding("slack", OK, "HTTP mode with OAuth: each workspace's token comes from its installation")
        return
    yield _ask_slack(api, "auth.test", settings.slack_bot_token, "SLACK_BOT_TOKEN",
                     "Fix: reinstall the app to the workspace and copy the Bot User OAuth Token (xoxb-) from "
                     "OAuth & Permissions into SLACK_BOT_TOKEN.")
    if mode == "socket":
        yield _ask_slack(api, "apps.connections.open", settings.slack_app_token, "SLACK_APP_TOKEN",
                         "Fix: create an app-level token with the connections:write scope (Basic Information -> "
                         "App-Level Tokens) and put it in SLACK_APP_TOKEN; Socket Mode must be on.")


def _slack_shapes(settings: Settings, mode: str) -> Iterator[Finding]:
    token = settings.slack_bot_token
    if mode in ("socket", "http") and not token.startswith("xoxb-"):
        kind = "a user token (xoxp-)" if token.startswith("xoxp-") else "not a bot token"
        yield Finding("slack", FAIL, f"SLACK_BOT_TOKEN is {kind}",
                      "Fix: use the Bot User OAuth Token, which starts with xoxb- (OAuth & Permissions).")
    if mode == "socket" and not settings.slack_app_token.startswith("xapp-"):
        yield Finding("slack", FAIL, "SLACK_APP_TOKEN is not an app-level token",
                      "Fix: use the app-level token from Basic Information -> App-Level Tokens; it starts with xapp-.")
    secret = settings.slack_signing_secret
    if secret and not re.fullmatch(r"[0-9a-f]{32}", secret):
        yield Finding("slack", WARN, "SLACK_SIGNING_SECRET does not look like a Slack signing secret (32 hex digits)",
                      "Fix: copy the Signing Secret from Basic Information -> App Credentials (not the client secret "
                      "or a token); otherwise every request from Slack is refused with 401.")
    if mode == "oauth" and not re.fullmatch(r"\d+\.\d+", settings.slack_client_id):
        yield Finding("slack", WARN, "SLACK_CLIENT_ID does not look like a Slack client id (digits.digits)",
                      "Fix: copy the Client ID from Basic Information -> App Credentials.")


def _ask_slack(api: str, method: str, token: str, variable: str, fix: str) -> Finding:
    from slack_sdk import WebClient
    from slack_sdk.errors import SlackApiError

    client = WebClient(token=token, base_url=api if api.endswith("/") else api + "/", timeout=10)
    try:
        answer = client.api_call(method)
    except SlackApiError as error:
        code = error.response.get("error", "error")
        if code in SLACK_TOKEN_REFUSED:
            return Finding("slack", FAIL, f"Slack refused {variable} ({code})", fix)
        return Finding("slack", FAIL, f"Slack answered {method} with {code}", fix)
    except Exception as error:  # network: DNS, refused, timeout, proxy
        return Finding("slack", FAIL, f"could not reach Slack at {api}: {_first_line(error)}",
                       "Fix: check this machine's network and proxy settings (and SLACK_API_URL if you set it).")
    if method == "auth.test":
        return Finding("slack", OK, f"{variable} works: bot {answer.get('user', '?')} in {answer.get('team', '?')} "
                                    f"({answer.get('team_id', '?')})")
    return Finding("slack", OK, f"{variable} works ({method})")


# --- Discord ----------------------------------------------------------------------------------------

DISCORD_TOKEN_SHAPE = re.compile(r"([A-Za-z0-9_-]{17,40})\.([A-Za-z0-9_-]{5,8})\.([A-Za-z0-9_-]{25,})")


def check_discord(settings: Settings) -> Iterator[Finding]:
    token = settings.discord_token
    if not token:
        yield Finding("discord", SKIP, "not configured (DISCORD_TOKEN is not set)")
        return
    fix = "Fix: copy the token from the Developer Portal (your application -> Bot -> Reset Token) into DISCORD_TOKEN."
    if token != token.strip():
        yield Finding("discord", FAIL, "DISCORD_TOKEN has spaces or a line break around it",
                      "Fix: remove them (a copied line break is the usual cause).")
        return
    if token.lower().startswith("bot "):
        yield Finding("discord", FAIL, "DISCORD_TOKEN starts with 'Bot '", "Fix: remove the 'Bot ' prefix; Meridian adds it.")
        return
    shape = DISCORD_TOKEN_SHAPE.fullmatch(token)
    bot_id = _discord_bot_id(shape.group(1)) if shape else None
    if bot_id is None:
        yield Finding("discord", FAIL, "DISCORD_TOKEN does not look like a bot token (three dot-separated parts, "
                      "the first one the bot's id)", fix + " A client secret or public key will not work.")
        return
    yield Finding("discord", OK, f"DISCORD_TOKEN is shaped like the bot token of application user {bot_id} "
                                 "(Discord itself checks it when `meridian serve` logs in)")


def _discord_bot_id(first_part: str) -> str | None:
    try:
        decoded = base64.urlsafe_b64decode(first_part + "=" * (-len(first_part) % 4)).decode("ascii")
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    return decoded if decoded.isdigit() else None


# --- output -----------------------------------------------------------------------------------------

def render(findings: list[Finding]) -> str:
    width = max(len(f.area) for f in findings)
    lines = []
    for finding in findings:
        lines.append(f"{finding.level:<4}  {finding.area:<{width}}  {finding.message}")
        if finding.fix and finding.level in (FAIL, WARN):
            lines.append(f"{'':<4}  {'':<{width}}  {finding.fix}")
    failed = sum(f.level == FAIL for f in findings)
    warned = sum(f.level == WARN for f in findings)
    if failed:
        lines.append(f"\n{failed} problem(s) must be fixed before Meridian can run properly.")
    elif warned:
        lines.append(f"\nNo blocking problem; {warned} warning(s) above.")
    else:
        lines.append("\nEverything Meridian needs is in place.")
    return "\n".join(lines)


# --- one line for any other command that met a database problem -------------------------------------

def explain_database_error(error: BaseException, urls: Sequence[str]) -> str:
    """What `meridian import`, `shell`, `db copy`… print instead of a traceback: what failed, then the fix.

    `urls` are the databases the command used (`db copy` has two); the one at fault is named. The same
    diagnosis as `meridian doctor` (whose fuller report it points to), in one line.
    """
    url = _failing_url(error, urls)
    shown = _shown(url) if url else "the database"
    if isinstance(error, ArgumentError):
        return (f"Database error: {url!r} is not a database URL. Fix: use sqlite:////absolute/path/meridian.db "
                "or postgresql+psycopg://user:password@host:5432/dbname.")
    if isinstance(error, NoSuchModuleError):
        return (f"Database error: Meridian supports SQLite and PostgreSQL, not {shown}. "
                "Fix: use sqlite:///... or postgresql+psycopg://...")
    if isinstance(error, (UnknownRevisionError, CommandError)):
        return (f"Database error: {shown}: {_first_line(error)}. Fix: run the Meridian version that migrated this "
                "database (or newer); never point an older version at it.")
    backend = "sqlite" if shown.startswith("sqlite") else "postgresql"
    return (f"Database error: {shown} does not answer: {_first_line(error)}. {_database_fix(str(error), backend)} "
            "`meridian doctor` checks everything.")


def _failing_url(error: BaseException, urls: Sequence[str]) -> str | None:
    """Which of the command's databases the error came from: the first that fails the doctor's own check."""
    if len(urls) < 2 or not isinstance(error, SQLAlchemyError):
        return urls[0] if urls else None
    for url in urls:
        try:
            if any(f.level == FAIL for f in check_database(Settings.from_env({}, database_url=url))):
                return url
        except ConfigError:
            return url
    return urls[0]
