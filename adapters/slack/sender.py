"""Delivering the scheduler's messages on Slack: paced, retried, and never twice.

Implements `scheduler.delivery.Sender`. Each message goes to a conversation: a member's DM and a
group DM are opened with conversations.open; channels are posted to by name or id. Posting is
paced to one message a second per conversation and a shared rate per workspace (`adapters.pacing`),
a 429's Retry-After pauses the whole workspace, and a message is only retried when Slack surely
did not post it: after an ambiguous failure (5xx, dropped connection) the sender looks the
message up by its dedupe key, which it attached as message metadata ("meridian_message"), before
posting again.
"""
from __future__ import annotations

import asyncio
import logging
import re
import uuid
from typing import Awaitable, Callable

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from adapters.pacing import Pacer
from adapters.slack import blocks
from bot.reply import Outbound, Reply
from scheduler.delivery import Delivered, DeliveryError, WorkspaceRef

log = logging.getLogger(__name__)

ClientFor = Callable[[str], Awaitable[AsyncWebClient]]    # Slack team id -> a client with its bot token

# Errors that retrying cannot fix: the engine records the message as failed instead of looping.
PERMANENT_ERRORS = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "user_not_found", "user_disabled", "account_inactive",
    "invalid_auth", "token_revoked", "not_authed", "no_permission", "missing_scope", "msg_too_long", "no_text",
    "invalid_blocks", "invalid_metadata_format", "restricted_action", "team_access_not_granted",
    "cannot_dm_bot", "users_list_not_supplied", "too_many_users", "installation_missing", "ekm_access_denied",
})


CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{2,}")   # Slack ids are upper case; channel names never are


def default_pacer() -> Pacer:
    """Slack's documented limits: ~1 message/second per channel; a few hundred a minute per workspace."""
    return Pacer(per_key_interval=1.0, shared_rate=4.0, shared_burst=8)


