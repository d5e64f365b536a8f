"""Fixtures of the dashboard's tests.

- `web_client`: the dashboard as its own aiohttp app over real HTTP on 127.0.0.1 (aiohttp's test
  server), on each database engine, for the tests of sessions, isolation and the API;
- `live` and `browser`: for the browser tests, one process-wide server in a background thread (the
  demo team with its history in a SQLite file, Sign in with Slack and with Discord against local
  stand-ins) and one headless Chromium, Debian's /usr/bin/chromium driven by Playwright (never
  Playwright's own browser download). Without Chromium the browser tests are skipped locally; with
  MERIDIAN_REQUIRE_BROWSER=1 (set by .ci/run) they fail instead.

Screenshots of every page visited go to tests/web/screenshots/ (ignored by git), for people to look at.
"""
from __future__ import annotations

import asyncio
import os
import shutil
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.config import Settings
from bot.core import Meridian
from bot.models import Member, Workspace
from bot.store import Database
from bot.time import SimulatedClock
from web.app import create_app
from tests.support.http import serve_locally

CHROMIUM = os.environ.get("MERIDIAN_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("MERIDIAN_REQUIRE_BROWSER", "").strip().lower() in {"1", "true", "yes"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = Path(__file__).with_name("screenshots")
# A Wednesday in November 2026: the demo history covers all of October ("last month").
BROWSER_NOW = datetime(2026, 11, 18, 15, 0, tzinfo=timezone.utc)


@pytest.fixture
def web_settings(settings: Settings) -> Settings:
    return replace(settings, web_session_hours=12, api_rate_per_minute=1000)


@pytest.fixture
async def web_client(db: Database, clock: SimulatedClock, web_settings: Settings) -> AsyncIterator[TestClient]:
    core = Meridian(db, clock=clock, settings=web_settings)
    async with TestClient(TestServer(create_app(core, web_settings))) as client:
        yield client


# --- the browser -----------------------------------------------------------------------------------

def _no_browser(reason: str) -> None:
    if REQUIRE_BROWSER:
        pytest.fail(f"MERIDIAN_REQUIRE_BROWSER is set but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium per test module. Not per session: Playwright's sync API runs its own event loop in
    this thread while it is open, and the async tests that xdist may run next on this worker need it closed."""
    if not Path(CHROMIUM).exists():
        _no_browser(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _no_browser("Playwright for Python is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@dataclass
class Live:
    """The dashboard served from a background thread, and the stand-ins it signs people in with."""

    origin: str
    db: Database
    slack: Any
    discord: Any
    loop: asyncio.AbstractEventLoop

    def call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(30)


@pytest.fixture(scope="session")
def live(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Iterator[Live]:
    from tests.support.discord_standin import DiscordStandIn, Guild
    from tests.support.slack_standin import SlackStandIn
    from web.demo import seed_demo_history

    path = tmp_path_factory.mktemp("web-live") / "web.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}", migrate=False)
    with db.session() as session:
        seed_demo_history(session, BROWSER_NOW)
        slack_ws = Workspace(platform="slack", external_id="T0001", name="Acme on Slack", locale="en")
        discord_ws = Workspace(platform="discord", external_id="9001", name="Acme on Discord", locale="en")
        session.add_all([slack_ws, discord_ws])
        session.flush()
        session.add_all([Member(workspace_id=slack_ws.id, user_id="U1", name="Uma Slack", tz="Asia/Kolkata", country="IN"),
                         Member(workspace_id=discord_ws.id, user_id="555", name="Dana Discord", tz="America/Chicago",
                                country="US")])
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="web-live", daemon=True)
    thread.start()

    async def start() -> tuple[web.AppRunner, Any, Any, int]:
        slack = await SlackStandIn().start()
        slack.add_user("U1", "uma", tz="Asia/Kolkata", is_admin=True)
        slack.signin_user = "U1"
        discord = await DiscordStandIn().start()
        discord.add_user("555", "dana", Guild("9001", "Acme on Discord", permissions=0x20), Guild("77", "Elsewhere"))
        discord.signin_user = "555"
        settings = Settings.from_env({}, database_url=db.url, slack_client_id=slack.client_id,
                                     slack_client_secret=slack.client_secret, slack_bot_token=slack.team.bot_token,
                                     slack_api_url=slack.base_url, discord_client_id=discord.client_id,
                                     discord_client_secret=discord.client_secret, discord_api_url=discord.api_url,
                                     api_rate_per_minute=1000)
        core = Meridian(db, clock=SimulatedClock(BROWSER_NOW), settings=settings)
        runner, port = await serve_locally(create_app(core, settings, demo=True))
        return runner, slack, discord, port

    runner, slack, discord, port = asyncio.run_coroutine_threadsafe(start(), loop).result(60)
    running = Live(f"http://127.0.0.1:{port}", db, slack, discord, loop)
    yield running
    running.call(runner.cleanup())
    running.call(slack.stop())
    running.call(discord.stop())
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    db.dispose()


class Watched:
    """A browser page whose console errors and uncaught exceptions are collected (a test fails on any)."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.errors: list[str] = []
        page.on("console", lambda message: self.errors.append(f"console: {message.text}") if message.type == "error" else None)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
def page(browser: Any, live: Live) -> Iterator[Watched]:
    context = browser.new_context(base_url=live.origin, accept_downloads=True, locale="en-US",
                                  viewport={"width": 1280, "height": 900})
    watched = Watched(context.new_page())
    yield watched
    context.close()
    assert watched.errors == [], f"the browser reported errors: {watched.errors}"


def demo_member(db: Database, user_id: str) -> Member:
    with db.session() as session:
        found = session.scalar(select(Member).join(Workspace).where(Workspace.platform == "console",
                                                                    Member.user_id == user_id))
        assert found is not None
        return found
