"""A stand-in for Discord's HTTP API (https://discord.com/api/v10) and raw interaction payloads.

discord.py's real HTTP client talks to this aiohttp server (discord.http.Route.BASE points here), so
the tests see exactly the requests the bot makes — interaction callbacks, DMs, channel posts,
command sync — and can script 429s and server errors. Messages honour `enforce_nonce` as Discord
does: a second create with the same nonce returns the first message instead of a new one.
"""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass, field, replace
from typing import Any, AsyncIterator

import discord
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer
from discord import app_commands

from adapters.discord import DiscordAdapter
from bot.core import Meridian

APP_ID = 700000000000000001
BOT_ID = 700000000000000002
GUILD_ID = 800000000000000001
CHANNEL_ID = 800000000000000002
TIMESTAMP = "2026-03-25T12:00:00.000000+00:00"


def user(user_id: int, name: str) -> dict[str, Any]:
    return {"id": str(user_id), "username": name, "global_name": name.title(), "discriminator": "0", "avatar": None}


BOT = {**user(BOT_ID, "meridian"), "bot": True}


@dataclass
class Call:
    method: str
    path: str                    # without the /api/v10 prefix
    body: Any
    query: dict[str, str]
    files: list[str] = field(default_factory=list)


@dataclass
class Scripted:
    method: str
    pattern: re.Pattern[str]
    status: int
    body: Any
    headers: dict[str, str]


class FakeDiscord:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.commands: list[dict[str, Any]] = []                # global slash commands
        self.guild_commands: dict[int, list[dict[str, Any]]] = {}
        self.messages: dict[int, dict[str, Any]] = {}            # created messages by id
        self.guild_channels: list[dict[str, Any]] = []
        self._scripted: list[Scripted] = []
        self._ids = itertools.count(900000000000000001)
        self._server: TestServer | None = None

    # --- scripting --------------------------------------------------------------------------------
    def fail(self, method: str, path_regex: str, status: int, body: Any = None, headers: dict[str, str] | None = None,
             times: int = 1) -> None:
        """The next `times` matching requests get this answer instead of the normal one."""
        for _ in range(times):
            self._scripted.append(Scripted(method, re.compile(path_regex), status, body, headers or {}))

    def rate_limit(self, method: str, path_regex: str, retry_after: float, times: int = 1) -> None:
        body = {"message": "You are being rate limited.", "retry_after": retry_after, "global": False}
        # discord.py trusts a 429 only when it came through Discord's proxy (a Via header).
        self.fail(method, path_regex, 429, body, {"Via": "1.1 google", "Retry-After": str(retry_after),
                                                  "X-RateLimit-Scope": "user"}, times)

    def requests(self, method: str, path_regex: str) -> list[Call]:
        pattern = re.compile(path_regex)
        return [c for c in self.calls if c.method == method and pattern.fullmatch(c.path)]

    # --- server -------------------------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application()
        app.router.add_route("*", "/api/v10/{tail:.*}", self._handle)
        self._server = TestServer(app)
        await self._server.start_server()
        return str(self._server.make_url("/api/v10"))

    async def close(self) -> None:
        if self._server is not None:
            await self._server.close()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["tail"]
        body: Any = None
        files: list[str] = []
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            body = json.loads(str(form.get("payload_json", "null")))
            files = [v.filename for k, v in form.items() if k.startswith("files[")]  # type: ignore[union-attr]
        elif request.can_read_body:
            text = await request.text()
            body = json.loads(text) if text else None
        self.calls.append(Call(request.method, path, body, dict(request.query), files))
        for scripted in self._scripted:
            if scripted.method == request.method and scripted.pattern.fullmatch(path):
                self._scripted.remove(scripted)
                return _json(scripted.body, status=scripted.status, headers=scripted.headers)
        return self._answer(request.method, path, body)

    def _answer(self, method: str, path: str, body: Any) -> web.StreamResponse:
        if (method, path) == ("GET", "/users/@me"):
            return _json(BOT)
        if (method, path) == ("GET", "/oauth2/applications/@me"):
            return _json({"id": str(APP_ID), "name": "Meridian", "description": "", "icon": None,
                                      "bot_public": True, "bot_require_code_grant": False, "owner": user(1, "owner"),
                                      "verify_key": "0" * 64, "flags": 0})
        if path == f"/applications/{APP_ID}/commands":
            if method == "PUT":
                self.commands = self._registered(body)
            return _json(self.commands)
        guild_commands = re.fullmatch(rf"/applications/{APP_ID}/guilds/(\d+)/commands", path)
        if guild_commands:
            guild = int(guild_commands.group(1))
            if method == "PUT":
                self.guild_commands[guild] = self._registered(body)
            return _json(self.guild_commands.get(guild, []))
        if method == "POST" and re.fullmatch(r"/interactions/\d+/[^/]+/callback", path):
            interaction_id = path.split("/")[2]
            return _json({"interaction": {"id": interaction_id, "type": 2}})
        if re.fullmatch(rf"/webhooks/{APP_ID}/[^/]+(/messages/@original)?", path):
            if method == "DELETE":
                return web.Response(status=204)
            return _json(self._message(CHANNEL_ID, body or {}))
        if (method, path) == ("POST", "/users/@me/channels"):
            recipient = int(body["recipient_id"])
            return _json({"id": str(recipient + 1), "type": 1, "recipients": [user(recipient, "member")],
                                      "last_message_id": None})
        match = re.fullmatch(r"/channels/(\d+)/messages(?:/(\d+))?", path)
        if match and method == "POST":
            nonce = (body or {}).get("nonce")
            for message in self.messages.values():
                if nonce is not None and message.get("nonce") == nonce:
                    return _json(message)       # enforce_nonce: the message already made
            message = self._message(int(match.group(1)), body or {})
            self.messages[int(message["id"])] = message
            return _json(message)
        if match and method == "PATCH":
            return _json({**self._message(int(match.group(1)), body or {}), "id": match.group(2)})
        if re.fullmatch(r"/guilds/\d+/channels", path):
            return _json(self.guild_channels)
        return _json({"message": f"fake Discord has no {method} {path}", "code": 0}, status=404)

    def _registered(self, commands: list[dict[str, Any]]) -> list[dict[str, Any]]:
        # Discord answers every command with a description ("" for context-menu commands)
        return [{"description": "", **c, "id": str(next(self._ids)), "application_id": str(APP_ID), "version": "1"}
                for c in commands]

    def _message(self, channel_id: int, body: dict[str, Any]) -> dict[str, Any]:
        return {"id": str(next(self._ids)), "channel_id": str(channel_id), "author": BOT, "content": body.get("content") or "",
                "timestamp": TIMESTAMP, "edited_timestamp": None, "tts": False, "mention_everyone": False,
                "mentions": [], "mention_roles": [], "attachments": [], "embeds": body.get("embeds") or [],
                "components": body.get("components") or [], "pinned": False, "type": 0, "nonce": body.get("nonce"),
                "flags": body.get("flags", 0)}


