"""Faults: the database away for a while, the platforms failing, and nothing lost or sent twice.

- PostgreSQL behind a TCP proxy that the test cuts and restores (`tests/support/tcp_proxy.py`):
  commands get a plain answer in the reader's language and change nothing; the scheduler's ticks
  during the outage do nothing and raise nothing; afterwards every ritual still within its grace
  period goes out once (older ones are recorded `missed`), including one whose send the platform
  accepted just as the database went away.
- Slack (the Web API stand-in) and Discord (the fake HTTP API), driven by the real engine: 429
  storms, 5xx before and after the platform acted, and Slack answering later than the client waits.

A process SIGKILLed in the middle of a fan-out is tests/scheduler/test_crash_and_replicas.py.
"""
from __future__ import annotations

import asyncio
from datetime import datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any, AsyncIterator, Iterator

import pytest
from aiohttp import web
from cryptography.fernet import Fernet
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.engine import make_url

from adapters.console.sender import ConsoleSender
from adapters.discord import DiscordAdapter
from adapters.pacing import Pacer
from adapters.slack.sender import SlackSender
from bot.time.clock import SimulatedClock
from bot.config import Settings
from bot.core import ActionRequest, CommandRequest, Meridian
from bot.i18n import Translator
from bot.members import Identity
from bot.models import Occurrence
from bot.store import Database
from scheduler.engine import Engine
from scheduler.simulate import run_until
from tests.adapters.fake_discord import GUILD_ID, FakeDiscord, adapter, discord_api  # noqa: F401
from tests.adapters.test_slack_oauth import install
from tests.conftest import _truncate_postgres
from tests.hardening.team import ok, say
from tests.scheduler.rituals_for_tests import DailyAt, make_team
from tests.support.slack_app import hook_text, running_slack
from tests.support.slack_standin import SlackStandIn
from tests.support.tcp_proxy import TcpProxy

UNREACHABLE = "I can't reach my database right now, so nothing was changed. Please try again in a minute."
MONDAY = datetime(2026, 3, 23, tzinfo=timezone.utc)
# 09:00 local on Monday: Cairo 07:00Z, Berlin and Lagos 08:00Z, London 09:00Z, New York 13:00Z.
TEAM = {"U1": "Europe/Berlin", "U2": "Africa/Lagos", "U3": "Europe/London", "U4": "America/New_York",
        "U5": "Africa/Cairo"}


def at(hour: int, minute: int = 0) -> datetime:
    return MONDAY.replace(hour=hour, minute=minute)


@pytest.fixture
def proxied(postgres_database: str) -> Iterator[tuple[Database, TcpProxy]]:
    """A PostgreSQL database reached only through a proxy the test can cut."""
    direct = Database(postgres_database, migrate=False)
    _truncate_postgres(direct)
    direct.dispose()
    url = make_url(postgres_database)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    through = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    db = Database(through, migrate=False, connect_args={"connect_timeout": 5})
    yield db, proxy
    proxy.close()
    db.dispose()


