"""The Slack app: Bolt listeners that turn Slack payloads into core requests and replies into Block Kit.

Every listener acknowledges first (Slack allows 3 seconds) and does the work afterwards; the core
is synchronous SQLAlchemy, so each request runs in a worker thread. What the platform says about a
member (users.info time zone, locale, admin flag) travels as Identity hints: they fill a new
profile, and a member's own /tz or /profile locale always wins.

Over HTTP the signature and timestamp (5 minutes) are checked on the raw bytes before anything
parses them (401 and one log line otherwise; a signed body that cannot be read gets 400); Bolt
checks them again, and `_guard` stops replays: a signature seen before is refused with 401, and an
event id seen before (a Slack retry, X-Slack-Retry-Num) is acknowledged without doing anything.
Both are remembered in the database (`Meridian.first_seen`), so this holds across restarts and
replicas. Like every adapter, this one holds no database code: installs, uninstalls and profile
changes go through the core's methods.
"""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import logging
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any, AsyncIterator, Callable

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.app.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient
from sqlalchemy.exc import InterfaceError, OperationalError

from adapters.common import command_line
from adapters.pacing import Pacer
from adapters.slack import blocks
from adapters.slack.conversion import CHANNEL_TYPES, SlackConversion
from adapters.slack.sender import SlackSender
from adapters.slack.stores import PLATFORM, SlackInstallationStore, SlackStateStore
from adapters.slack.teams import installed_team
from bot.time.clock import SystemClock
from bot.config import ConfigError, Settings
from bot.core import ActionRequest, CommandRequest, Meridian
from bot.crypto import Cipher
from bot.i18n import Translator
from bot.members import Identity
from bot.reply import Outbound, Reply
from scheduler.delivery import DeliveryError, WorkspaceRef

log = logging.getLogger(__name__)

SLACK_API = "https://slack.com/api/"
EVENTS_PATH, INSTALL_PATH, REDIRECT_PATH = "/slack/events", "/slack/install", "/slack/oauth_redirect"
# Every bot scope Meridian asks for, with what needs it (least privilege: nothing else). The manifest
# (deploy/slack-manifest.yaml), OAuth installs and the README's table follow this list, and
# tests/adapters/test_slack_manifest.py checks it against the Web API calls and events in the code.
SCOPE_USES: dict[str, str] = {
    "commands": "the slash commands (/tz, /time, /when, /standup, /coffee, /holidays, /meet, /away, /profile, /meridian)",
    "chat:write": "every answer and scheduled message (chat.postMessage, chat.update)",
    "chat:write.public": "standup summaries, coffee rounds and holiday notices in a configured public channel "
                         "the bot was not invited to",
    "im:write": "opening a member's DM for prompts, reminders and answers (conversations.open)",
    "mpim:write": "the group DM that introduces a coffee pair or trio (conversations.open with several users)",
    "users:read": "a member's time zone, language and admin flag (users.info; the user_change event)",
    "channels:read": "finding a public channel configured by name (conversations.list)",
    "groups:read": "finding a private channel configured by name (conversations.list)",
    "im:history": "commands typed in a DM (message.im), and checking a DM before resending after an ambiguous "
                  "failure (conversations.history)",
    "mpim:history": "checking a coffee group DM before resending after an ambiguous failure (conversations.history)",
    "channels:history": "checking a public channel before resending a summary after an ambiguous failure",
    "groups:history": "checking a private channel before resending a summary after an ambiguous failure",
    "files:write": "the team-clock and meeting charts (files.getUploadURLExternal, files.completeUploadExternal)",
    "reactions:read": "a clock-face reaction on a message shows its times to whoever reacted (reaction_added)",
}
BOT_SCOPES = tuple(SCOPE_USES)
CATCH_ALL_COMMAND = "/meridian"          # "/meridian away 2026-12-20 2027-01-04": any command, by its full line
PEOPLE_TTL = 15 * 60                     # seconds a users.info answer (admin flag, zone, locale) is trusted
INSTALL_STARTS_PER_MINUTE = 10           # per client address: each start stores an OAuth state row
ACK_BUDGET = 2.0                         # seconds we wait for the core before acknowledging a modal anyway


