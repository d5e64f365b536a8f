"""Signing in: Sign in with Slack (OpenID Connect), Sign in with Discord (OAuth2), and the demo's member list.

Both flows are the authorization-code flow with a one-time `state`: issued in the database
(`bot.installations.issue_state`, ten minutes) *and* set in a cookie on the browser that started the
flow, so the callback only signs in the browser that asked (no login CSRF), once.

Slack: the ID token comes straight from Slack's token endpoint over TLS with the client secret, so
its issuer, audience, expiry and nonce are checked and its signature is not (OpenID Connect Core
3.1.3.7); its claims name the Slack team and user. Admin: Slack's users.info (is_admin or is_owner),
asked with the workspace's bot token, or the member's admin flag from the team file.

Discord: the `identify guilds` scopes; the member's servers that have Meridian are offered, and
admin means the owner or the Manage Server (or Administrator) permission in that server.

The demo sign-in exists only when the dashboard runs with `demo=True` (`meridian serve --demo`, a
throwaway database): its routes are not registered otherwise.
"""
from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web
from sqlalchemy import select

from bot import installations
from bot.members import Identity, ensure_member
from bot.models import Member, Workspace
from web.auth import SESSION_COOKIE, SIGNIN_COOKIE, clear_cookie, create_session, load_session, new_secret, same, set_cookie
from web.i18n import WebTranslator


def see_other(location: str) -> web.Response:
    from web.app import see_other as redirect
    return redirect(location)


def found(location: str) -> web.Response:
    from web.app import found as redirect
    return redirect(location)

if TYPE_CHECKING:
    from web.app import Dashboard

log = logging.getLogger(__name__)

STATE_MINUTES = 10
SLACK_ISSUER = "https://slack.com"
DISCORD_ADMIN_BITS = 0x8 | 0x20          # ADMINISTRATOR, MANAGE_GUILD


class SignInError(Exception):
    pass


@dataclass
class Person:
    platform: str
    workspace_id: str
    user_id: str
    name: str
    locale: str | None
    is_admin: bool


def _b64json(part: str) -> dict[str, Any]:
    padded = part + "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode()))


def id_token_claims(token: str, *, client_id: str, nonce: str, now: float) -> dict[str, Any]:
    """The checked claims of a Slack ID token received from the token endpoint (see the module doc)."""
    try:
        _, payload, _ = token.split(".")
        claims = _b64json(payload)
    except (ValueError, json.JSONDecodeError) as error:
        raise SignInError("the ID token is not a JWT") from error
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if claims.get("iss") != SLACK_ISSUER:
        raise SignInError("the ID token has another issuer")
    if client_id not in audiences:
        raise SignInError("the ID token is for another app")
    if not isinstance(claims.get("exp"), (int, float)) or claims["exp"] < now - 60:
        raise SignInError("the ID token has expired")
    if not same(str(claims.get("nonce", "")), nonce):
        raise SignInError("the ID token's nonce does not match")
    return claims


