"""Sign in with Slack (OpenID Connect) and with Discord (OAuth2) against local stand-ins, over real HTTP:
the happy paths, who is an admin, a replayed or foreign callback, a cancelled consent, a workspace
without Meridian, and the choice between several Discord servers."""
from __future__ import annotations

import base64
import json
from dataclasses import replace

import pytest
from aiohttp import ClientSession, CookieJar
from aiohttp.test_utils import TestServer
from sqlalchemy import select

from bot.config import Settings
from bot.core import Meridian
from bot.models import Member, Workspace
from bot.reports.models import WebSession
from bot.store import Database
from bot.time import SimulatedClock
from tests.support.discord_standin import DiscordStandIn, Guild
from tests.support.slack_standin import SlackStandIn
from web.app import create_app
from web.signin import SignInError, id_token_claims, nonce_of


def _token(claims: dict) -> str:  # type: ignore[type-arg]
    part = lambda v: base64.urlsafe_b64encode(json.dumps(v).encode()).decode().rstrip("=")  # noqa: E731
    return f"{part({'alg': 'RS256'})}.{part(claims)}.sig"


def test_id_token_checks() -> None:
    now = 1_790_000_000.0
    good = {"iss": "https://slack.com", "aud": "111.222", "exp": now + 60, "nonce": nonce_of("s")}
    assert id_token_claims(_token(good), client_id="111.222", nonce=nonce_of("s"), now=now)["iss"] == "https://slack.com"
    for bad in ({"iss": "https://evil.example"}, {"aud": "other"}, {"exp": now - 3600}, {"nonce": "x"}):
        with pytest.raises(SignInError):
            id_token_claims(_token({**good, **bad}), client_id="111.222", nonce=nonce_of("s"), now=now)
    with pytest.raises(SignInError):
        id_token_claims("not-a-jwt", client_id="111.222", nonce="n", now=now)


async def test_slack_and_discord_sign_in(db: Database, clock: SimulatedClock, web_settings: Settings) -> None:
    with db.session() as session:
        session.add_all([Workspace(platform="slack", external_id="T0001", name="Slack WS", locale="en"),
                         Workspace(platform="discord", external_id="9001", name="Guild One", locale="en"),
                         Workspace(platform="discord", external_id="9002", name="Guild Two", locale="en")])
    slack = await SlackStandIn().start()
    discord = await DiscordStandIn().start()
    try:
        slack.add_user("U1", "uma", is_admin=True)
        slack.add_user("U2", "ulf")
        slack.add_user("U9", "ivo", team_id="T0009")
        discord.add_user("555", "dana", Guild("9001", "Guild One", permissions=0x20), Guild("9002", "Guild Two"))
        discord.add_user("666", "dirk", Guild("4242", "No Meridian here", owner=True))
        settings = replace(web_settings, slack_client_id=slack.client_id, slack_client_secret=slack.client_secret,
                           slack_bot_token=slack.team.bot_token, slack_api_url=slack.base_url,
                           discord_client_id=discord.client_id, discord_client_secret=discord.client_secret,
                           discord_api_url=discord.api_url)
        server = TestServer(create_app(Meridian(db, clock=clock, settings=settings), settings))
        await server.start_server()
        origin = f"http://127.0.0.1:{server.port}"

        async def sign_in(path: str) -> tuple[str, str]:
            async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
                async with http.get(origin + path) as response:
                    return str(response.url.path_qs), await response.text()

        slack.signin_user = "U1"
        where, body = await sign_in("/signin/slack")
        assert where == "/team" and "Slack WS" in body and 'href="/settings"' in body        # an admin in Slack
        slack.signin_user = "U2"
        where, body = await sign_in("/signin/slack")
        assert where == "/team" and 'href="/settings"' not in body
        slack.signin_user = "U9"
        assert (await sign_in("/signin/slack"))[0] == "/signin?error=unknown"           # no Meridian in T0009
        slack.signin_user = None
        assert (await sign_in("/signin/slack"))[0] == "/signin?error=denied"

        discord.signin_user = "555"
        where, body = await sign_in("/signin/discord")
        assert where.startswith("/signin/discord/callback") and "Guild One" in body and "Guild Two" in body
        where, body = await sign_in("/signin/discord?guild=9001")
        assert where == "/team" and "Guild One" in body and 'href="/settings"' in body      # Manage Server
        where, body = await sign_in("/signin/discord?guild=9002")
        assert where == "/team" and 'href="/settings"' not in body
        discord.signin_user = "666"
        assert (await sign_in("/signin/discord"))[0] == "/signin?error=unknown"

        # A callback is good once, and only in the browser that started it.
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as http:
            discord.signin_user = "555"
            async with http.get(origin + "/signin/discord?guild=9001", allow_redirects=False) as started:
                authorize = started.headers["Location"]
            async with http.get(authorize, allow_redirects=False) as approved:
                callback = approved.headers["Location"]
            async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as stranger:
                async with stranger.get(callback, allow_redirects=False) as response:
                    assert response.headers["Location"] == "/signin?error=expired"
            async with http.get(callback, allow_redirects=False) as response:
                assert response.headers["Location"] == "/team"
            async with http.get(callback, allow_redirects=False) as replay:
                assert replay.headers["Location"] == "/signin?error=expired"
        with db.session() as session:
            names = {m.name for m in session.scalars(select(Member))}
            assert {"Uma", "Ulf", "Dana"} <= names
            assert session.scalars(select(WebSession.via)).all().count("discord") == 3
        await server.close()
    finally:
        await slack.stop()
        await discord.stop()