def statuses(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {f"{o.recipient}/{o.key}": o.status for o in session.scalars(select(Occurrence))}


# --- the database away --------------------------------------------------------------------------------

def test_while_the_database_is_away_commands_are_answered_plainly_and_change_nothing(proxied, clock) -> None:  # type: ignore[no-untyped-def]
    db, proxy = proxied
    core = Meridian(db, clock=clock, settings=Settings.from_env({}, database_url=db.url))
    ok(say(core, "amara", "/tz set Africa/Lagos"))
    proxy.cut()
    for locale, line in ((None, "/tz set Asia/Tokyo"), ("de", "/time"), ("ar", "/away 2026-04-01 2026-04-02"),
                         ("ja", "/help")):
        reply = core.handle(CommandRequest(Identity("console", "default", "amara", locale=locale), line))
        assert reply.error and reply.text == Translator(locale)._(UNREACHABLE), line
        assert reply.rtl == (locale == "ar")
    pressed = core.handle_action(ActionRequest(Identity("console", "default", "amara"), "coffee.met", "1"))
    assert pressed.error and pressed.text == UNREACHABLE
    proxy.restore()
    assert "Africa/Lagos" in ok(say(core, "amara", "/tz")).as_text()       # nothing changed, and it answers again
    assert "no upcoming time off" in ok(say(core, "amara", "/away list")).as_text()


async def test_rituals_wait_out_an_outage_and_resume_without_loss_or_duplicates(proxied) -> None:  # type: ignore[no-untyped-def]
    db, proxy = proxied
    make_team(db, TEAM)
    clock = SimulatedClock(at(6))
    sender = ConsoleSender(clock=clock)
    engine = Engine(db, clock, {"console": sender}, rituals={"hello": DailyAt("hello", time(9, 0), parts=2)},
                    replica_id="faults")
    await engine.tick()                                      # plans Monday 09:00 for everyone
    proxy.cut()
    for hour in (7, 8, 9):                                   # ticks while the database is away: no error, no work
        clock.set(at(hour))
        result = await engine.tick()
        assert result.claimed == 0 and sender.messages == []
    proxy.restore()
    clock.set(at(9, 30))
    await run_until(engine, clock, at(23))

    done = statuses(db)
    assert done["U5/2026-03-23"] == "missed"                 # Cairo's 07:00Z: 150 minutes late, grace is 120
    assert all(done[f"{user}/2026-03-23"] == "sent" for user in ("U1", "U2", "U3", "U4"))
    keys = [m.dedupe_key for m in sender.messages]
    assert len(keys) == 8 and len(set(keys)) == 8            # four members, two parts each, each once
    late = {m.message.to for m in sender.messages if m.at == at(9, 30)}
    assert late == {"U1", "U2", "U3"}                        # sent late, as soon as the database was back


async def test_the_database_going_away_right_after_the_platform_accepted_a_message_repeats_nothing(
        proxied, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db, proxy = proxied
    make_team(db, {f"U{i}": "Europe/Berlin" for i in range(6)})
    clock = SimulatedClock(at(7, 59))
    cut_once: list[str] = []

    def platform_accepted(message: Any) -> None:
        if not cut_once:                                     # the record of this send cannot be written
            cut_once.append(message.dedupe_key)
            proxy.cut()

    sender = ConsoleSender(clock=clock, log_path=tmp_path / "platform.jsonl", on_send=platform_accepted)
    engine = Engine(db, clock, {"console": sender}, rituals={"hello": DailyAt("hello", time(9, 0), parts=2)},
                    replica_id="faults", concurrency=3)
    await engine.tick()
    clock.set(at(8))
    await engine.tick()                                      # the cut happens in the middle of this tick
    assert cut_once and not proxy.up
    proxy.restore()
    await run_until(engine, clock, at(9))                    # leases expire after 10 minutes: claims recovered

    assert set(statuses(db).values()) >= {"sent"} and "failed" not in statuses(db).values()
    assert [s for s in statuses(db).values() if s != "pending"] == ["sent"] * 6
    keys = [m.dedupe_key for m in sender.messages]
    assert len(keys) == 12 and len(set(keys)) == 12          # six members, two parts, none twice, none lost
    sender.close()


@pytest.mark.parametrize("oauth", [False, True], ids=["one workspace", "OAuth"])
async def test_slack_requests_during_an_outage_get_a_plain_answer_or_come_back_later(proxied, clock, oauth: bool) -> None:  # type: ignore[no-untyped-def]
    db, proxy = proxied
    core = Meridian(db, clock=clock, settings=Settings.from_env({}, database_url=db.url))
    async with SlackStandIn() as slack:
        slack.add_user("U1", "nia", tz="Africa/Nairobi")
        slack.oauth_codes["code"] = "T0001"
        mode = dict(slack_bot_token="", slack_client_id=slack.client_id, slack_client_secret=slack.client_secret,
                    secret_key=Fernet.generate_key().decode()) if oauth else {}
        async with running_slack(core, slack, **mode) as app:
            if oauth:
                assert (await install(app, "code"))[0] == 200
            _, hook = await app.slack.command("/tz", user="U1")
            await app.settle()
            assert "Africa/Nairobi" in hook_text(app.hook(hook))
            proxy.cut()
            answer, _ = await app.slack.command("/tz", "set Asia/Tokyo", user="U1")
            assert answer.status == 200 and answer.json()["text"] == UNREACHABLE      # not "dispatch_failed", not "reinstall"
            typed = {"type": "message", "channel_type": "im", "user": "U1", "text": "tz set Asia/Tokyo",
                     "channel": "DU1", "ts": "1.000100"}
            assert (await app.slack.event(typed, event_id="EvDURING")).status == 503   # Slack will send it again
            proxy.restore()
            assert (await app.slack.event(typed, event_id="EvDURING", retry=1)).status == 200
            assert (await app.slack.event(typed, event_id="EvDURING", retry=2)).status == 200
            await app.settle()
    replies = [m.text for m in slack.messages if m.channel == "DU1"]
    assert len(replies) == 1 and "Asia/Tokyo" in replies[0]                        # handled once, after the outage
    assert "Asia/Tokyo" in ok(say(core, "U1", "/tz", "T0001", "slack")).as_text()


# --- the platforms failing ------------------------------------------------------------------------------

@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(limit_retry_after=0.05) as slack:
        for user in TEAM:
            slack.add_user(user)
        yield slack


async def test_slack_429_storms_5xx_and_slow_answers_deliver_every_message_once(db, standin: SlackStandIn) -> None:  # type: ignore[no-untyped-def]
    make_team(db, TEAM, platform="slack", external_id=standin.team.id)
    client = AsyncWebClient(token=standin.team.bot_token, base_url=standin.base_url, retry_handlers=[], timeout=0.3)

    async def client_for(team_id: str) -> AsyncWebClient:
        return client

    sender = SlackSender(client_for, pacer=Pacer(per_key_interval=0.0, shared_rate=1000, shared_burst=100),
                         backoff=0.5)
    clock = SimulatedClock(at(6))
    engine = Engine(db, clock, {"slack": sender}, rituals={"hello": DailyAt("hello", time(9, 0), parts=2)},
                    replica_id="faults", retry_base=timedelta(minutes=1), concurrency=1)

    # Cairo (07:00Z), Berlin and Lagos (08:00Z): Slack posts the first message but answers after the client
    # gave up (0.3 s); the sender waits (0.5 s) before looking, finds it, and does not post it again.
    slow = standin.hold("chat.postMessage")

    async def answer_late() -> None:
        await standin.wait_for(lambda: standin.calls_to("chat.postMessage"))
        await asyncio.sleep(0.4)
        slow.set()

    late = asyncio.create_task(answer_late())
    await run_until(engine, clock, at(8, 30))
    await late
    assert len(set(standin.dedupe_keys())) == 6 and len(standin.calls_to("chat.postMessage")) == 6
    assert len(standin.calls_to("conversations.history")) == 1          # the timed-out post was looked up once

    # 09:00Z London and 13:00Z New York, through a storm: 429s, 5xx before and after Slack acted, a
    # failing DM open and a failing lookup.
    sender.backoff = 0.05
    standin.fail("chat.postMessage", status=429, times=30, retry_after=0.01)
    standin.fail("chat.postMessage", status=500, times=2)                              # Slack did nothing
    standin.fail("chat.postMessage", status=503, times=2, after_effect=True)          # Slack posted, answer lost
    standin.fail("conversations.open", status=502, times=1)
    standin.fail("conversations.history", status=500, times=1)
    await run_until(engine, clock, at(23))

    sent = [o for o in statuses(db).items() if o[0].endswith("2026-03-23")]
    assert len(sent) == 5 and {status for _, status in sent} == {"sent"}
    keys = standin.dedupe_keys()
    assert len(keys) == 10 and len(set(keys)) == 10          # five members, two parts: each exactly once
    posts = standin.calls_to("chat.postMessage")
    assert sum(c.status == 429 for c in posts) == 30 and sum(c.status >= 500 for c in posts) == 4


class AfterEffectDiscord(FakeDiscord):
    """Fake Discord that can create a message and still answer 5xx: the bot cannot know it was created."""

    def __init__(self) -> None:
        super().__init__()
        self.after_effect = 0

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        response = await super()._handle(request)
        if self.after_effect and request.method == "POST" and request.path.endswith("/messages") \
                and response.status == 200:
            self.after_effect -= 1
            return web.json_response({"message": "upstream timed out", "code": 0}, status=503)
        return response


@pytest.fixture
def after_effect_api(discord_api: FakeDiscord) -> FakeDiscord:  # noqa: F811
    discord_api.__class__ = AfterEffectDiscord
    discord_api.after_effect = 0  # type: ignore[attr-defined]
    return discord_api


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_discord_429_storms_and_5xx_deliver_every_message_once(
        db, adapter: DiscordAdapter, after_effect_api: AfterEffectDiscord) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    api = after_effect_api
    users = {str(1001 + i): zone for i, zone in enumerate(TEAM.values())}
    make_team(db, users, platform="discord", external_id=str(GUILD_ID))
    messages = r"/channels/\d+/messages"
    api.rate_limit("POST", messages, retry_after=0.01, times=12)     # more 429s than discord.py retries alone
    api.fail("POST", messages, 503, {"message": "unavailable", "code": 0}, times=2)
    api.after_effect = 2                                              # created, then 503: the nonce saves us
    clock = SimulatedClock(at(6))
    engine = Engine(db, clock, {"discord": adapter.sender}, rituals={"hello": DailyAt("hello", time(9, 0), parts=2)},
                    replica_id="faults", retry_base=timedelta(minutes=1), concurrency=2)
    await run_until(engine, clock, at(23))

    sent = [o for o in statuses(db).items() if o[0].endswith("2026-03-23")]
    assert len(sent) == 5 and {status for _, status in sent} == {"sent"}
    nonces = [m["nonce"] for m in api.messages.values()]
    assert len(nonces) == 10 and len(set(nonces)) == 10          # five members, two parts: each exactly once
    assert sum(1 for c in api.requests("POST", messages)) > 10 + 12