def _basic(user: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def nonce_of(state: str) -> str:
    return hashlib.sha256(("nonce:" + state).encode()).hexdigest()[:32]


class SignIn:
    def __init__(self, dashboard: "Dashboard") -> None:
        self.dashboard = dashboard
        self.settings = dashboard.settings
        self.db = dashboard.db

    # --- configuration -----------------------------------------------------------------------------
    @property
    def slack_enabled(self) -> bool:
        return bool(self.settings.slack_client_id and self.settings.slack_client_secret)

    @property
    def discord_enabled(self) -> bool:
        return bool(self.settings.discord_client_id and self.settings.discord_client_secret)

    @property
    def slack_api(self) -> str:
        api = self.settings.slack_api_url or "https://slack.com/api/"
        return api if api.endswith("/") else api + "/"

    @property
    def slack_authorize(self) -> str:
        api = self.slack_api.rstrip("/")
        origin = api[: -len("/api")] if api.endswith("/api") else api
        return origin + "/openid/connect/authorize"

    @property
    def discord_api(self) -> str:
        return (self.settings.discord_api_url or "https://discord.com/api").rstrip("/")

    @property
    def discord_authorize(self) -> str:
        api = self.discord_api
        origin = api[: -len("/api")] if api.endswith("/api") else api
        return origin + "/oauth2/authorize"

    def redirect_uri(self, request: web.Request, platform: str) -> str:
        base = self.settings.public_url.rstrip("/") or f"{request.scheme}://{request.host}"
        return f"{base}/signin/{platform}/callback"

    def routes(self) -> list[web.RouteDef]:
        found = [web.get("/signin", self._page), web.get("/signin/slack", self._slack_start),
                 web.get("/signin/slack/callback", self._slack_callback), web.get("/signin/discord", self._discord_start),
                 web.get("/signin/discord/callback", self._discord_callback)]
        if self.dashboard.demo:
            found.append(web.post("/signin/demo", self._demo))
        return found

    # --- the page ----------------------------------------------------------------------------------
    def _translator(self, request: web.Request) -> WebTranslator:
        wanted = request.query.get("lang") or request.headers.get("Accept-Language", "en").split(",")[0].split(";")[0]
        return WebTranslator(wanted.strip() or "en")

    async def _page(self, request: web.Request) -> web.StreamResponse:
        tr = self._translator(request)
        token = new_secret()

        def work() -> dict[str, Any]:
            with self.db.session() as session:
                if load_session(session, request.cookies.get(SESSION_COOKIE), self.dashboard.clock.now()) is not None \
                        and not request.query.get("error"):
                    return {"signed_in": True}
                members: list[Member] = []
                if self.dashboard.demo:
                    platform, external = self.dashboard.demo_workspace
                    workspace = session.scalar(select(Workspace).where(Workspace.platform == platform,
                                                                       Workspace.external_id == external))
                    if workspace is not None:
                        members = list(session.scalars(select(Member).where(Member.workspace_id == workspace.id)
                                                       .order_by(Member.name)))
                return {"signed_in": False, "members": members}
        context = await asyncio.to_thread(work)
        if context["signed_in"]:
            from web.app import safe_next, secure
            return secure(see_other(safe_next(request.query.get("next"))))
        error = {"expired": tr._("That sign-in link has expired or was already used. Please sign in again."),
                 "unknown": tr._("Meridian is not installed in that workspace, so there is nothing to show yet."),
                 "failed": tr._("Signing in did not work. Please try again."),
                 "denied": tr._("Signing in was cancelled.")}.get(request.query.get("error", ""))
        response = self.dashboard.render(request, None, "signin.html", {
            "members": context["members"], "slack": self.slack_enabled, "discord": self.discord_enabled,
            "demo_token": token, "error": error, "signed_out": bool(request.query.get("signed_out")),
            "guilds": [], "title": tr._("Sign in")}, tr=tr)
        if self.dashboard.demo:
            set_cookie(response, request, self.settings, SIGNIN_COOKIE, token, max_age=STATE_MINUTES * 60, path="/signin")
        return response

    def _fail(self, code: str) -> web.StreamResponse:
        from web.app import secure
        response = see_other(f"/signin?error={code}")
        clear_cookie(response, SIGNIN_COOKIE, path="/signin")
        return secure(response)

    async def _issue(self, platform: str, extra: str = "") -> str:
        state = new_secret() + (("." + extra) if extra else "")
        now = self.dashboard.clock.now()

        def work() -> None:
            with self.db.session() as session:
                installations.issue_state(session, "web-" + platform, state, now + timedelta(minutes=STATE_MINUTES))
        await asyncio.to_thread(work)
        return state

    async def _consume(self, request: web.Request, platform: str) -> str | None:
        state = request.query.get("state", "")
        if not state or not same(request.cookies.get(SIGNIN_COOKIE), state):
            return None

        def work() -> bool:
            with self.db.session() as session:
                return installations.consume_state(session, "web-" + platform, state, self.dashboard.clock.now())
        return state if await asyncio.to_thread(work) else None

    def _redirect_out(self, request: web.Request, url: str, state: str) -> web.StreamResponse:
        from web.app import secure
        response = found(url)
        set_cookie(response, request, self.settings, SIGNIN_COOKIE, state, max_age=STATE_MINUTES * 60, path="/signin")
        return secure(response)

    async def _finish(self, request: web.Request, person: Person, via: str) -> web.StreamResponse:
        """A session for a person the platform vouched for, in a workspace where Meridian is installed."""
        from web.app import secure
        now = self.dashboard.clock.now()

        def work() -> str | None:
            with self.db.session() as session:
                workspace = session.scalar(select(Workspace).where(Workspace.platform == person.platform,
                                                                   Workspace.external_id == person.workspace_id))
                if workspace is None or workspace.uninstalled_at is not None:
                    return None
                member = ensure_member(session, workspace, Identity(person.platform, person.workspace_id, person.user_id,
                                                                    user_name=person.name, locale=person.locale))
                return create_session(session, workspace, member, is_admin=person.is_admin or member.is_admin, via=via,
                                      now=now, hours=self.settings.web_session_hours)
        token = await asyncio.to_thread(work)
        if token is None:
            return self._fail("unknown")
        response = see_other("/team")
        set_cookie(response, request, self.settings, SESSION_COOKIE, token, max_age=self.settings.web_session_hours * 3600)
        clear_cookie(response, SIGNIN_COOKIE, path="/signin")
        log.info("web sign-in", extra={"platform": person.platform, "workspace": person.workspace_id})
        return secure(response)

    # --- demo --------------------------------------------------------------------------------------
    async def _demo(self, request: web.Request) -> web.StreamResponse:
        from web.app import secure
        data = await request.post()
        if not same(str(data.get("token", "")), request.cookies.get(SIGNIN_COOKIE)):
            return self._fail("expired")
        platform, external = self.dashboard.demo_workspace

        def work() -> Person | None:
            with self.db.session() as session:
                workspace = session.scalar(select(Workspace).where(Workspace.platform == platform,
                                                                   Workspace.external_id == external))
                member = session.scalar(select(Member).where(Member.workspace_id == workspace.id,
                                                             Member.user_id == str(data.get("member", "")))) if workspace else None
                if member is None:
                    return None
                return Person(platform, external, member.user_id, member.name, member.locale, member.is_admin)
        person = await asyncio.to_thread(work)
        if person is None:
            return secure(self._fail("failed"))
        return await self._finish(request, person, "demo")

    # --- Slack ---------------------------------------------------------------------------------------
    async def _slack_start(self, request: web.Request) -> web.StreamResponse:
        if not self.slack_enabled:
            raise web.HTTPNotFound()
        state = await self._issue("slack")
        url = self.slack_authorize + "?" + urlencode({
            "response_type": "code", "scope": "openid profile", "client_id": self.settings.slack_client_id,
            "state": state, "nonce": nonce_of(state), "redirect_uri": self.redirect_uri(request, "slack")})
        return self._redirect_out(request, url, state)

    async def _slack_callback(self, request: web.Request) -> web.StreamResponse:
        if not self.slack_enabled:
            raise web.HTTPNotFound()
        if request.query.get("error"):
            return self._fail("denied")
        state = await self._consume(request, "slack")
        if state is None:
            return self._fail("expired")
        try:
            person = await self._slack_person(request, state)
        except (SignInError, aiohttp.ClientError, asyncio.TimeoutError, KeyError, ValueError) as error:
            log.warning("Slack sign-in failed: %s", error)
            return self._fail("failed")
        return await self._finish(request, person, "slack")

    async def _slack_person(self, request: web.Request, state: str) -> Person:
        s = self.settings
        timeout = aiohttp.ClientTimeout(total=15)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            async with http.post(self.slack_api + "openid.connect.token", data={
                    "client_id": s.slack_client_id, "client_secret": s.slack_client_secret, "grant_type": "authorization_code",
                    "code": request.query.get("code", ""), "redirect_uri": self.redirect_uri(request, "slack")}) as response:
                answer = await response.json(content_type=None)
            if not answer.get("ok") or not answer.get("id_token"):
                raise SignInError(f"openid.connect.token: {answer.get('error')}")
            claims = id_token_claims(answer["id_token"], client_id=s.slack_client_id, nonce=nonce_of(state),
                                    now=self.dashboard.clock.now().timestamp())
            team, user = claims["https://slack.com/team_id"], claims["https://slack.com/user_id"]
            is_admin = False
            token = await self._slack_bot_token(team)
            if token:
                async with http.post(self.slack_api + "users.info", data={"user": user},
                                     headers={"Authorization": f"Bearer {token}"}) as response:
                    info = await response.json(content_type=None)
                if info.get("ok"):
                    is_admin = bool(info["user"].get("is_admin") or info["user"].get("is_owner"))
        return Person("slack", str(team), str(user), str(claims.get("name") or ""), claims.get("locale"), is_admin)

    async def _slack_bot_token(self, team_id: str) -> str | None:
        if self.settings.slack_bot_token:
            return self.settings.slack_bot_token
        if not self.settings.secret_key:
            return None
        from adapters.slack.stores import SlackInstallationStore
        from bot.crypto import Cipher

        store = SlackInstallationStore(self.dashboard.core, Cipher(self.settings.secret_key), self.dashboard.clock)
        return await store.bot_token(team_id)

    # --- Discord -------------------------------------------------------------------------------------
    async def _discord_start(self, request: web.Request) -> web.StreamResponse:
        if not self.discord_enabled:
            raise web.HTTPNotFound()
        guild = request.query.get("guild", "")
        state = await self._issue("discord", guild if guild.isdecimal() and len(guild) <= 20 else "")
        url = self.discord_authorize + "?" + urlencode({
            "response_type": "code", "client_id": self.settings.discord_client_id, "scope": "identify guilds",
            "state": state, "redirect_uri": self.redirect_uri(request, "discord"), "prompt": "none"})
        return self._redirect_out(request, url, state)

    async def _discord_callback(self, request: web.Request) -> web.StreamResponse:
        if not self.discord_enabled:
            raise web.HTTPNotFound()
        if request.query.get("error"):
            return self._fail("denied")
        state = await self._consume(request, "discord")
        if state is None:
            return self._fail("expired")
        wanted = state.split(".", 1)[1] if "." in state else ""
        try:
            user, guilds = await self._discord_user(request)
        except (SignInError, aiohttp.ClientError, asyncio.TimeoutError, KeyError, ValueError) as error:
            log.warning("Discord sign-in failed: %s", error)
            return self._fail("failed")

        def known() -> set[str]:
            with self.db.session() as session:
                return set(session.scalars(select(Workspace.external_id).where(
                    Workspace.platform == "discord", Workspace.uninstalled_at.is_(None),
                    Workspace.external_id.in_([str(g["id"]) for g in guilds]))))
        installed = await asyncio.to_thread(known)
        mine = [g for g in guilds if str(g["id"]) in installed]
        if wanted:
            mine = [g for g in mine if str(g["id"]) == wanted]
        if not mine:
            return self._fail("unknown")
        if len(mine) > 1:
            tr = self._translator(request)
            response = self.dashboard.render(request, None, "signin.html", {
                "members": [], "slack": False, "discord": False, "demo_token": "", "error": None, "signed_out": False,
                "guilds": [{"id": str(g["id"]), "name": str(g.get("name") or g["id"])} for g in mine],
                "title": tr._("Sign in")}, tr=tr)
            clear_cookie(response, SIGNIN_COOKIE, path="/signin")
            return response
        guild = mine[0]
        permissions = int(guild.get("permissions") or 0)
        is_admin = bool(guild.get("owner")) or bool(permissions & DISCORD_ADMIN_BITS)
        person = Person("discord", str(guild["id"]), str(user["id"]), str(user.get("global_name") or user.get("username") or ""),
                        user.get("locale"), is_admin)
        return await self._finish(request, person, "discord")

    async def _discord_user(self, request: web.Request) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        s = self.settings
        timeout = aiohttp.ClientTimeout(total=15)
        async with aiohttp.ClientSession(timeout=timeout) as http:
            async with http.post(self.discord_api + "/oauth2/token", data={
                    "grant_type": "authorization_code", "code": request.query.get("code", ""),
                    "redirect_uri": self.redirect_uri(request, "discord")},
                    headers={"Authorization": _basic(s.discord_client_id, s.discord_client_secret)}) as response:
                if response.status != 200:
                    raise SignInError(f"oauth2/token answered {response.status}")
                grant = await response.json(content_type=None)
            headers = {"Authorization": f"Bearer {grant['access_token']}"}
            async with http.get(self.discord_api + "/users/@me", headers=headers) as response:
                if response.status != 200:
                    raise SignInError(f"users/@me answered {response.status}")
                user = await response.json(content_type=None)
            async with http.get(self.discord_api + "/users/@me/guilds", headers=headers) as response:
                if response.status != 200:
                    raise SignInError(f"users/@me/guilds answered {response.status}")
                guilds = await response.json(content_type=None)
        return user, list(guilds)