def _json(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """Exactly 'application/json', as Discord sends it (discord.py parses JSON only for that content type)."""
    return web.Response(body=json.dumps(data).encode(), status=status,
                        headers={**(headers or {}), "Content-Type": "application/json"})


# --- raw interaction payloads ----------------------------------------------------------------------

_ids = itertools.count(500000000000000001)


def _base(kind: int, member_id: int, name: str, *, guild: int | None, locale: str, permissions: int,
          channel_type: int = 0) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "id": str(next(_ids)), "application_id": str(APP_ID), "type": kind, "token": f"token-{next(_ids)}",
        "version": 1, "locale": locale, "app_permissions": "0", "attachment_size_limit": 8 * 1024 * 1024,
        "entitlements": [], "authorizing_integration_owners": {},
    }
    if guild is not None:
        payload.update(guild_id=str(guild), guild_locale="en-US", context=0,
                       channel={"id": str(CHANNEL_ID), "type": channel_type, "guild_id": str(guild), "name": "general",
                                "position": 0, "permission_overwrites": [], "nsfw": False, "parent_id": None},
                       member={"user": user(member_id, name), "roles": [], "joined_at": TIMESTAMP, "deaf": False,
                               "mute": False, "flags": 0, "permissions": str(permissions)})
    else:
        payload.update(context=1, user=user(member_id, name),
                       channel={"id": str(member_id + 1), "type": 1, "recipients": [user(member_id, name)]})
    return payload


def _command_data(command: app_commands.Command[Any, ..., Any] | app_commands.Group,
                  options: list[dict[str, Any]]) -> dict[str, Any]:
    """Nest the options under each parent group, as Discord sends a subcommand invocation."""
    kind = 1 if isinstance(command, app_commands.Command) else 2
    if command.parent is None:
        return {"id": str(hash(command)), "name": command.name, "type": 1, "options": options}
    return _command_data(command.parent, [{"type": kind, "name": command.name, "options": options}])


