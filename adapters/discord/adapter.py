"""The Discord adapter as one object that `meridian serve` starts: client, command tree, router, sender.

    adapter = DiscordAdapter(core, settings)      # settings.discord_token, settings.discord_shard_count
    await adapter.start()                         # logs in (fails fast on a bad token), syncs commands, connects
    engine_senders["discord"] = adapter.sender    # scheduler.delivery.Sender
    ...
    await adapter.stop()                          # nothing: interactions are answered until close()
    await adapter.close()                         # after the scheduler's last send

It is a `adapters.base.PlatformAdapter` with no HTTP routes: the gateway connects out to Discord.

Intents: only `guilds` (not privileged): guild names for workspaces and the channel list for posts by
name. Slash commands, buttons, modals and the message command "Show times in my zone" arrive as
interactions, which need no intent (a message command carries its message); Meridian never reads the
channel's messages (no message_content, unless DISCORD_MESSAGE_CONTENT=1 turns on the passive conversion
replies of adapters/discord/conversion.py) nor member lists (no members, no presences).
"""
from __future__ import annotations

import asyncio
import contextlib
import logging

import discord
from aiohttp import web
from discord import app_commands

from bot.config import ConfigError, Settings
from bot.core import Meridian
from bot.i18n import Translator

from adapters.discord import render
from adapters.discord.commands import CatalogTranslator, Runner, build_commands
from adapters.discord.conversion import ChannelReplies, show_times_menu
from adapters.discord.interactions import PLATFORM, InteractionRouter, say_error
from adapters.discord.sender import DiscordSender
from adapters.discord.sync import sync_if_changed

log = logging.getLogger(__name__)

MAX_RATELIMIT_WAIT = 30.0     # longer Retry-Afters are raised (the engine reschedules), not slept through


def intents(message_content: bool = False) -> discord.Intents:
    """`guilds` only; with `message_content` (DISCORD_MESSAGE_CONTENT=1) also the server messages and their
    text, for the passive conversion replies (docs/CONVERSION.md, "Discord")."""
    chosen = discord.Intents.none()
    chosen.guilds = True
    if message_content:
        chosen.guild_messages = chosen.message_content = True
    return chosen


class MeridianTree(app_commands.CommandTree):
    async def on_error(self, interaction: discord.Interaction, error: app_commands.AppCommandError) -> None:
        log.error("Discord command %s failed", interaction.command and interaction.command.qualified_name,
                  exc_info=error)
        with contextlib.suppress(discord.HTTPException):
            await say_error(interaction, Translator(str(interaction.locale))._("Something went wrong on my side. Please try again."))


def command_tree(client: discord.Client, run: Runner) -> MeridianTree:
    """The slash commands of the core's registry, each calling `run(interaction, path, args)`."""
    tree = MeridianTree(client)
    for command in build_commands(run):
        tree.add_command(command)
    return tree


