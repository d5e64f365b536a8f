"""Sessions: a forged or expired cookie is refused, signing out ends the session, every form needs its
CSRF token and a same-site origin, cookies are HttpOnly, SameSite and (behind TLS) Secure, members see
no settings, and the demo sign-in exists only in demo mode."""
from __future__ import annotations

import re
from dataclasses import replace
from datetime import timedelta

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.config import Settings
from bot.core import Meridian
from bot.demo import seed_demo
from bot.reports.models import WebSession
from bot.store import Database
from bot.time import SimulatedClock
from tests.web.data import make_workspace, sign_in
from web.app import create_app
from web.auth import SESSION_COOKIE, digest


async def _csrf(client: TestClient, path: str = "/team") -> str:
    body = await (await client.get(path)).text()
    found = re.search(r'name="csrf" value="([^"]+)"', body)
    assert found
    return found.group(1)


async def test_no_forged_or_expired_session_gets_in(db: Database, clock: SimulatedClock, web_client: TestClient) -> None:
    now = clock.now()
    with db.session() as session:
        made = make_workspace(session, "Alpha", now)
        cookie = sign_in(session, made, now, hours=12)
    response = await web_client.get("/standups", allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/signin?next=")
    for forged in ("x", cookie[:-1] + ("A" if cookie[-1] != "A" else "B"), digest(cookie), "a" * 500):
        web_client.session.cookie_jar.update_cookies({SESSION_COOKIE: forged})
        response = await web_client.get("/team", allow_redirects=False)
        assert response.status == 303, forged
    web_client.session.cookie_jar.update_cookies({SESSION_COOKIE: cookie})
    assert (await web_client.get("/team", allow_redirects=False)).status == 200
    response = await web_client.get("/api/v1/team", headers={"Authorization": f"Bearer {cookie}"})
    assert response.status == 401                      # a session cookie is not an API token
    clock.advance(timedelta(hours=12, seconds=1))
    assert (await web_client.get("/team", allow_redirects=False)).status == 303
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(WebSession)) == 0   # the expired row is gone
    with db.session() as session:
        assert session.scalar(select(WebSession.token_hash)) is None


async def test_sign_out_forms_and_admin_pages(db: Database, clock: SimulatedClock, web_client: TestClient) -> None:
    now = clock.now()
    with db.session() as session:
        made = make_workspace(session, "Alpha", now)
        member_cookie = sign_in(session, made, now, index=1)
        admin_cookie = sign_in(session, made, now, index=0)
    web_client.session.cookie_jar.update_cookies({SESSION_COOKIE: member_cookie})
    assert "/settings" not in await (await web_client.get("/team")).text()
    assert (await web_client.get("/settings")).status == 403
    csrf = await _csrf(web_client)
    response = await web_client.post("/settings/workspace", data={"csrf": csrf, "locale": "de"}, allow_redirects=False)
    assert response.status == 403

    web_client.session.cookie_jar.update_cookies({SESSION_COOKIE: admin_cookie})
    csrf = await _csrf(web_client)
    assert (await web_client.post("/settings/workspace", data={"locale": "de"}, allow_redirects=False)).status == 403
    assert (await web_client.post("/settings/workspace", data={"csrf": "nope", "locale": "de"}, allow_redirects=False)).status == 403
    response = await web_client.post("/settings/workspace", data={"csrf": csrf, "locale": "de"}, allow_redirects=False,
                                     headers={"Origin": "https://evil.example"})
    assert response.status == 403
    response = await web_client.post("/language", data={"csrf": csrf, "locale": "ja", "next": "//evil.example/x"},
                                     allow_redirects=False)
    assert response.status == 303 and response.headers["Location"] == "/team"
    assert 'lang="ja"' in await (await web_client.get("/team")).text()

    response = await web_client.post("/signout", data={"csrf": csrf}, allow_redirects=False)
    assert response.status == 303 and response.headers["Location"].startswith("/signin")
    web_client.session.cookie_jar.update_cookies({SESSION_COOKIE: admin_cookie})   # an old copy of the cookie
    assert (await web_client.get("/team", allow_redirects=False)).status == 303


async def test_demo_sign_in_only_in_demo_mode_and_cookie_flags(db: Database, clock: SimulatedClock, web_client: TestClient,
                                                               web_settings: Settings) -> None:
    with db.session() as session:
        seed_demo(session)
    body = await (await web_client.get("/signin")).text()
    assert "Amara Okafor" not in body
    assert (await web_client.post("/signin/demo", data={"member": "amara"})).status in (404, 405)

    for public_url, secure in (("", False), ("https://meridian.example", True)):
        settings = replace(web_settings, public_url=public_url)
        app = create_app(Meridian(db, clock=clock, settings=settings), settings, demo=True)
        async with TestClient(TestServer(app)) as client:
            page = await client.get("/signin")
            text = await page.text()
            assert "Amara Okafor (admin)" in text
            token = re.search(r'name="token" value="([^"]+)"', text).group(1)   # type: ignore[union-attr]
            refused = await client.post("/signin/demo", data={"token": "forged", "member": "amara"}, allow_redirects=False)
            assert refused.headers["Location"] == "/signin?error=expired"
            client.session.cookie_jar.update_cookies({"meridian_signin": token})
            response = await client.post("/signin/demo", data={"token": token, "member": "amara"}, allow_redirects=False)
            assert response.status == 303 and response.headers["Location"] == "/team"
            cookie = next(v for v in response.headers.getall("Set-Cookie") if v.startswith(SESSION_COOKIE + "="))
            assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
            assert ("Secure" in cookie) is secure
            assert response.headers["X-Frame-Options"] == "DENY"
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