def slack_mode(settings: Settings) -> str | None:
    """'oauth' (HTTP, many workspaces), 'socket' (one workspace, no public URL), 'http' (one workspace) or None."""
    if settings.slack_client_id or settings.slack_client_secret:
        missing = [name for name, value in (("SLACK_CLIENT_ID", settings.slack_client_id),
                                            ("SLACK_CLIENT_SECRET", settings.slack_client_secret),
                                            ("SLACK_SIGNING_SECRET", settings.slack_signing_secret),
                                            ("MERIDIAN_SECRET_KEY", settings.secret_key)) if not value]
        if missing:
            raise ConfigError(f"Slack OAuth mode also needs {', '.join(missing)}")
        return "oauth"
    if settings.slack_app_token:
        if not settings.slack_bot_token:
            raise ConfigError("Slack Socket Mode needs SLACK_BOT_TOKEN as well as SLACK_APP_TOKEN")
        return "socket"
    if settings.slack_bot_token:
        if not settings.slack_signing_secret:
            raise ConfigError("SLACK_BOT_TOKEN alone is not enough: add SLACK_APP_TOKEN (Socket Mode) "
                              "or SLACK_SIGNING_SECRET (HTTP mode)")
        return "http"
    return None


SIGNATURE_MAX_AGE = 5 * 60               # seconds either way, like Bolt and Slack's documentation
MAX_TIMESTAMP_DIGITS = 12                # X-Slack-Request-Timestamp is Unix seconds; anything longer is garbage


def signed_by_slack(secret: str, body: bytes, headers: Any, now: float) -> bool:
    """Slack's signature (HMAC-SHA256 of `v0:{timestamp}:{raw body}`) with a numeric timestamp within five
    minutes of `now`, as Bolt checks it later, decided on the bytes without decoding anything the sender chose."""
    timestamp = headers.get("X-Slack-Request-Timestamp") or ""
    signature = headers.get("X-Slack-Signature") or ""
    if not (secret and signature and timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= MAX_TIMESTAMP_DIGITS):
        return False
    if abs(now - int(timestamp)) > SIGNATURE_MAX_AGE:
        return False
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))




def typed_line(text: str) -> str:
    """A whole command typed as text ("/meridian tz set Tokyo", a DM saying "tz set Tokyo")."""
    words = text.strip().lstrip("/").split(None, 1)
    return command_line((words[0],), words[1] if len(words) > 1 else "") if words else "/help"


class PerAddressLimit:
    """At most `limit` events per `window` seconds per client address (a sliding window, in memory: each
    replica counts its own, which still bounds what one address can make the database store)."""

    def __init__(self, limit: int, window: float) -> None:
        self.limit, self.window = limit, window
        self._seen: dict[str, list[float]] = {}

    def wait_for(self, address: str, now: float) -> int:
        """0 and the event counted, or the whole seconds to wait before this address may try again."""
        if len(self._seen) > 10_000:      # forget quiet addresses so the table stays small
            self._seen = {a: t for a, t in self._seen.items() if t and t[-1] > now - self.window}
        recent = [t for t in self._seen.get(address, []) if t > now - self.window]
        if len(recent) >= self.limit:
            self._seen[address] = recent
            return max(1, int(recent[0] + self.window - now + 0.999))
        self._seen[address] = recent + [now]
        return 0


@dataclass(frozen=True)
class Person:
    """What Slack's users.info says about a member."""

    name: str = ""
    tz: str | None = None
    locale: str | None = None
    is_admin: bool = False


