"""A local stand-in for Slack's Web API: a real HTTP server on 127.0.0.1 that records every call.

Point the app at it with SLACK_API_URL (slack_sdk's base_url) and assert on what "Slack" received.
It implements the methods Meridian uses, keeps the messages it accepted (with their metadata, so
`conversations.history` can answer "was this delivered?"), and behaves like Slack where it matters:

- limits: `channel_interval` (at most one chat.postMessage per channel per interval; Slack: ~1 s)
  and `workspace_rate` (messages per second per token) answer 429 with Retry-After when exceeded;
- faults: `fail("chat.postMessage", status=429 | 500 | 503, times=n, after_effect=True)` injects
  errors, before the effect (nothing happened) or after it (Slack posted, the answer was lost);
- OAuth (`oauth.v2.access`), response_url hooks (`hook_url(name)`), file uploads, views, and the
  Socket Mode WebSocket (`apps.connections.open` + `socket_request(...)`).

Used by tests/adapters/test_slack_*.py and by bench/. Run alone with
`python -m tests.support.slack_standin --port 9999` to poke at it by hand.
"""
from __future__ import annotations

import argparse
import asyncio
import base64
import itertools
import json
import time
import uuid
from collections import deque
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web
from tests.support.http import serve_locally

JSON = dict[str, Any]


@dataclass
class Call:
    method: str
    params: JSON
    token: str | None
    at: float                       # time.monotonic() on arrival
    status: int = 200
    error: str | None = None        # Slack's error code when ok=false


@dataclass
class Message:
    channel: str
    ts: str
    text: str
    blocks: list[JSON]
    metadata: JSON | None
    thread_ts: str | None = None
    edits: int = 0
    user: str | None = None          # a member's message (`post_as`); None: the app's own


@dataclass
class Fault:
    status: int
    times: int
    retry_after: float | None
    after_effect: bool


@dataclass
class User:
    id: str
    name: str
    tz: str = "UTC"
    locale: str = "en-US"
    is_admin: bool = False
    team_id: str = "T0001"


@dataclass
class Team:
    id: str
    name: str
    bot_token: str
    bot_user_id: str = "UBOT"
    bot_id: str = "B0001"