class SlackSender:
    def __init__(self, client_for: ClientFor, *, pacer: Pacer | None = None, max_attempts: int = 6,
                 max_wait: float = 120.0, backoff: float = 0.5) -> None:
        self.client_for = client_for
        self.pacer = pacer or default_pacer()
        self.max_attempts = max_attempts
        self.max_wait = max_wait          # total Retry-After we wait before handing back to the engine
        self.backoff = backoff            # first pause after a 5xx; doubles each time
        self._conversations: dict[tuple[str, str], str] = {}

    # --- Sender protocol ---------------------------------------------------------------------------
    async def send(self, workspace: WorkspaceRef, message: Outbound, *, replace_ref: str | None = None) -> Delivered:
        client = await self.client_for(workspace.external_id)
        key = message.dedupe_key or f"adhoc:{uuid.uuid4()}"
        payload = {**blocks.message(message.reply), "metadata": blocks.metadata(message.kind, key)}
        if replace_ref:
            updated = await self._update(client, workspace.external_id, replace_ref, payload)
            if updated is not None:
                return updated
        channel = await self.conversation(client, workspace.external_id, message.to)
        ref = await self._post(client, workspace.external_id, channel, payload, key)
        if message.reply.image is not None:
            await self.upload_image(client, ref.split(":", 1)[0], message.reply)
        return Delivered(ref)

    async def was_delivered(self, workspace: WorkspaceRef, message: Outbound) -> bool | None:
        if not message.dedupe_key:
            return None
        try:
            client = await self.client_for(workspace.external_id)
            channel = await self.conversation(client, workspace.external_id, message.to)
            return await self._find(client, channel, message.dedupe_key) is not None
        except (SlackApiError, DeliveryError, aiohttp.ClientError, asyncio.TimeoutError):
            return None

    # --- conversations -----------------------------------------------------------------------------
    async def conversation(self, client: AsyncWebClient, team_id: str, to: str | list[str]) -> str:
        """The channel id (or name) to post to: '#general' -> 'general', 'U1' -> its DM, ['U1','U2'] -> group DM."""
        if isinstance(to, str) and to.startswith("#"):
            return await self.channel_id(client, team_id, to[1:])
        users = sorted({to} if isinstance(to, str) else set(to))
        if not users:
            raise DeliveryError("message has no recipient", permanent=True)
        cache_key = (team_id, ",".join(users))
        if cache_key not in self._conversations:
            response = await self._idempotent(client, team_id, None, client.conversations_open, users=",".join(users))
            self._conversations[cache_key] = response["channel"]["id"]
        return self._conversations[cache_key]

    async def channel_id(self, client: AsyncWebClient, team_id: str, name_or_id: str) -> str:
        """Channels may be configured by name; Slack's history and edits need the id, so resolve once."""
        if CHANNEL_ID.fullmatch(name_or_id):
            return name_or_id
        cache_key = (team_id, "#" + name_or_id.casefold())
        if cache_key not in self._conversations:
            cursor = None
            while cache_key not in self._conversations:
                page = await self._idempotent(client, team_id, None, client.conversations_list, limit=1000,
                                              types="public_channel,private_channel", exclude_archived=True,
                                              cursor=cursor)
                for channel in page.get("channels", []):
                    self._conversations[(team_id, "#" + str(channel.get("name", "")).casefold())] = channel["id"]
                cursor = (page.get("response_metadata") or {}).get("next_cursor")
                if not cursor and cache_key not in self._conversations:
                    raise DeliveryError(f"no channel #{name_or_id} in Slack team {team_id}", permanent=True)
        return self._conversations[cache_key]

    # --- posting -----------------------------------------------------------------------------------
    async def _post(self, client: AsyncWebClient, team_id: str, channel: str, payload: dict, key: str) -> str:
        ambiguous = False
        for number in range(self.max_attempts):
            if ambiguous:
                try:
                    found = await self._find(client, channel, key)
                except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError) as error:
                    if isinstance(error, SlackApiError) and getattr(error.response, "status_code", 200) < 500:
                        # Cannot look: posting again could duplicate. The engine decides (was_delivered -> None).
                        raise DeliveryError(f"cannot tell whether Slack posted to {channel}") from error
                    await asyncio.sleep(self.backoff * 2 ** number)
                    continue
                if found is not None:
                    return found
            try:
                response = await self._call(client, team_id, channel, client.chat_postMessage, channel=channel,
                                            unfurl_links=False, unfurl_media=False, **payload)
                return f"{response['channel']}:{response['ts']}"
            except _Ambiguous:
                ambiguous = True
                await asyncio.sleep(self.backoff * 2 ** number)
        raise DeliveryError(f"Slack kept failing to take the message for {channel}", permanent=False)

    async def _update(self, client: AsyncWebClient, team_id: str, ref: str, payload: dict) -> Delivered | None:
        """Edit the earlier message; None when it is gone (then a new message is posted)."""
        channel, _, ts = ref.partition(":")
        try:
            await self._idempotent(client, team_id, channel, client.chat_update, channel=channel, ts=ts, **payload)
        except DeliveryError as error:
            if "message_not_found" in str(error) or "cant_update_message" in str(error):
                return None
            raise
        return Delivered(ref)

    async def _idempotent(self, client: AsyncWebClient, team_id: str, pace_key: str | None, method, /, **kwargs):  # type: ignore[no-untyped-def]
        """A call that may simply be repeated after an ambiguous failure (opening a DM, editing a message)."""
        for number in range(self.max_attempts):
            try:
                return await self._call(client, team_id, pace_key, method, **kwargs)
            except _Ambiguous:
                await asyncio.sleep(self.backoff * 2 ** number)
        raise DeliveryError(f"Slack kept failing ({method.__name__})", permanent=False)

    async def _find(self, client: AsyncWebClient, channel: str, key: str) -> str | None:
        """The ref of the recent message in `channel` carrying this dedupe key, if Slack has one."""
        response = await client.conversations_history(channel=channel, limit=100, include_all_metadata=True)
        channel_id = response.get("channel") or channel
        for item in response.get("messages", []):
            meta = item.get("metadata") or {}
            if meta.get("event_type") == "meridian_message" and meta.get("event_payload", {}).get("dedupe_key") == key:
                return f"{channel_id}:{item['ts']}"
        return None

    async def upload_image(self, client: AsyncWebClient, channel: str, reply: Reply) -> None:
        """The image follows its message. A failed upload never fails (and so never repeats) the message.
        The file is a one-off rendering: it is deleted afterwards either way."""
        assert reply.image is not None
        try:
            await client.files_upload_v2(channel=channel, file=str(reply.image), filename=reply.image.name,
                                         title=reply.image_alt or reply.image.name, alt_txt=reply.image_alt or None)
        except (SlackApiError, aiohttp.ClientError, asyncio.TimeoutError, OSError):
            log.warning("image upload failed", exc_info=True, extra={"channel": channel})
        finally:
            reply.image.unlink(missing_ok=True)

    async def _call(self, client: AsyncWebClient, team_id: str, pace_key: str | None, method, /, **kwargs):  # type: ignore[no-untyped-def]
        """One paced Web API call; waits out 429s, raises _Ambiguous for 5xx/network, DeliveryError otherwise."""
        waited = 0.0
        while True:
            if pace_key is not None:
                await self.pacer.wait(team_id, pace_key)
            try:
                return await method(**kwargs)
            except SlackApiError as error:
                response = error.response
                status = getattr(response, "status_code", 200)
                code = (response.get("error") if hasattr(response, "get") else None) or "unknown_error"
                if status == 429 or code == "ratelimited":
                    retry_after = _retry_after(response)
                    if waited + retry_after > self.max_wait:
                        raise DeliveryError(f"Slack rate limit for {team_id}", retry_after=retry_after) from error
                    waited += retry_after
                    self.pacer.hold(team_id, retry_after)
                    log.info("Slack asked to retry after %.1fs", retry_after, extra={"team": team_id})
                    if pace_key is None:
                        await asyncio.sleep(retry_after)
                    continue
                if status >= 500 or code in ("internal_error", "fatal_error", "service_unavailable", "request_timeout"):
                    raise _Ambiguous(code) from error
                raise DeliveryError(f"Slack refused the message: {code}", permanent=code in PERMANENT_ERRORS) from error
            except (aiohttp.ClientError, asyncio.TimeoutError) as error:
                raise _Ambiguous(type(error).__name__) from error


class _Ambiguous(Exception):
    """Slack may or may not have acted (5xx, connection lost): check before doing it again."""


def _retry_after(response) -> float:  # type: ignore[no-untyped-def]
    headers = getattr(response, "headers", None) or {}
    raw = headers.get("Retry-After") or headers.get("retry-after") or "1"
    try:
        return max(0.0, float(raw))
    except ValueError:
        return 1.0