class SlackAdapter:
    """Slack as a `adapters.base.PlatformAdapter`: Bolt's app, its routes or Socket Mode, and the sender."""

    name = PLATFORM

    def __init__(self, core: Meridian, settings: Settings, *, mode: str | None = None,
                 pacer: Pacer | None = None) -> None:
        self.core = core
        self.settings = settings
        self.mode = mode or slack_mode(settings)
        if self.mode is None:
            raise ConfigError("Slack is not configured")
        self.api_url = settings.slack_api_url or SLACK_API
        if not self.api_url.endswith("/"):
            self.api_url += "/"
        self.clock = SystemClock()   # signatures, retries and OAuth states live in real time
        self.installations: SlackInstallationStore | None = None
        self._authorize: AsyncInstallationStoreAuthorize | None = None
        self.app = self._build_app()
        self.sender = SlackSender(self.client_for_team, pacer=pacer)
        self._people: dict[tuple[str, str], tuple[float, Person]] = {}
        self._clients: dict[str, AsyncWebClient] = {}
        self._tokens: dict[str, tuple[float, str]] = {}
        self._inflight: set[asyncio.Task[Any]] = set()
        self._known_teams: set[str] = set()
        self._team_locks: dict[str, asyncio.Lock] = {}
        self._socket: Any = None
        self._last_prune = 0.0
        self.conversion = SlackConversion(self)
        self._single_team: str | None = None      # single-token modes: the token's team (auth.test)
        self._install_starts = PerAddressLimit(INSTALL_STARTS_PER_MINUTE, 60.0)
        self._register()

    # --- construction ------------------------------------------------------------------------------
    def _client(self, token: str | None = None, **kwargs: Any) -> AsyncWebClient:
        return AsyncWebClient(token=token, base_url=self.api_url, **kwargs)

    def _build_app(self) -> AsyncApp:
        s = self.settings
        if self.mode == "oauth":
            client = self._client()
            store = self.installations = SlackInstallationStore(self.core, Cipher(s.secret_key), self.clock)
            oauth = AsyncOAuthSettings(
                client_id=s.slack_client_id, client_secret=s.slack_client_secret, scopes=list(BOT_SCOPES),
                install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH, installation_store=store,
                installation_store_bot_only=True, state_store=SlackStateStore(self.core, clock=self.clock))
            authorize = self._authorize = AsyncInstallationStoreAuthorize(
                installation_store=store, client_id=s.slack_client_id, client_secret=s.slack_client_secret,
                logger=log, bot_only=True, cache_enabled=True, client=client)
            return AsyncApp(signing_secret=s.slack_signing_secret, client=client, authorize=authorize,
                            installation_store=store, installation_store_bot_only=True, oauth_settings=oauth,
                            process_before_response=False, name="meridian.slack")
        client = self._client(s.slack_bot_token)
        return AsyncApp(signing_secret=s.slack_signing_secret, client=client, process_before_response=False,
                        name="meridian.slack")

    def _register(self) -> None:
        app = self.app
        app.middleware(self._guard)
        app.command(re.compile(r"^/[\w-]+$"))(self._on_command)
        app.action(re.compile(r".+"))(self._on_action)
        app.view(re.compile(r".+"))(self._on_view)
        app.event("app_home_opened")(self._on_home_opened)
        app.event("user_change")(self._on_user_change)
        app.event("message")(self._on_message)
        app.event("app_uninstalled")(self._on_uninstalled)
        app.event("tokens_revoked")(self._on_uninstalled)
        self.conversion.register()

    # --- HTTP and Socket Mode ----------------------------------------------------------------------
    @property
    def label(self) -> str:
        return f"slack ({self.mode})"

    def routes(self) -> list[web.RouteDef]:
        """POST /slack/events (commands, events, interactivity); the OAuth pages in OAuth mode."""
        if self.mode == "socket":
            return []
        found = [web.post(EVENTS_PATH, self._http)]
        if self.mode == "oauth":
            found += [web.get(INSTALL_PATH, self._http_oauth), web.get(REDIRECT_PATH, self._http_oauth)]
        return found

    async def _http(self, request: web.Request) -> web.Response:
        """The signature is checked on the raw bytes before anything reads them, so garbage from anyone
        but Slack costs one log line and a 401; a signed body Slack could never have sent gets 400."""
        raw = await request.read()
        if not signed_by_slack(self.settings.slack_signing_secret, raw, request.headers, self.clock.now().timestamp()):
            log.warning("refused a Slack request without a valid signature", extra={"path": request.path})
            return web.Response(status=401, text="invalid request")
        try:
            bolt_request = AsyncBoltRequest(body=raw.decode("utf-8"), query=request.query_string,
                                            headers=request.headers)  # type: ignore[arg-type]
        except ValueError:   # invalid UTF-8, JSON or payload=
            log.warning("refused a signed Slack request whose body cannot be read", extra={"path": request.path})
            return web.Response(status=400, text="malformed request")
        response = await self.app.async_dispatch(bolt_request)
        return await to_aiohttp_response(response)

    async def _http_oauth(self, request: web.Request) -> web.Response:
        flow = self.app.oauth_flow
        assert flow is not None
        bolt_request = await to_bolt_request(request)
        if request.path == INSTALL_PATH:
            wait = self._install_starts.wait_for(request.remote or "", time.monotonic())
            if wait:
                log.warning("refused an install start: too many from one address", extra={"client": request.remote})
                return web.Response(status=429, text="too many install attempts; try again in a minute",
                                    headers={"Retry-After": str(wait)})
            response = await flow.handle_installation(bolt_request)
        else:
            response = await flow.handle_callback(bolt_request)
        return await to_aiohttp_response(response)

    async def start(self) -> None:
        """Socket Mode connects out to Slack; HTTP modes only need their routes served."""
        if self.mode == "socket":
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            self._socket = AsyncSocketModeHandler(self.app, self.settings.slack_app_token,
                                                  web_client=self._client(self.settings.slack_bot_token))
            await self._socket.connect_async()

    async def stop(self) -> None:
        """Stop taking requests, then finish the work already acknowledged."""
        if self._socket is not None:
            await self._socket.close_async()
            self._socket = None
        await self.drain()

    async def close(self) -> None:
        """Nothing to release: the Web API clients open a connection per call, and the scheduler's last
        sends may still use them until the process ends."""

    async def drain(self) -> None:
        """Wait until every acknowledged request has been fully handled (tests, graceful shutdown)."""
        while self._inflight:
            await asyncio.gather(*list(self._inflight), return_exceptions=True)

    @contextlib.asynccontextmanager
    async def _work(self) -> AsyncIterator[None]:
        task = asyncio.current_task()
        assert task is not None
        self._inflight.add(task)
        try:
            yield
        except Exception:
            log.exception("Slack request failed after it was acknowledged")
        finally:
            self._inflight.discard(task)

    # --- tokens and clients (for the scheduler's messages) -------------------------------------------
    async def client_for_team(self, team_id: str) -> AsyncWebClient:
        token = await self._bot_token(team_id)
        if token not in self._clients:
            self._clients[token] = self._client(token, retry_handlers=[])
        return self._clients[token]

    async def _bot_token(self, team_id: str) -> str:
        if self.installations is None:
            return self.settings.slack_bot_token
        cached = self._tokens.get(team_id)
        if cached and cached[0] > time.monotonic():
            return cached[1]
        token = await self.installations.bot_token(team_id)
        if not token:
            raise DeliveryError(f"Meridian is not installed in Slack team {team_id}", permanent=True)
        self._tokens[team_id] = (time.monotonic() + 300, token)
        return token

    # --- the guard: replays and retries ------------------------------------------------------------
    async def _guard(self, req: AsyncBoltRequest, resp: BoltResponse, body: dict[str, Any],
                     next: Callable[[], Any]) -> BoltResponse:
        now = self.clock.now()
        is_event = body.get("type") == "event_callback"
        team = req.context.team_id
        if self.installations is None and team and team != await self._token_team():
            # One bot token serves one workspace: another team's signed request (the app distributed
            # without OAuth) must not create a workspace and act there with this workspace's token.
            log.warning("refused a request for Slack team %s: the bot token belongs to another team", team,
                        extra={"team": team})
            return BoltResponse(status=200, body="") if is_event else BoltResponse(status=403, body="")
        try:
            if req.mode != "socket_mode":
                signature = (req.headers.get("x-slack-signature") or [""])[0]
                if not await asyncio.to_thread(self._first_seen, "sig:" + signature, now):
                    if is_event and req.headers.get("x-slack-retry-num"):
                        return BoltResponse(status=200, body="")  # a retry within the same second: already handled
                    log.warning("refused a replayed Slack request")
                    return BoltResponse(status=401, body="replayed request")
            if is_event and body.get("event_id"):
                if not await asyncio.to_thread(self._first_seen, "event:" + str(body["event_id"]), now):
                    log.info("Slack retried event %s; already handled", body["event_id"])
                    return BoltResponse(status=200, body="")
        except (OperationalError, InterfaceError):
            # The database is away: nothing can be done or remembered. An event is refused so that
            # Slack delivers it again later; a person gets a plain answer instead of "dispatch_failed".
            log.warning("database unreachable; Slack request not handled", extra={"team": body.get("team_id")})
            if is_event:
                return BoltResponse(status=503, body="")
            text = Translator(None)._("I can't reach my database right now, so nothing was changed. Please try again in a minute.")
            return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
        await next()
        return resp

    async def _token_team(self) -> str:
        """The team of the single bot token, as auth.test tells it (asked once)."""
        if self._single_team is None:
            self._single_team = str((await self.app.client.auth_test()).get("team_id") or "")
        return self._single_team

    def _first_seen(self, key: str, now: Any) -> bool:
        prune = time.monotonic() - self._last_prune > 3600     # old keys go about once an hour
        first = self.core.first_seen(PLATFORM, key, now, forget_old=prune)
        if prune:
            self._last_prune = time.monotonic()
        return first

    # --- who is asking -----------------------------------------------------------------------------
    async def _person(self, client: AsyncWebClient, team_id: str, user_id: str) -> Person:
        cached = self._people.get((team_id, user_id))
        if cached and cached[0] > time.monotonic():
            return cached[1]
        try:
            user = (await client.users_info(user=user_id, include_locale=True)).get("user") or {}
        except SlackApiError as error:
            log.info("users.info failed: %s", error.response.get("error"))
            return Person()
        profile = user.get("profile") or {}
        person = Person(name=profile.get("display_name") or user.get("real_name") or user.get("name") or "",
                        tz=user.get("tz"), locale=user.get("locale"),
                        is_admin=bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner")))
        self._people[(team_id, user_id)] = (time.monotonic() + PEOPLE_TTL, person)
        return person

    async def _identity(self, client: AsyncWebClient, team_id: str, user_id: str, *, channel: str | None = None,
                        team_name: str = "", user_name: str = "") -> Identity:
        person = await self._person(client, team_id, user_id)
        return Identity(platform=PLATFORM, workspace_id=team_id, user_id=user_id, workspace_name=team_name,
                        user_name=person.name or user_name, locale=person.locale, tz=person.tz,
                        is_admin=person.is_admin, channel=channel)

    # --- listeners -----------------------------------------------------------------------------------
    async def _on_command(self, ack: Any, command: dict[str, Any], client: AsyncWebClient,
                          context: AsyncBoltContext) -> None:
        async with self._work():
            await ack()
            name, text = command.get("command", ""), command.get("text", "")
            line = typed_line(text) if name == CATCH_ALL_COMMAND else command_line((name.lstrip("/"),), text)
            team, user, channel = installed_team(context), command["user_id"], command.get("channel_id")
            who = await self._identity(client, team, user, channel=channel, team_name=command.get("team_domain", ""),
                                       user_name=command.get("user_name", ""))
            reply = await self._core(self.core.handle, CommandRequest(who, line))
            await self._answer(reply, who, client, trigger_id=command.get("trigger_id"),
                               response_url=command.get("response_url"))

    async def _on_action(self, ack: Any, body: dict[str, Any], client: AsyncWebClient,
                         context: AsyncBoltContext) -> None:
        async with self._work():
            await ack()
            action = (body.get("actions") or [{}])[0]
            team = installed_team(context)
            user = (body.get("user") or {}).get("id", "")
            channel = (body.get("channel") or {}).get("id")
            who = await self._identity(client, team, user, channel=channel)
            request = ActionRequest(who, blocks.action_name(action.get("action_id", "")), action.get("value") or "")
            reply = await self._core(self.core.handle_action, request)
            await self._answer(reply, who, client, trigger_id=body.get("trigger_id"),
                               response_url=body.get("response_url"))
            if (body.get("container") or {}).get("type") == "view" and (body.get("view") or {}).get("type") == "home":
                await self._publish_home(client, who)

    async def _on_view(self, ack: Any, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient,
                       context: AsyncBoltContext) -> None:
        async with self._work():
            team = installed_team(context)
            user = (body.get("user") or {}).get("id", "")
            private = blocks.decode_private(view.get("private_metadata", ""))
            who = await self._identity(client, team, user, channel=private.get("c") or None)
            request = ActionRequest(who, view.get("callback_id", ""), private.get("v", ""),
                                    blocks.form_values(view.get("state") or {}))
            work = asyncio.ensure_future(self._core(self.core.handle_action, request))
            done, _ = await asyncio.wait({work}, timeout=ACK_BUDGET)
            if not done:  # slow: close the modal now, answer when the core is done
                await ack()
                await self._answer(await work, who, client, response_url=private.get("r"))
                return
            reply = work.result()
            fields = [b["block_id"] for b in view.get("blocks", []) if b.get("type") == "input"]
            if reply.error and fields:  # keep the modal open, the message under the first field
                await ack(response_action="errors", errors={fields[0]: blocks.clip(reply.text, 300)})
                return
            if reply.form is not None:  # the next step of a multi-step form
                await ack(response_action="update", view=self._modal(reply, who, private.get("c"), private.get("r")))
                return
            await ack()
            await self._answer(reply, who, client, response_url=private.get("r"))

    async def _on_home_opened(self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        async with self._work():
            if event.get("tab") != "home":
                return
            who = await self._identity(client, installed_team(context), event.get("user", ""))
            await self._publish_home(client, who)

    async def _on_user_change(self, event: dict[str, Any], context: AsyncBoltContext) -> None:
        """A member changed their Slack profile: follow their zone and language unless they set ours."""
        async with self._work():
            user = event.get("user") or {}
            team = installed_team(context)
            self._people.pop((team, user.get("id", "")), None)
            who = Identity(platform=PLATFORM, workspace_id=team, user_id=user.get("id", ""),
                           tz=user.get("tz"), locale=user.get("locale"))
            # known_only: never create members for everyone in a big workspace
            await asyncio.to_thread(self.core.observe_profile, who, known_only=True)

    async def _on_message(self, event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext) -> None:
        """A direct message to the bot is a command line ("tz set Tokyo"); a channel message may hold times
        to convert (adapters/slack/conversion.py)."""
        async with self._work():
            if event.get("channel_type") in CHANNEL_TYPES:
                await self.conversion.on_channel_message(event, installed_team(context), client)
                return
            if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
                return
            text = (event.get("text") or "").strip()
            if not text:
                return
            who = await self._identity(client, installed_team(context), event.get("user", ""),
                                       channel=event.get("channel"))
            reply = await self._core(self.core.handle, CommandRequest(who, typed_line(text)))
            await self._answer(reply, who, client, dm_channel=event.get("channel"))

    async def _on_uninstalled(self, body: dict[str, Any], context: AsyncBoltContext) -> None:
        """Uninstalled, or the bot token revoked: forget the token now, stored and in memory; the data waits
        out the grace period. A revoked user token alone (an installer leaving) changes nothing: Meridian
        only uses the bot token."""
        async with self._work():
            event = body.get("event") or {}
            if event.get("type") == "tokens_revoked" and not (event.get("tokens") or {}).get("bot"):
                return
            team = installed_team(context)
            if self.installations is not None:
                token = await self.installations.bot_token(team)
                await self.installations.async_delete_installation(enterprise_id=None, team_id=team)
                if token:
                    self._clients.pop(token, None)
                    if self._authorize is not None:
                        self._authorize.authorize_result_cache.pop(token, None)
            self._tokens.pop(team, None)
            await asyncio.to_thread(self.core.workspace_removed, PLATFORM, team, self.clock.now())

    # --- the core ----------------------------------------------------------------------------------
    async def _core(self, handle: Callable[[Any], Reply], request: CommandRequest | ActionRequest) -> Reply:
        """Run the synchronous core in a thread. A team's first requests go one at a time, so a burst
        from a brand-new workspace does not race to create it."""
        team = request.who.workspace_id
        if team in self._known_teams:
            return await asyncio.to_thread(handle, request)
        async with self._team_locks.setdefault(team, asyncio.Lock()):
            reply = await asyncio.to_thread(handle, request)
            self._known_teams.add(team)
            return reply

    # --- answering -----------------------------------------------------------------------------------
    def _modal(self, reply: Reply, who: Identity, channel: str | None, response_url: str | None) -> dict[str, Any]:
        assert reply.form is not None
        private = {"v": reply.form.value, "c": channel or "", "r": response_url or ""}
        return blocks.modal(reply.form, private_metadata=blocks.encode_private(private),
                            submit_default=Translator(who.locale)._("Submit"))

    async def _answer(self, reply: Reply, who: Identity, client: AsyncWebClient, *, trigger_id: str | None = None, response_url: str | None = None,
                      dm_channel: str | None = None) -> None:
        """Show a reply where the member is: a modal for a form, else the response_url, else their DM."""
        if reply.form is not None and trigger_id:
            try:
                await client.views_open(trigger_id=trigger_id, view=self._modal(reply, who, who.channel, response_url))
                if not (reply.text or reply.title or reply.sections):
                    return
            except SlackApiError as error:
                log.info("views.open failed: %s", error.response.get("error"))
        if reply.form is not None and not (reply.text or reply.title):
            reply.text = Translator(who.locale)._("Open “{title}” with the slash command.", title=reply.form.title)
        payload = blocks.message(reply)
        delivered = False
        if response_url and not dm_channel:
            try:
                answer = await AsyncWebhookClient(response_url).send_dict(
                    {**payload, "response_type": "ephemeral" if reply.ephemeral else "in_channel",
                     "replace_original": False})
                delivered = answer.status_code == 200
            except Exception:  # an expired response_url: fall back to the DM below
                log.info("response_url failed; answering by DM", exc_info=True)
        if not delivered:
            await self._tell(who.workspace_id, dm_channel or who.user_id, reply)
        elif reply.image is not None and who.channel:
            # A private answer's picture goes to the member's DM, never to the whole channel.
            channel = (await self.sender.conversation(client, who.workspace_id, who.user_id) if reply.ephemeral
                       else who.channel)
            await self.sender.upload_image(client, channel, reply)

    async def _tell(self, team_id: str, to: str, reply: Reply) -> None:
        """A message outside any request window (DM), through the paced, retrying sender."""
        target = WorkspaceRef(id=0, platform=PLATFORM, external_id=team_id, channel=None)
        message = Outbound(kind="reply", workspace_id=0, to=("#" + to) if to[:1] in ("D", "C", "G") else to,
                           reply=reply, dedupe_key=f"reply:{uuid.uuid4().hex}")
        await self.sender.send(target, message)

    async def _publish_home(self, client: AsyncWebClient, who: Identity) -> None:
        reply = await self._core(self.core.handle, CommandRequest(who, "/home"))
        await client.views_publish(user_id=who.user_id, view=blocks.home([reply]))