def find_command(tree: app_commands.CommandTree, path: str) -> app_commands.Command[Any, ..., Any]:
    """The Discord command that runs the core's command `path` ("tz" is /tz show, "tz set" is /tz set)."""
    wanted = tuple(path.split())
    for command in tree.walk_commands():
        if isinstance(command, app_commands.Command) and command.extras.get("path") == wanted:
            return command
    raise AssertionError(f"no Discord command for /{path}")


def slash(tree: app_commands.CommandTree, path: str, args: str | None = None, *, member_id: int = 1001,
          name: str = "amara", guild: int | None = GUILD_ID, locale: str = "en-US", permissions: int = 0,
          focused: bool = False) -> dict[str, Any]:
    """An APPLICATION_COMMAND (or, with `focused`, an autocomplete) interaction running the core's `path`."""
    found = find_command(tree, path)
    options = [] if args is None else [{"type": 3, "name": "args", "value": args, **({"focused": True} if focused else {})}]
    payload = _base(4 if focused else 2, member_id, name, guild=guild, locale=locale, permissions=permissions)
    payload["data"] = _command_data(found, options)
    return payload


def button_press(custom_id: str, *, member_id: int = 1001, name: str = "amara", guild: int | None = GUILD_ID,
                 locale: str = "en-US") -> dict[str, Any]:
    payload = _base(3, member_id, name, guild=guild, locale=locale, permissions=0)
    payload["data"] = {"custom_id": custom_id, "component_type": 2}
    channel_id = payload["channel"]["id"]
    payload["message"] = {"id": str(next(_ids)), "channel_id": channel_id, "author": BOT, "content": "",
                          "timestamp": TIMESTAMP, "edited_timestamp": None, "tts": False, "mention_everyone": False,
                          "mentions": [], "mention_roles": [], "attachments": [], "embeds": [], "pinned": False,
                          "type": 0, "components": []}
    return payload


def modal_submit(custom_id: str, values: dict[str, str], *, member_id: int = 1001, name: str = "amara",
                 guild: int | None = GUILD_ID, locale: str = "en-US") -> dict[str, Any]:
    payload = _base(5, member_id, name, guild=guild, locale=locale, permissions=0)
    payload["data"] = {"custom_id": custom_id, "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": key, "value": value}]} for key, value in values.items()]}
    return payload


def interaction(client: discord.Client, payload: dict[str, Any]) -> discord.Interaction:
    return discord.Interaction(data=payload, state=client._connection)  # type: ignore[arg-type]


# --- fixtures (imported by the test_discord_* modules) ----------------------------------------------

# For tests whose subject is Discord, not storage: one engine is enough.
sqlite_only = pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)

@pytest.fixture
async def discord_api(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[FakeDiscord]:
    api = FakeDiscord()
    monkeypatch.setattr(discord.http.Route, "BASE", await api.start())
    yield api
    await api.close()


@pytest.fixture
async def adapter(core: Meridian, discord_api: FakeDiscord) -> AsyncIterator[DiscordAdapter]:
    """The adapter logged in to the fake API (commands synced); the core answers well within the defer budget."""
    started = DiscordAdapter(core, replace(core.settings, discord_token="test-token"), defer_after=30)
    await started.login()
    yield started
    await started.client.close()


def callbacks(api: FakeDiscord) -> list[dict[str, Any]]:
    """The interaction responses the bot sent, oldest first: {"type": 4|5|9, "data": {...}}."""
    return [c.body for c in api.requests("POST", r"/interactions/\d+/[^/]+/callback")]


def markdown_source(response: dict[str, Any]) -> str:
    """The markdown of a message or interaction response (content and embeds) as sent."""
    data = response.get("data", response)
    parts = [data.get("content") or ""]
    for embed in data.get("embeds") or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']}\n{f['value']}" for f in embed.get("fields") or []]
    return "\n".join(p for p in parts if p)


def answer_text(response: dict[str, Any]) -> str:
    """What the member reads: the markdown with its escapes resolved (Discord shows '\\_' as '_')."""
    return re.sub(r"\\([\\*_~`|>#\-\[\]()])", r"\1", markdown_source(response))


def custom_ids(response: dict[str, Any]) -> list[str]:
    data = response.get("data", response)
    return [c["custom_id"] for row in data.get("components") or [] for c in row.get("components", [])
            if "custom_id" in c]
