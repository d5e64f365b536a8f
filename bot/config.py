"""All of Meridian's configuration, in one typed place, read from the environment.

Every knob an operator can turn is a field here; nothing else reads os.environ.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, fields
from datetime import timedelta
from pathlib import Path
from typing import Mapping
from urllib.parse import unquote

import platformdirs


def default_database_url() -> str:
    """SQLite in the user's data directory: the embedded default for one process."""
    data_dir = Path(platformdirs.user_data_dir("meridian", appauthor=False))
    return f"sqlite:///{data_dir / 'meridian.db'}"


@dataclass(frozen=True)
class Settings:
    database_url: str = field(default_factory=default_database_url, metadata={"env": "MERIDIAN_DATABASE_URL", "doc": "SQLAlchemy URL of the database (SQLite file or postgresql+psycopg://...)."})
    secret_key: str = field(default="", metadata={"env": "MERIDIAN_SECRET_KEY", "doc": "Key that encrypts platform tokens at rest (Fernet key or any passphrase)."})
    log_level: str = field(default="INFO", metadata={"env": "MERIDIAN_LOG_LEVEL", "doc": "Log level: DEBUG, INFO, WARNING, ERROR."})
    log_format: str = field(default="json", metadata={"env": "MERIDIAN_LOG_FORMAT", "doc": "Log format of `meridian serve`: json (one object per line) or text. Secrets are removed from both."})
    shutdown_seconds: float = field(default=25.0, metadata={"env": "MERIDIAN_SHUTDOWN_SECONDS", "doc": "On SIGTERM, how long sends in flight may take to finish; keep it below the kill timeout (Kubernetes: 30 s)."})
    http_host: str = field(default="0.0.0.0", metadata={"env": "MERIDIAN_HTTP_HOST", "doc": "Address the HTTP server (Slack events, OAuth pages, /healthz) binds to."})
    http_port: int = field(default=8080, metadata={"env": "MERIDIAN_HTTP_PORT", "doc": "Port of the HTTP server."})
    metrics_host: str = field(default="127.0.0.1", metadata={"env": "MERIDIAN_METRICS_HOST", "doc": "Address the /metrics listener binds to: loopback unless your scraper needs more (e.g. 0.0.0.0 inside a pod)."})
    metrics_port: int = field(default=9464, metadata={"env": "MERIDIAN_METRICS_PORT", "doc": "Port of the /metrics listener, kept apart from the public one."})
    tick_seconds: float = field(default=15.0, metadata={"env": "MERIDIAN_TICK_SECONDS", "doc": "How often the scheduler looks for due work."})
    replica_id: str = field(default="", metadata={"env": "MERIDIAN_REPLICA_ID", "doc": "Name of this replica in claims (default: host name and process id)."})
    uninstall_grace_days: int = field(default=30, metadata={"env": "MERIDIAN_UNINSTALL_GRACE_DAYS", "doc": "Days a workspace's data is kept after the app is uninstalled."})
    slack_bot_token: str = field(default="", metadata={"env": "SLACK_BOT_TOKEN", "doc": "Socket Mode: the bot token (xoxb-...) of the one workspace."})
    slack_app_token: str = field(default="", metadata={"env": "SLACK_APP_TOKEN", "doc": "Socket Mode: the app-level token (xapp-...)."})
    slack_client_id: str = field(default="", metadata={"env": "SLACK_CLIENT_ID", "doc": "HTTP mode with OAuth: the app's client id."})
    slack_client_secret: str = field(default="", metadata={"env": "SLACK_CLIENT_SECRET", "doc": "HTTP mode with OAuth: the app's client secret."})
    slack_signing_secret: str = field(default="", metadata={"env": "SLACK_SIGNING_SECRET", "doc": "Verifies that HTTP requests come from Slack."})
    slack_api_url: str = field(default="", metadata={"env": "SLACK_API_URL", "doc": "Override of Slack's Web API base URL (a local stand-in in tests)."})
    discord_token: str = field(default="", metadata={"env": "DISCORD_TOKEN", "doc": "The Discord bot token; starts the Discord adapter."})
    discord_message_content: int = field(default=0, metadata={"env": "DISCORD_MESSAGE_CONTENT", "doc": "1: ask for the privileged Message Content intent (enable it in the Developer Portal first), so times written where /convert is on get a reply."})
    discord_shard_count: int = field(default=0, metadata={"env": "DISCORD_SHARD_COUNT", "doc": "Shards for very large installs (0: let Discord decide)."})
    discord_client_id: str = field(default="", metadata={"env": "DISCORD_CLIENT_ID", "doc": "Web dashboard: the Discord application's client id (Sign in with Discord)."})
    discord_client_secret: str = field(default="", metadata={"env": "DISCORD_CLIENT_SECRET", "doc": "Web dashboard: the Discord application's OAuth2 client secret."})
    discord_api_url: str = field(default="", metadata={"env": "DISCORD_API_URL", "doc": "Override of Discord's API base URL for the web sign-in (a local stand-in in tests)."})
    public_url: str = field(default="", metadata={"env": "MERIDIAN_PUBLIC_URL", "doc": "Web dashboard: the address people open (https://… behind TLS: session cookies are then Secure); sign-in redirects come back here."})
    web_session_hours: int = field(default=12, metadata={"env": "MERIDIAN_WEB_SESSION_HOURS", "doc": "Web dashboard: hours a sign-in lasts."})
    api_rate_per_minute: int = field(default=60, metadata={"env": "MERIDIAN_API_RATE_PER_MINUTE", "doc": "Web API: requests per minute one token may make (per replica)."})
    standup_grace_minutes: int = field(default=120, metadata={"env": "MERIDIAN_STANDUP_GRACE_MINUTES", "doc": "How late a standup prompt may still be sent after downtime."})
    reminder_grace_minutes: int = field(default=10, metadata={"env": "MERIDIAN_REMINDER_GRACE_MINUTES", "doc": "How late a meeting reminder may still be sent."})
    calendar_allow: str = field(default="", metadata={"env": "MERIDIAN_CALENDAR_ALLOW", "doc": "Comma-separated hosts or networks (127.0.0.1, 10.0.0.0/8, cal.internal) that calendar feeds may use although private; by default only public addresses are fetched."})
    calendar_poll_minutes: int = field(default=30, metadata={"env": "MERIDIAN_CALENDAR_POLL_MINUTES", "doc": "How often each connected calendar feed is read (minutes); failures back off from this, up to 12 hours."})
    digest_grace_minutes: int = field(default=360, metadata={"env": "MERIDIAN_DIGEST_GRACE_MINUTES", "doc": "How late digests, summaries and coffee messages may still be sent."})

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> "Settings":
        """Build settings from environment variables; explicit overrides (CLI flags) win."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            name = f.metadata.get("env")
            if name and env.get(name, "") != "":
                raw = env[name]
                values[f.name] = _coerce(raw, f.type, name)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def grace_for(self, kind: str) -> timedelta:
        if kind.startswith("standup_prompt"):
            return timedelta(minutes=self.standup_grace_minutes)
        if kind == "meeting_reminder":
            return timedelta(minutes=self.reminder_grace_minutes)
        return timedelta(minutes=self.digest_grace_minutes)

    def redacted(self) -> dict[str, object]:
        """Settings safe to print or log: every secret replaced by a mark of whether it is set."""
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if _is_secret(f.name):
                value = "(set)" if value else "(unset)"
            elif f.name == "database_url":
                value = _URL_PASSWORD.sub(r"\1***\3", str(value))
            out[f.name] = value
        return out

    def secret_values(self) -> list[str]:
        """Every configured secret (tokens, keys, the database password): what logs must never contain."""
        found = [part.strip() for f in fields(self) if _is_secret(f.name)
                 for part in str(getattr(self, f.name)).split(",") if part.strip()]
        password = _URL_PASSWORD.search(self.database_url)
        if password:
            found += {password.group(2), unquote(password.group(2))}   # as written, and as the driver sees it
        return found


_URL_PASSWORD = re.compile(r"(://[^:/@\s]+:)([^@\s]+)(@)")   # scheme://user:PASSWORD@host


def _is_secret(name: str) -> bool:
    return any(word in name for word in ("token", "secret", "key"))


class ConfigError(ValueError):
    pass


def _coerce(raw: str, type_name: object, env_name: str) -> object:
    type_name = str(type_name)
    try:
        if type_name == "int":
            return int(raw)
        if type_name == "float":
            return float(raw)
    except ValueError:
        raise ConfigError(f"{env_name} must be a number, got {raw!r}") from None
    return raw


def environment_table() -> list[tuple[str, str, str]]:
    """(name, default, meaning) for every variable: the README's configuration table comes from here."""
    rows = []
    for f in fields(Settings):
        name = f.metadata.get("env")
        if not name:
            continue
        default = "(user data dir)/meridian.db" if f.name == "database_url" else repr(f.default) if f.default != "" else "(empty)"
        rows.append((name, default, f.metadata.get("doc", "")))
    return rows


def environment_markdown() -> str:
    """The README's configuration table, generated from `Settings` (a test keeps the README equal to it)."""
    lines = ["| Variable | Default | Meaning |", "|---|---|---|"]
    lines += [f"| `{name}` | `{default}` | {doc} |" for name, default, doc in environment_table()]
    return "\n".join(lines)