class MeridianClient(discord.AutoShardedClient):
    """One process, as many shards as Discord recommends (or DISCORD_SHARD_COUNT)."""

    def __init__(self, adapter: "DiscordAdapter", shard_count: int | None) -> None:
        super().__init__(intents=intents(bool(adapter.settings.discord_message_content)), shard_count=shard_count, allowed_mentions=render.NO_MENTIONS,
                         max_ratelimit_timeout=MAX_RATELIMIT_WAIT, chunk_guilds_at_startup=False,
                         member_cache_flags=discord.MemberCacheFlags.none())
        self.adapter = adapter

    async def setup_hook(self) -> None:
        await self.adapter.setup()

    async def on_ready(self) -> None:
        log.info("Discord: connected as %s to %d guilds on %d shards", self.user, len(self.guilds), self.shard_count or 1)

    async def on_guild_remove(self, guild: discord.abc.Snowflake) -> None:
        """Kicked, or the server was deleted: its rituals stop; the data waits out the uninstall grace period."""
        await asyncio.to_thread(self.adapter.core.workspace_removed, PLATFORM, str(guild.id))

    async def on_guild_join(self, guild: discord.abc.Snowflake) -> None:
        await asyncio.to_thread(self.adapter.core.workspace_returned, PLATFORM, str(guild.id))

    async def on_message(self, message: discord.Message) -> None:
        await self.adapter.replies.said(message.guild.id if message.guild else getattr(message.channel, "guild_id", None),
                                        message.channel.id, message.id, message.author, message.content)

    async def on_raw_message_edit(self, payload: discord.RawMessageUpdateEvent) -> None:
        if "content" in payload.data and "author" in payload.data:     # not an embed-only update
            guild_id = payload.guild_id or int(payload.data.get("guild_id") or 0) or None   # the guild may not be cached
            await self.adapter.replies.said(guild_id, payload.channel_id, payload.message_id,
                                            payload.data["author"], payload.data["content"])

    async def on_raw_message_delete(self, payload: discord.RawMessageDeleteEvent) -> None:
        await self.adapter.replies.deleted(payload.guild_id, payload.channel_id, payload.message_id)

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        try:
            await self.adapter.router.on_interaction(interaction)
        except Exception:
            log.exception("Discord interaction %s failed", interaction.type)
            with contextlib.suppress(discord.HTTPException):
                await say_error(interaction, Translator(str(interaction.locale))._("Something went wrong on my side. Please try again."))


class DiscordAdapter:
    name = PLATFORM
    label = PLATFORM

    def __init__(self, core: Meridian, settings: Settings | None = None, *, defer_after: float | None = None,
                 sync_commands: bool = True) -> None:
        self.core = core
        self.settings = settings or core.settings
        self.client = MeridianClient(self, shard_count=self.settings.discord_shard_count or None)
        self.router = InteractionRouter(core) if defer_after is None else InteractionRouter(core, defer_after=defer_after)
        self.tree = command_tree(self.client, self.router.command)
        self.tree.add_command(show_times_menu(self.router))
        self.replies = ChannelReplies(core, self.client)
        self.sender = DiscordSender(self.client)
        self.sync_commands = sync_commands
        self._gateway: asyncio.Task[None] | None = None

    async def setup(self) -> None:
        """After login, before the gateway: translations, then commands uploaded if they changed."""
        await self.tree.set_translator(CatalogTranslator())
        if self.sync_commands:
            try:
                self.router.command_ids = await sync_if_changed(self.tree)
            except discord.HTTPException:
                log.exception("Discord: command sync failed; the commands registered before stay in use")

    async def login(self) -> None:
        if not self.settings.discord_token:
            raise ConfigError("DISCORD_TOKEN is not set")
        await self.client.login(self.settings.discord_token)

    async def start(self) -> None:
        """Log in and sync now (errors surface here); the gateway then runs in the background."""
        await self.login()
        self._gateway = asyncio.create_task(self.client.connect(reconnect=True), name="discord-gateway")
        self._gateway.add_done_callback(_report_gateway_end)

    def routes(self) -> list[web.RouteDef]:
        return []

    async def stop(self) -> None:
        """Interactions keep being answered while the scheduler drains: the gateway and the HTTP client
        its last sends need are one connection, closed by `close`."""

    async def close(self) -> None:
        await self.client.close()
        if self._gateway is not None:
            with contextlib.suppress(asyncio.CancelledError, discord.DiscordException):
                await self._gateway
            self._gateway = None


def _report_gateway_end(task: asyncio.Task[None]) -> None:
    """discord.py reconnects by itself; the task only ends on close() or a fatal error, which must not pass unseen."""
    if not task.cancelled() and task.exception() is not None:
        log.error("Discord gateway stopped; slash commands will not be answered", exc_info=task.exception())


async def run_discord(core: Meridian, settings: Settings | None = None) -> DiscordAdapter:
    """Start the adapter; the caller registers `adapter.sender` for platform "discord" and closes it at the end."""
    adapter = DiscordAdapter(core, settings)
    await adapter.start()
    return adapter
