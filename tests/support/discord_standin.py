"""A local stand-in for Discord's OAuth2 (authorize page, token endpoint) and the two user endpoints
Sign in with Discord reads (`/users/@me`, `/users/@me/guilds`), on 127.0.0.1.

Point the dashboard at it with DISCORD_API_URL=`standin.api_url`. The authorize page approves at
once as `signin_user` (or denies when it is None) and redirects back with a one-time code.
"""
from __future__ import annotations

import base64
import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from tests.support.http import serve_locally


@dataclass
class Guild:
    id: str
    name: str
    permissions: int = 0          # the member's permission bits there (0x20: Manage Server)
    owner: bool = False


@dataclass
class DiscordUser:
    id: str
    username: str
    global_name: str = ""
    locale: str = "en-US"
    guilds: list[Guild] = field(default_factory=list)


class DiscordStandIn:
    def __init__(self, *, client_id: str = "424242", client_secret: str = "discord-standin-secret",
                 host: str = "127.0.0.1", port: int = 0) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self.host, self.port = host, port
        self.users: dict[str, DiscordUser] = {}
        self.signin_user: str | None = None
        self.codes: dict[str, tuple[str, str]] = {}          # code -> (user id, redirect_uri)
        self.tokens: dict[str, str] = {}                     # access token -> user id
        self.calls: list[str] = []
        self._seq = itertools.count(1)
        self._runner: web.AppRunner | None = None

    async def start(self) -> "DiscordStandIn":
        app = web.Application()
        app.add_routes([web.get("/oauth2/authorize", self._authorize), web.post("/api/oauth2/token", self._token),
                        web.get("/api/users/@me", self._me), web.get("/api/users/@me/guilds", self._guilds)])
        self._runner, self.port = await serve_locally(app, self.host, self.port)
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def api_url(self) -> str:
        return f"http://{self.host}:{self.port}/api"

    def add_user(self, user_id: str, username: str, *guilds: Guild, locale: str = "en-US") -> DiscordUser:
        user = DiscordUser(user_id, username, username.title(), locale, list(guilds))
        self.users[user_id] = user
        return user

    async def _authorize(self, request: web.Request) -> web.StreamResponse:
        query = request.query
        self.calls.append("authorize")
        redirect = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or set(query.get("scope", "").split()) != {"identify", "guilds"}:
            return web.Response(status=400, text="invalid client or scope")
        if self.signin_user is None:
            raise web.HTTPFound(f"{redirect}?error=access_denied&state={query.get('state', '')}")
        code = f"dcode-{next(self._seq)}"
        self.codes[code] = (self.signin_user, redirect)
        raise web.HTTPFound(f"{redirect}?code={code}&state={query.get('state', '')}")

    async def _token(self, request: web.Request) -> web.Response:
        self.calls.append("token")
        auth = request.headers.get("Authorization", "")
        client_id, _, secret = base64.b64decode(auth[6:]).decode().partition(":") if auth.startswith("Basic ") else ("", "", "")
        if (client_id, secret) != (self.client_id, self.client_secret):
            return web.json_response({"error": "invalid_client"}, status=401)
        form = await request.post()
        grant = self.codes.pop(str(form.get("code", "")), None)
        if grant is None or grant[1] != form.get("redirect_uri") or form.get("grant_type") != "authorization_code":
            return web.json_response({"error": "invalid_grant"}, status=400)
        token = f"dtoken-{next(self._seq)}"
        self.tokens[token] = grant[0]
        return web.json_response({"access_token": token, "token_type": "Bearer", "expires_in": 604800,
                                  "scope": "identify guilds"})

    def _user(self, request: web.Request) -> DiscordUser | None:
        auth = request.headers.get("Authorization", "")
        user_id = self.tokens.get(auth[7:]) if auth.startswith("Bearer ") else None
        return self.users.get(user_id) if user_id else None

    async def _me(self, request: web.Request) -> web.Response:
        self.calls.append("me")
        user = self._user(request)
        if user is None:
            return web.json_response({"message": "401: Unauthorized"}, status=401)
        return web.json_response({"id": user.id, "username": user.username, "global_name": user.global_name,
                                  "locale": user.locale})

    async def _guilds(self, request: web.Request) -> web.Response:
        self.calls.append("guilds")
        user = self._user(request)
        if user is None:
            return web.json_response({"message": "401: Unauthorized"}, status=401)
        data: list[dict[str, Any]] = [{"id": g.id, "name": g.name, "owner": g.owner, "permissions": str(g.permissions)}
                                      for g in user.guilds]
        return web.json_response(data)
