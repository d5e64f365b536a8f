"""The scheduler's Sender for Discord: DMs, "group" messages and channel posts, with edits in place.

- A member (`to="123"`): a DM, opened with POST /users/@me/channels (cached by discord.py).
- A group (`to=["123", "456"]`): Discord bots cannot create group DMs, so each member gets the same DM.
  Members already served are remembered per dedupe key, so a retry after a partial failure only
  sends to the others. The reference is "channel:message,channel:message".
- A channel (`to="#1234…"` by id or `"#standups"` by name, looked up in the guild).

Rate limits: discord.py's HTTP client waits out 429s per bucket (and global ones) and retries; a
Retry-After longer than `max_ratelimit_timeout` is not waited for but raised, and becomes
DeliveryError(retry_after=…) so the engine reschedules instead of blocking. Opening DMs has a
limit of its own that Discord does not publish (error 40003, "opening direct messages too fast"),
so new DMs are paced (adapters.pacing) and a 40003 pauses them. Every message carries a
nonce derived from its dedupe key with enforce_nonce, so a resend within Discord's nonce window
returns the message already created instead of a duplicate.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import OrderedDict

import aiohttp
import discord

from bot.reply import Outbound
from scheduler.delivery import Delivered, DeliveryError, WorkspaceRef

from adapters.discord import render
from adapters.pacing import Pacer

log = logging.getLogger(__name__)

MAX_REMEMBERED = 10_000
DM_OPEN_RATE, DM_OPEN_BURST = 1.0, 10       # new DM channels a second, after a burst (per bot)
DM_TOO_FAST = 40003                          # Discord's error code for opening DMs too fast
DM_TOO_FAST_PAUSE = 60.0
MESSAGEABLE_CHANNEL_TYPES = {discord.ChannelType.text.value, discord.ChannelType.news.value}


def nonce(dedupe_key: str, recipient: str) -> str | None:
    """≤ 25 characters, the same for every attempt at the same message to the same recipient."""
    if not dedupe_key:
        return None
    return hashlib.blake2b(f"{dedupe_key}|{recipient}".encode(), digest_size=12).hexdigest()[:25]


class DiscordSender:
    def __init__(self, client: discord.Client, *, dm_pacer: Pacer | None = None) -> None:
        self.client = client
        self.dm_pacer = dm_pacer or Pacer(per_key_interval=0.0, shared_rate=DM_OPEN_RATE, shared_burst=DM_OPEN_BURST)
        self._dm_channels: dict[str, int] = {}                            # user id → DM channel id
        self._sent: OrderedDict[tuple[str, str], str] = OrderedDict()     # (dedupe key, recipient) → ref
        self._channel_ids: dict[tuple[str, str], int] = {}                # (guild, name) → channel id

    async def send(self, workspace: WorkspaceRef, message: Outbound, *, replace_ref: str | None = None) -> Delivered:
        rendered = render.render(message.reply, guild_id=workspace.external_id, headline=True)
        try:
            if replace_ref:
                await self._edit(replace_ref, rendered)
                return Delivered(replace_ref)
            refs = []
            for recipient in recipients(message):
                refs.append(await self._send_once(workspace, message, recipient, rendered))
            return Delivered(",".join(refs))
        except discord.RateLimited as error:
            raise DeliveryError(f"Discord rate limit: retry after {error.retry_after:.0f}s",
                                retry_after=error.retry_after) from error
        except discord.HTTPException as error:
            raise self._refusal(error) from error
        except (aiohttp.ClientError, OSError, asyncio.TimeoutError) as error:
            raise DeliveryError(f"Discord unreachable: {error!r}") from error

    def _refusal(self, error: discord.HTTPException) -> DeliveryError:
        if error.code == DM_TOO_FAST:
            self.dm_pacer.hold("open-dm", DM_TOO_FAST_PAUSE)
            return DeliveryError("Discord: opening DMs too fast", retry_after=DM_TOO_FAST_PAUSE)
        if isinstance(error, discord.DiscordServerError):
            return DeliveryError(f"Discord server error: {error.status}")
        if error.status == 429:   # still limited after discord.py's own retries (a storm, or Cloudflare): later
            return DeliveryError("Discord rate limit outlasted the client's retries", retry_after=_retry_after(error))
        # DMs closed (50007), bot removed from the guild, channel or message deleted, a payload Discord
        # rejects: retrying cannot help. Anything else (e.g. an unexpected status) may pass.
        return DeliveryError(f"Discord refused: {error.status} {error.text}", permanent=400 <= error.status < 500)

    async def was_delivered(self, workspace: WorkspaceRef, message: Outbound) -> bool | None:
        """Discord cannot be asked by dedupe key after the fact; resends are made safe by nonces instead."""
        if message.dedupe_key and all((message.dedupe_key, r) in self._sent for r in recipients(message)):
            return True          # this process sent it (to everyone)
        return None

    # --- internals ------------------------------------------------------------------------------------
    async def _send_once(self, workspace: WorkspaceRef, message: Outbound, recipient: str,
                         rendered: render.Rendered) -> str:
        key = (message.dedupe_key, recipient)
        if message.dedupe_key and key in self._sent:
            return self._sent[key]
        channel = await self._channel_for(workspace, recipient)
        sent = await channel.send(**rendered.send_kwargs(), nonce=nonce(message.dedupe_key, recipient))
        ref = f"{sent.channel.id}:{sent.id}"
        if message.dedupe_key:
            self._sent[key] = ref
            while len(self._sent) > MAX_REMEMBERED:
                self._sent.popitem(last=False)
        return ref

    async def _channel_for(self, workspace: WorkspaceRef, recipient: str) -> discord.abc.Messageable:
        if recipient.startswith("#"):
            return self.client.get_partial_messageable(await self._channel_id(workspace, recipient[1:]))
        if not recipient.isdigit():
            raise DeliveryError(f"{recipient!r} is not a Discord user id", permanent=True)
        channel_id = self._dm_channels.get(recipient)
        if channel_id is None:
            await self.dm_pacer.wait("open-dm", recipient)
            channel_id = self._dm_channels[recipient] = (await self.client.create_dm(discord.Object(int(recipient)))).id
        return self.client.get_partial_messageable(channel_id, type=discord.ChannelType.private)

    async def _channel_id(self, workspace: WorkspaceRef, name: str) -> int:
        """'#1234…' is an id already; '#standups' is looked up among the guild's text channels once."""
        if name.isdigit():
            return int(name)
        key = (workspace.external_id, name.casefold())
        if key not in self._channel_ids:
            guild = self.client.get_guild(int(workspace.external_id))
            if guild is not None and guild.text_channels:
                found = {(workspace.external_id, c.name.casefold()): c.id for c in guild.text_channels}
            else:
                payload = await self.client.http.get_all_guild_channels(int(workspace.external_id))
                found = {(workspace.external_id, str(c["name"]).casefold()): int(c["id"])
                         for c in payload if c.get("type") in MESSAGEABLE_CHANNEL_TYPES}
            self._channel_ids.update(found)
        if key not in self._channel_ids:
            raise DeliveryError(f"no text channel #{name} in guild {workspace.external_id}", permanent=True)
        return self._channel_ids[key]

    async def _edit(self, replace_ref: str, rendered: render.Rendered) -> None:
        for ref in replace_ref.split(","):
            channel_id, _, message_id = ref.partition(":")
            partial = self.client.get_partial_messageable(int(channel_id)).get_partial_message(int(message_id))
            await partial.edit(**rendered.edit_kwargs())


def _retry_after(error: discord.HTTPException) -> float | None:
    try:
        return float(error.response.headers.get("Retry-After", ""))
    except (AttributeError, TypeError, ValueError):
        return None


def recipients(message: Outbound) -> list[str]:
    return [message.to] if isinstance(message.to, str) else list(dict.fromkeys(message.to))
