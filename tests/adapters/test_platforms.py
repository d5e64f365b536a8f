"""One platform-adapter interface: Slack, Discord and the console are `PlatformAdapter`s, one factory picks
them from the settings, `meridian serve` only iterates them, and no adapter holds database code."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from adapters.base import PlatformAdapter
from adapters.console.adapter import ConsoleAdapter
from adapters.console.sender import ConsoleSender
from adapters.platforms import configured_adapters
from bot.config import ConfigError, Settings
from bot.core import Meridian
from bot.store import Database

ROOT = Path(__file__).parents[2]
SLACK_HTTP = {"SLACK_BOT_TOKEN": "xoxb-1-2-abc", "SLACK_SIGNING_SECRET": "s3cret"}
DISCORD = {"DISCORD_TOKEN": "discord-token"}


@pytest.fixture
def sqlite_core(sqlite_db: Database) -> Meridian:
    return Meridian(sqlite_db, settings=Settings.from_env({}))


def test_no_platform_configured_means_no_adapter() -> None:
    assert configured_adapters(Settings.from_env({})) == []


async def test_slack_and_discord_are_built_in_start_order_as_platform_adapters(sqlite_core: Meridian) -> None:
    settings = Settings.from_env({**SLACK_HTTP, **DISCORD})
    adapters = [build(sqlite_core) for build in configured_adapters(settings)]      # built, never started
    assert [(a.name, a.label) for a in adapters] == [("slack", "slack (http)"), ("discord", "discord")]
    assert all(isinstance(a, PlatformAdapter) for a in adapters)
    slack, discord = adapters
    assert {r.path for r in slack.routes()} == {"/slack/events"}     # type: ignore[attr-defined]
    assert discord.routes() == []                                     # the gateway connects out


def test_a_half_configured_platform_fails_before_anything_is_built() -> None:
    with pytest.raises(ConfigError):
        configured_adapters(Settings.from_env({"SLACK_BOT_TOKEN": "xoxb-1-2-abc"}))


async def test_the_console_is_a_platform_adapter_without_routes(tmp_path: Path) -> None:
    adapter = ConsoleAdapter(ConsoleSender(log_path=tmp_path / "sent.jsonl"))
    assert isinstance(adapter, PlatformAdapter) and adapter.name == "console" and adapter.routes() == []
    await adapter.start()
    await adapter.stop()
    await adapter.close()
    assert adapter.sender._log is None                   # the log file is closed


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_serve_knows_adapters_only_through_the_protocol_and_the_factory() -> None:
    source = (ROOT / "operations" / "serve.py").read_text(encoding="utf-8")
    assert not {m for m in _imports(ROOT / "operations" / "serve.py") if m.startswith(("adapters.slack", "adapters.discord"))}
    assert "hasattr(" not in source and "adapters.platforms" in source


def test_no_adapter_holds_database_code() -> None:
    """Adapters reach the database only through bot.core.Meridian; catching the driver's errors is allowed."""
    offending = {}
    for path in sorted((ROOT / "adapters").rglob("*.py")):
        bad = {m for m in _imports(path) if m in ("bot.models", "bot.store", "bot.installations")
               or (m.startswith("sqlalchemy") and m != "sqlalchemy.exc")}
        if bad:
            offending[str(path.relative_to(ROOT))] = sorted(bad)
    assert offending == {}


def test_adapters_keep_only_platforms_and_what_they_share() -> None:
    modules = {p.name for p in (ROOT / "adapters").iterdir() if not p.name.startswith((".", "__"))}
    assert modules == {"base.py", "platforms.py", "common.py", "pacing.py", "limits.py", "slack", "discord", "console"}