def _maybe_json(value: Any) -> Any:
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class SlackStandIn:
    def __init__(self, *, team_id: str = "T0001", team_name: str = "Acme", bot_token: str = "xoxb-standin",
                 app_token: str = "xapp-standin", client_id: str = "111.222", client_secret: str = "standin-secret",
                 channel_interval: float | None = None, workspace_rate: float | None = None,
                 limit_retry_after: float = 1, host: str = "127.0.0.1", port: int = 0) -> None:
        self.teams: dict[str, Team] = {bot_token: Team(team_id, team_name, bot_token)}
        self.app_token = app_token
        self.client_id, self.client_secret = client_id, client_secret
        self.channel_interval = channel_interval
        self.workspace_rate = workspace_rate
        self.limit_retry_after = limit_retry_after      # what the limits answer in Retry-After (Slack: whole seconds)
        self.host, self.port = host, port
        self.users: dict[str, User] = {}
        self.channels: dict[str, str] = {}              # name -> id
        self.channel_members: dict[str, list[str]] = {}  # channel id -> user ids (conversations.members)
        self.deleted: list[Message] = []                 # removed by chat.delete
        self.calls: list[Call] = []
        self.messages: list[Message] = []
        self.ephemeral: list[JSON] = []
        self.hooks: list[tuple[str, JSON]] = []         # (hook name, body) posted to response_url
        self.opened_views: list[JSON] = []
        self.published_views: list[JSON] = []
        self.uploads: dict[str, JSON] = {}              # file id -> {filename, length, data, channel}
        self.limit_violations = 0                      # 429s the limits (not injected faults) caused
        self.oauth_codes: dict[str, str] = {}           # code -> team id it installs into
        # Sign in with Slack (OpenID Connect): who "signs in" at the authorize page, and the codes it issued.
        self.signin_user: str | None = None
        self.signin_codes: dict[str, JSON] = {}
        self._faults: dict[str, deque[Fault]] = {}
        self._holds: dict[str, asyncio.Event] = {}
        self._last_post: dict[str, float] = {}
        self._recent_posts: dict[str, deque[float]] = {}
        self._seq = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._socket: web.WebSocketResponse | None = None
        self._socket_acks: dict[str, asyncio.Future[JSON]] = {}
        self._socket_ready = asyncio.Event()

    # --- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> "SlackStandIn":
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.add_routes([web.post("/api/{method}", self._api), web.get("/api/{method}", self._api),
                        web.post("/upload/{file_id}", self._upload), web.post("/hooks/{name}", self._hook),
                        web.get("/socket", self._websocket),
                        web.get("/openid/connect/authorize", self._openid_authorize)])
        self._runner, self.port = await serve_locally(app, self.host, self.port)
        return self

    async def stop(self) -> None:
        if self._socket is not None:
            await self._socket.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def __aenter__(self) -> "SlackStandIn":
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def origin(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def base_url(self) -> str:
        """What to put in SLACK_API_URL."""
        return f"{self.origin}/api/"

    def hook_url(self, name: str) -> str:
        """A response_url for a signed request; what the app posts there lands in `hooks`."""
        return f"{self.origin}/hooks/{name}"

    # --- test controls -----------------------------------------------------------------------------
    def add_user(self, user_id: str, name: str = "", *, tz: str = "UTC", locale: str = "en-US",
                 is_admin: bool = False, team_id: str | None = None) -> User:
        user = User(user_id, name or user_id.lower(), tz, locale, is_admin, team_id or self.team.id)
        self.users[user_id] = user
        return user

    def add_team(self, team_id: str, name: str, bot_token: str) -> Team:
        team = Team(team_id, name, bot_token)
        self.teams[bot_token] = team
        return team

    @property
    def team(self) -> Team:
        return next(iter(self.teams.values()))

    def fail(self, method: str, *, status: int = 500, times: int = 1, retry_after: float | None = None,
             after_effect: bool = False) -> None:
        """The next `times` calls of `method` answer `status`; with after_effect the call took effect first."""
        if status == 429 and retry_after is None:
            retry_after = 1
        self._faults.setdefault(method, deque()).append(Fault(status, times, retry_after, after_effect))

    def hold(self, method: str) -> asyncio.Event:
        """Calls of `method` wait until the returned event is set (to observe what happens meanwhile)."""
        return self._holds.setdefault(method, asyncio.Event())

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def messages_in(self, channel: str) -> list[Message]:
        return [m for m in self.messages if m.channel == channel]

    def dedupe_keys(self) -> list[str]:
        """The Meridian dedupe key of every message Slack holds (one entry per stored message)."""
        return [str(m.metadata.get("event_payload", {}).get("dedupe_key")) for m in self.messages
                if m.metadata and m.metadata.get("event_type") == "meridian_message"]

    def dm_channel(self, *user_ids: str) -> str:
        return ("D" + user_ids[0]) if len(user_ids) == 1 else "G" + "".join(sorted(user_ids))

    def add_channel(self, name: str) -> str:
        return self.channels.setdefault(name, "C" + name.upper().replace("-", "")[:10])

    def channel_id(self, name_or_id: str) -> str:
        """chat.postMessage takes a name or an id; other methods need the id (like Slack)."""
        value = name_or_id.lstrip("#")
        if value in self.channels.values() or value[:1] in ("D", "G"):
            return value
        return self.add_channel(value)

    def post_as(self, user: str, channel: str, text: str) -> Message:
        """A member's message in a channel (what a `message` event announces): conversations.history has it."""
        message = Message(self.channel_id(channel), self._next_ts(), text, [], None, user=user)
        self.messages.append(message)
        return message

    def thread_replies(self, channel: str, ts: str) -> list[Message]:
        """The app's replies in the thread of message `ts` (deleted ones gone)."""
        return [m for m in self.messages if m.channel == channel and m.thread_ts == ts]

    def _known_channel(self, value: str) -> bool:
        return value in self.channels.values() or value[:1] in ("D", "G")

    async def wait_for(self, predicate, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
        """Poll until `predicate()` holds (the app works after its ack, so results arrive a moment later)."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("the stand-in never saw what the test waited for")
            await asyncio.sleep(0.02)

    # --- Socket Mode ---------------------------------------------------------------------------------
    async def socket_request(self, kind: str, payload: JSON, timeout: float = 10.0) -> JSON:
        """Push an envelope ('slash_commands', 'interactive', 'events_api') and return the app's ack."""
        await asyncio.wait_for(self._socket_ready.wait(), timeout)
        assert self._socket is not None
        envelope_id = str(uuid.uuid4())
        future: asyncio.Future[JSON] = asyncio.get_running_loop().create_future()
        self._socket_acks[envelope_id] = future
        await self._socket.send_json({"envelope_id": envelope_id, "type": kind, "payload": payload,
                                      "accepts_response_payload": kind != "events_api", "retry_attempt": 0,
                                      "retry_reason": ""})
        return await asyncio.wait_for(future, timeout)

    async def _websocket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(heartbeat=None)
        await ws.prepare(request)
        self._socket = ws
        await ws.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "standin"},
                            "connection_info": {"app_id": "A0001"}})
        self._socket_ready.set()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                data = json.loads(msg.data)
                future = self._socket_acks.pop(data.get("envelope_id", ""), None)
                if future is not None and not future.done():
                    future.set_result(data)
        self._socket_ready.clear()
        return ws

    # --- HTTP plumbing -----------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> JSON:
        params: JSON = dict(request.query)
        if request.can_read_body:
            if request.content_type == "application/json":
                params.update(await request.json())
            elif request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                params.update({k: v for k, v in (await request.post()).items() if isinstance(v, str)})
        return {k: _maybe_json(v) for k, v in params.items()}

    @staticmethod
    def _token(request: web.Request, params: JSON) -> str | None:
        auth = request.headers.get("Authorization", "")
        if auth.startswith("Bearer "):
            return auth[len("Bearer "):]
        return params.get("token")

    def _take_fault(self, method: str) -> Fault | None:
        queue = self._faults.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.popleft()
        return fault

    @staticmethod
    def _error(status: int, error: str, retry_after: float | None = None) -> web.Response:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else None
        return web.json_response({"ok": False, "error": error}, status=status, headers=headers)

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        basic = request.headers.get("Authorization", "")
        if basic.startswith("Basic "):  # oauth.v2.access sends the client credentials this way
            client_id, _, client_secret = base64.b64decode(basic[6:]).decode().partition(":")
            params.setdefault("client_id", client_id)
            params.setdefault("client_secret", client_secret)
        token = self._token(request, params)
        call = Call(method, params, token, time.monotonic())
        self.calls.append(call)
        if method in self._holds:
            await self._holds[method].wait()
        fault = self._take_fault(method)
        if fault is not None and not fault.after_effect:
            call.status, call.error = fault.status, "ratelimited" if fault.status == 429 else "internal_error"
            return self._error(fault.status, call.error, fault.retry_after)
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            call.error = "unknown_method"
            return web.json_response({"ok": False, "error": "unknown_method"})
        if method not in ("oauth.v2.access", "apps.connections.open", "openid.connect.token"):
            if token not in self.teams:
                call.error = "invalid_auth"
                return web.json_response({"ok": False, "error": "invalid_auth"})
        result = handler(params, token)
        if isinstance(result, web.Response):
            call.status, call.error = result.status, "ratelimited"
            return result
        if fault is not None:  # after_effect: it happened, but the caller hears an error
            call.status, call.error = fault.status, "ratelimited" if fault.status == 429 else "internal_error"
            return self._error(fault.status, call.error, fault.retry_after)
        if not result.get("ok", True):
            call.error = result.get("error")
        return web.json_response({"ok": True, **result} if result.get("ok", True) else result)

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["file_id"]
        if file_id not in self.uploads:
            return web.Response(status=404, text="no such upload")
        self.uploads[file_id]["data"] = await request.read()
        return web.Response(text="OK - " + str(len(self.uploads[file_id]["data"])), content_type="text/plain")

    async def _hook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.hooks.append((request.match_info["name"], body))
        return web.Response(text="ok", content_type="text/plain")

    async def _openid_authorize(self, request: web.Request) -> web.StreamResponse:
        """Sign in with Slack's consent page, approved at once as `signin_user` (or denied when it is None)."""
        query = request.query
        redirect = query.get("redirect_uri", "")
        if query.get("client_id") != self.client_id or "openid" not in query.get("scope", "").split():
            return web.Response(status=400, text="invalid_client_id or scope")
        if self.signin_user is None or self.signin_user not in self.users:
            raise web.HTTPFound(f"{redirect}?error=access_denied&state={query.get('state', '')}")
        code = f"oidc-{next(self._seq)}"
        self.signin_codes[code] = {"user": self.signin_user, "nonce": query.get("nonce"), "redirect_uri": redirect}
        raise web.HTTPFound(f"{redirect}?code={code}&state={query.get('state', '')}")

    def _next_ts(self) -> str:
        return f"{int(time.time())}.{next(self._seq):06d}"

    # --- methods ---------------------------------------------------------------------------------
    def _team_of(self, token: str | None) -> Team:
        return self.teams[token] if token in self.teams else self.team

    def _m_auth_test(self, params: JSON, token: str | None) -> JSON:
        team = self._team_of(token)
        return {"url": f"https://{team.name.lower()}.slack.com/", "team": team.name, "user": "meridian",
                "team_id": team.id, "user_id": team.bot_user_id, "bot_id": team.bot_id,
                "is_enterprise_install": False}

    def _m_oauth_v2_access(self, params: JSON, token: str | None) -> JSON:
        if params.get("client_id") != self.client_id or params.get("client_secret") != self.client_secret:
            return {"ok": False, "error": "invalid_client_id"}
        code = str(params.get("code", ""))
        team_id = self.oauth_codes.pop(code, None)
        if team_id is None:
            return {"ok": False, "error": "invalid_code"}
        bot_token = f"xoxb-oauth-{team_id}-{next(self._seq)}"
        team = self.add_team(team_id, f"Team {team_id}", bot_token)
        return {"app_id": "A0001", "authed_user": {"id": "UINSTALLER"}, "scope": "commands,chat:write",
                "token_type": "bot", "access_token": bot_token, "bot_user_id": team.bot_user_id,
                "team": {"id": team.id, "name": team.name}, "enterprise": None, "is_enterprise_install": False}

    def _m_openid_connect_token(self, params: JSON, token: str | None) -> JSON:
        if params.get("client_id") != self.client_id or params.get("client_secret") != self.client_secret:
            return {"ok": False, "error": "invalid_client_id"}
        grant = self.signin_codes.pop(str(params.get("code", "")), None)
        if grant is None or grant["redirect_uri"] != params.get("redirect_uri"):
            return {"ok": False, "error": "invalid_code"}
        user = self.users[grant["user"]]
        now = int(time.time())
        claims = {"iss": "https://slack.com", "sub": user.id, "aud": self.client_id, "exp": now + 3600, "iat": now,
                  "nonce": grant["nonce"], "https://slack.com/team_id": user.team_id,
                  "https://slack.com/user_id": user.id, "name": user.name.title(), "locale": user.locale}

        def part(value: JSON) -> str:
            return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
        id_token = f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c3RhbmQtaW4"
        return {"access_token": f"xoxp-signin-{user.id}", "token_type": "Bearer", "id_token": id_token}

    def _m_apps_connections_open(self, params: JSON, token: str | None) -> JSON:
        if token != self.app_token:
            return {"ok": False, "error": "invalid_auth"}
        return {"url": f"ws://{self.host}:{self.port}/socket"}

    def _m_users_info(self, params: JSON, token: str | None) -> JSON:
        user = self.users.get(str(params.get("user")))
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        data: JSON = {"id": user.id, "team_id": user.team_id, "name": user.name, "real_name": user.name.title(),
                      "tz": user.tz, "is_admin": user.is_admin, "is_owner": False, "is_bot": False,
                      "profile": {"display_name": user.name, "real_name": user.name.title()}}
        if str(params.get("include_locale", "")).lower() in ("true", "1"):
            data["locale"] = user.locale
        return {"user": data}

    def _m_conversations_open(self, params: JSON, token: str | None) -> JSON:
        users = [u for u in str(params.get("users", "")).split(",") if u]
        if not users:
            return {"ok": False, "error": "users_list_not_supplied"}
        if any(u not in self.users for u in users):
            return {"ok": False, "error": "user_not_found"}
        return {"channel": {"id": self.dm_channel(*users)}}

    def _rate_limited(self, channel: str, token: str | None) -> web.Response | None:
        now = time.monotonic()
        if self.channel_interval is not None:
            last = self._last_post.get(channel)
            if last is not None and now - last < self.channel_interval * 0.9:
                self.limit_violations += 1
                return self._error(429, "ratelimited", self.limit_retry_after)  # type: ignore[arg-type]
        if self.workspace_rate is not None:
            recent = self._recent_posts.setdefault(str(token), deque())
            while recent and now - recent[0] > 1.0:
                recent.popleft()
            if len(recent) >= self.workspace_rate * 1.1 + 1:
                self.limit_violations += 1
                return self._error(429, "ratelimited", self.limit_retry_after)  # type: ignore[arg-type]
            recent.append(now)
        self._last_post[channel] = now
        return None

    def _m_chat_postMessage(self, params: JSON, token: str | None) -> JSON | web.Response:
        if not params.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not params.get("text") and not params.get("blocks"):
            return {"ok": False, "error": "no_text"}
        channel = self.channel_id(str(params["channel"]))
        if channel.startswith("U"):  # posting to a user id lands in the app's DM with them
            channel = self.dm_channel(channel)
        limited = self._rate_limited(channel, token)
        if limited is not None:
            return limited
        message = Message(channel, self._next_ts(), str(params.get("text", "")), params.get("blocks") or [],
                          params.get("metadata"), params.get("thread_ts"))
        self.messages.append(message)
        return {"channel": channel, "ts": message.ts, "message": {"text": message.text, "ts": message.ts}}

    def _m_chat_update(self, params: JSON, token: str | None) -> JSON:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        for message in self.messages:
            if message.channel == channel and message.ts == ts:
                message.text = str(params.get("text", message.text))
                message.blocks = params.get("blocks") or message.blocks
                if params.get("metadata"):
                    message.metadata = params["metadata"]
                message.edits += 1
                return {"channel": channel, "ts": ts, "text": message.text}
        return {"ok": False, "error": "message_not_found"}

    def _m_chat_delete(self, params: JSON, token: str | None) -> JSON:
        channel, ts = str(params.get("channel", "")), str(params.get("ts", ""))
        for message in self.messages:
            if message.channel == channel and message.ts == ts and message.user is None:
                self.messages.remove(message)
                self.deleted.append(message)
                return {"channel": channel, "ts": ts}
        return {"ok": False, "error": "message_not_found"}

    def _m_conversations_members(self, params: JSON, token: str | None) -> JSON:
        channel = str(params.get("channel", ""))
        if channel not in self.channel_members:
            return {"ok": False, "error": "channel_not_found"}
        return {"members": self.channel_members[channel], "response_metadata": {"next_cursor": ""}}

    def _m_chat_postEphemeral(self, params: JSON, token: str | None) -> JSON:
        if not params.get("user") or not params.get("channel"):
            return {"ok": False, "error": "user_not_in_channel"}
        self.ephemeral.append(params)
        return {"message_ts": self._next_ts()}

    def _m_conversations_list(self, params: JSON, token: str | None) -> JSON:
        return {"channels": [{"id": cid, "name": name, "is_channel": True} for name, cid in self.channels.items()],
                "response_metadata": {"next_cursor": ""}}

    def _m_conversations_history(self, params: JSON, token: str | None) -> JSON:
        channel = str(params.get("channel", ""))
        if not self._known_channel(channel):
            return {"ok": False, "error": "channel_not_found"}
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("true", "1")
        limit = int(params.get("limit", 100))
        found = [m for m in reversed(self.messages) if m.channel == channel]
        if params.get("latest"):                          # up to `latest` (with it, when inclusive)
            inclusive = str(params.get("inclusive", "")).lower() in ("true", "1")
            found = [m for m in found if float(m.ts) < float(params["latest"])
                     or (inclusive and m.ts == str(params["latest"]))]
        found = found[:limit]
        return {"messages": [{"type": "message", "ts": m.ts, "text": m.text,
                              **({"user": m.user} if m.user else {"bot_id": "B0001"}),
                              **({"metadata": m.metadata} if with_metadata and m.metadata else {})} for m in found],
                "has_more": False}

    def _m_views_open(self, params: JSON, token: str | None) -> JSON:
        if not params.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        view = dict(params.get("view") or {})
        self.opened_views.append({"trigger_id": params["trigger_id"], "view": view})
        return {"view": {"id": f"V{next(self._seq)}", **view}}

    def _m_views_publish(self, params: JSON, token: str | None) -> JSON:
        if not params.get("user_id"):
            return {"ok": False, "error": "invalid_arguments"}
        view = dict(params.get("view") or {})
        self.published_views.append({"user_id": params["user_id"], "view": view})
        return {"view": {"id": f"V{next(self._seq)}", **view}}

    def _m_files_getUploadURLExternal(self, params: JSON, token: str | None) -> JSON:
        file_id = f"F{next(self._seq)}"
        self.uploads[file_id] = {"filename": params.get("filename"), "length": int(params.get("length", 0)),
                                 "data": None, "channel": None, "title": None}
        return {"upload_url": f"{self.origin}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, params: JSON, token: str | None) -> JSON:
        files = params.get("files") or []
        done = []
        for item in files:
            upload = self.uploads.get(item.get("id"))
            if upload is None or upload["data"] is None:
                return {"ok": False, "error": "file_not_found"}
            upload["channel"], upload["title"] = params.get("channel_id"), item.get("title")
            upload["initial_comment"] = params.get("initial_comment")
            done.append({"id": item["id"], "title": item.get("title"), "name": upload["filename"]})
        return {"files": done}


def main() -> None:  # pragma: no cover - manual use
    parser = argparse.ArgumentParser(description="Run the Slack Web API stand-in until interrupted.")
    parser.add_argument("--port", type=int, default=9999)
    parser.add_argument("--channel-interval", type=float, default=None)
    parser.add_argument("--workspace-rate", type=float, default=None)
    args = parser.parse_args()

    async def run() -> None:
        standin = await SlackStandIn(port=args.port, channel_interval=args.channel_interval,
                                     workspace_rate=args.workspace_rate).start()
        print(f"SLACK_API_URL={standin.base_url}  (bot token {standin.team.bot_token})", flush=True)
        await asyncio.Event().wait()

    asyncio.run(run())


if __name__ == "__main__":  # pragma: no cover
    main()
