"""Discord's side of time conversion: the message context-menu command "Show times in my zone".

A context-menu interaction carries the message it was used on, content included, so this works without
the privileged Message Content intent (docs/CONVERSION.md, "Discord"). The core reads the times; the
answer is private, and each converted moment is rendered as Discord timestamp markup (`<t:UNIX:F>`),
which every reader's client shows in their own zone and language, even when they never told us theirs.
"""
from __future__ import annotations

import asyncio
import contextlib
from typing import Any

import discord
from discord import app_commands

from adapters.discord import render
from adapters.discord.commands import GUILD_ONLY
from adapters.discord.interactions import PLATFORM, InteractionRouter, identity
from bot.core import Meridian
from bot.members import Identity

SHOW_TIMES = "Show times in my zone"      # Discord shows it under Apps in a message's menu


def show_times_menu(router: InteractionRouter) -> app_commands.ContextMenu:
    """The message command; its answer is the core's private reading for whoever used it."""

    async def show_times(interaction: discord.Interaction, message: discord.Message) -> None:
        who = identity(interaction, interaction.guild_id)
        if who is None:
            await router._outside_guild(interaction)
            return
        text, sent_at, author = message.content, message.created_at, str(message.author.id)
        await router.answer(interaction, who, lambda: router.core.read_times_for(
            who, text, sent_at=sent_at, author_id=author))

    # guild only, like the slash commands: a guild is a workspace
    return app_commands.ContextMenu(name=SHOW_TIMES, callback=show_times, type=discord.AppCommandType.message,
                                    allowed_contexts=GUILD_ONLY)


class ChannelReplies:
    """Passive replies in servers that granted the Message Content intent (DISCORD_MESSAGE_CONTENT=1).

    Where /convert is on, a message with a time gets a reply listing each time as `<t:UNIX:F>`; an edit
    updates the reply (or deletes it when no time is left) and a delete deletes it. Without the intent
    Discord sends messages without their text, and nothing here runs.
    """

    def __init__(self, core: Meridian, client: discord.Client) -> None:
        self.core = core
        self.client = client

    async def said(self, guild_id: int | None, channel_id: int, message_id: int, author: dict[str, Any] | discord.abc.User,
                   text: str) -> None:
        """A message was posted or edited (raw values, so that edits of uncached messages work too)."""
        is_bot = author.bot if isinstance(author, discord.abc.User) else bool(author.get("bot"))
        author_id = author.id if isinstance(author, discord.abc.User) else author.get("id")
        if guild_id is None or is_bot or not author_id:
            return
        who = Identity(platform=PLATFORM, workspace_id=str(guild_id), user_id=str(author_id), channel=str(channel_id))
        answer = await asyncio.to_thread(self.core.message_said, who, text, sent_at=discord.utils.snowflake_time(message_id),
                                         message_ref=str(message_id), own_clocks=True)
        channel = self.client.get_partial_messageable(channel_id, guild_id=guild_id)
        if answer.reply is None:
            if answer.previous_ref:
                await self._delete(channel, answer.previous_ref)
                await asyncio.to_thread(self.core.conversion_replied, who, str(message_id), None)
            return
        rendered = render.render(answer.reply, guild_id=guild_id)
        if answer.previous_ref:
            with contextlib.suppress(discord.NotFound):
                await channel.get_partial_message(int(answer.previous_ref)).edit(**rendered.edit_kwargs())
                return
        reference = discord.MessageReference(message_id=message_id, channel_id=channel_id, guild_id=guild_id,
                                             fail_if_not_exists=False)
        sent = await channel.send(**rendered.send_kwargs(), reference=reference, mention_author=False, silent=True)
        await asyncio.to_thread(self.core.conversion_replied, who, str(message_id), str(sent.id))

    async def deleted(self, guild_id: int | None, channel_id: int, message_id: int) -> None:
        if guild_id is None:
            return
        who = Identity(platform=PLATFORM, workspace_id=str(guild_id), user_id="", channel=str(channel_id))
        reply_id = await asyncio.to_thread(self.core.message_deleted, who, str(message_id))
        if reply_id:
            await self._delete(self.client.get_partial_messageable(channel_id, guild_id=guild_id), reply_id)

    @staticmethod
    async def _delete(channel: discord.PartialMessageable, reply_id: str) -> None:
        with contextlib.suppress(discord.NotFound):
            await channel.get_partial_message(int(reply_id)).delete()
