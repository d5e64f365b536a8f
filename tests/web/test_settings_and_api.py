"""Settings change through the chat's own commands (same validation, same words) and land in the change log;
the JSON API: tokens created and revoked by admins, digests only in the database, a rate limit, an
OpenAPI document that lists every endpoint."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import time

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select, text

from bot.config import Settings
from bot.core import CommandRequest, Meridian
from bot.members import Identity
from bot.coffee.settings import get_config
from bot.reports.models import ApiToken, SettingsChange
from bot.standups import Standup
from bot.store import Database
from bot.time import SimulatedClock
from tests.web.data import make_workspace, sign_in
from web.api import ENDPOINTS, PREFIX, RateLimiter
from web.app import create_app
from web.auth import SESSION_COOKIE


async def _csrf(client: TestClient) -> str:
    body = await (await client.get("/settings")).text()
    found = re.search(r'name="csrf" value="([^"]+)"', body)
    assert found
    return found.group(1)


def _error(body: str) -> str:
    found = re.search(r'id="settings-error">([^<]*)<', body)
    assert found, "no error shown"
    import html
    return html.unescape(found.group(1))


async def test_settings_are_validated_as_in_chat_and_logged(db: Database, clock: SimulatedClock, web_client: TestClient,
                                                            web_settings: Settings) -> None:
    now = clock.now()
    with db.session() as session:
        made = make_workspace(session, "Alpha", now)
        cookie = sign_in(session, made, now)
        workspace = made.workspace
    web_client.session.cookie_jar.update_cookies({SESSION_COOKIE: cookie})
    csrf = await _csrf(web_client)
    who = Identity(workspace.platform, workspace.external_id, "alpha1", is_admin=True, locale="en")
    chat = Meridian(db, clock=clock, settings=web_settings)

    standup = {"csrf": csrf, "channel": "alpha-standup", "questions": "", "participants": "everyone", "reminder": "2h",
               "summary": "#alpha-standup"}
    response = await web_client.post("/settings/standup", data={**standup, "time": "25:99"})
    said = chat.handle(CommandRequest(who, "/standup config time 25:99 #alpha-standup"))
    assert said.error and _error(await response.text()) == said.text
    response = await web_client.post("/settings/standup", data={**standup, "time": "10:15", "reminder": "nonsense"})
    assert _error(await response.text()) == chat.handle(CommandRequest(who, "/standup config reminder nonsense #alpha-standup")).text
    response = await web_client.post("/settings/standup", data={**standup, "time": "10:15"}, allow_redirects=False)
    assert response.status == 303
    response = await web_client.post("/settings/coffee", data={"csrf": csrf, "enabled": "on", "channel": "", "day": "wed",
                                                               "cadence": "weekly", "overlap": "5 minutes", "size": "2"})
    assert _error(await response.text()) == chat.handle(CommandRequest(who, "/coffee config overlap 5 minutes")).text
    response = await web_client.post("/settings/coffee", data={"csrf": csrf, "enabled": "on", "channel": "#coffee",
                                                               "day": "thu", "cadence": "fortnightly", "overlap": "2h",
                                                               "size": "3"}, allow_redirects=False)
    assert response.status == 303
    response = await web_client.post("/settings/workspace", data={"csrf": csrf, "locale": "xx", "channel": "general"})
    assert _error(await response.text())
    response = await web_client.post("/settings/workspace", data={"csrf": csrf, "locale": "ar", "channel": "#news"},
                                     allow_redirects=False)
    assert response.status == 303

    with db.session() as session:
        saved = session.scalar(select(Standup).where(Standup.workspace_id == workspace.id))
        assert saved.prompt_time == time(10, 15)
        config = get_config(session, workspace)
        assert (config.day, config.cadence, config.min_overlap_minutes, config.group_size, config.channel) == \
            (3, "fortnightly", 120, 3, "coffee")
        changes = {(c.area, c.setting): (c.old_value, c.new_value, c.member_id, c.changed_at) for c in
                   session.scalars(select(SettingsChange).where(SettingsChange.workspace_id == workspace.id))}
    assert changes[("standup", "time")][:3] == ("09:30", "10:15", made.members[0].id)
    assert changes[("standup", "time")][3] == now
    assert changes[("coffee", "day")][:2] == ("mon", "thu") or changes[("coffee", "day")][1] == "thu"
    assert changes[("workspace", "locale")][:2] == ("en", "ar")
    body = await (await web_client.get("/settings")).text()
    assert "10:15" in body and "Alpha Person1" in body


async def test_api_tokens_rate_limit_and_openapi(db: Database, clock: SimulatedClock, web_settings: Settings) -> None:
    now = clock.now()
    with db.session() as session:
        made = make_workspace(session, "Alpha", now)
        cookie = sign_in(session, made, now)
    settings = replace(web_settings, api_rate_per_minute=3)
    async with TestClient(TestServer(create_app(Meridian(db, clock=clock, settings=settings), settings))) as client:
        document = await (await client.get(PREFIX + "/openapi.json")).json()
        assert document["openapi"].startswith("3.")
        routes = {r.resource.canonical for r in client.server.app.router.routes() if r.resource.canonical.startswith(PREFIX)}
        assert routes - {PREFIX + "/openapi.json"} == set(document["paths"]) == {PREFIX + p for p in ENDPOINTS}
        assert (await client.get(PREFIX + "/team")).status == 401

        client.session.cookie_jar.update_cookies({SESSION_COOKIE: cookie})
        body = await (await client.post("/settings/tokens", data={"csrf": await _csrf(client), "name": "sheets"})).text()
        token = re.search(r'id="token-value" readonly value="([^"]+)"', body).group(1)   # type: ignore[union-attr]
        with db.session() as session:
            dump = " ".join(str(v) for row in session.execute(text("SELECT * FROM api_tokens")) for v in row)
        assert token not in dump                             # stored as its digest only
        headers = {"Authorization": f"Bearer {token}"}
        for _ in range(3):
            assert (await client.get(PREFIX + "/standups", headers=headers)).status == 200
        limited = await client.get(PREFIX + "/standups", headers=headers)
        assert limited.status == 429 and int(limited.headers["Retry-After"]) > 0

        with db.session() as session:
            token_id = session.scalar(select(ApiToken.id).where(ApiToken.name == "sheets"))
        response = await client.post("/settings/tokens/revoke", data={"csrf": await _csrf(client), "token": str(token_id)},
                                     allow_redirects=False)
        assert response.status == 303
        assert (await client.get(PREFIX + "/team", headers=headers)).status == 401


def test_rate_limiter_window() -> None:
    limiter = RateLimiter(2)
    assert limiter.check("a", 0.0) == 0 and limiter.check("a", 1.0) == 0
    assert limiter.check("a", 2.0) == 58.0
    assert limiter.check("b", 2.0) == 0
    assert limiter.check("a", 60.5) == 0


async def test_forget_me_leaves_no_name_in_the_change_log_and_ends_sessions(db: Database, clock: SimulatedClock,
                                                                           web_client: TestClient) -> None:
    from bot.privacy import export_workspace, forget_member
    from bot.reports.models import WebSession

    now = clock.now()
    with db.session() as session:
        made = make_workspace(session, "Alpha", now)
        cookie = sign_in(session, made, now)
        other = sign_in(session, made, now, index=2, admin=True)
    web_client.session.cookie_jar.update_cookies({SESSION_COOKIE: cookie})
    response = await web_client.post("/settings/workspace", data={"csrf": await _csrf(web_client), "locale": "de",
                                                                  "channel": ""}, allow_redirects=False)
    assert response.status == 303
    with db.session() as session:
        forget_member(session, session.get(type(made.members[0]), made.members[0].id))
    assert (await web_client.get("/team", allow_redirects=False)).status == 303      # their session is gone
    web_client.session.cookie_jar.update_cookies({SESSION_COOKIE: other})
    body = await (await web_client.get("/settings")).text()
    assert "Alpha Person1" not in body and "Jemand" not in body
    assert "someone who has since left" in body or "inzwischen" in body
    with db.session() as session:
        exported = export_workspace(session, session.get(type(made.workspace), made.workspace.id), now)
        assert all("token_hash" not in row and "csrf" not in row for row in exported["tables"]["web_sessions"])
        assert session.scalar(select(WebSession).where(WebSession.token_hash.is_not(None))) is not None
