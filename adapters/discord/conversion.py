"""Discord's side of time conversion: the message context-menu command "Show times in my zone".

A context-menu interaction carries the message it was used on, content included, so this works without
the privileged Message Content intent (docs/CONVERSION.md, "Discord"). The core reads the times; the
answer is private, and each converted moment is rendered as Discord timestamp markup (`<t:UNIX:F>`),
which every reader's client shows in their own zone and language, even when they never told us theirs.
"""
from __future__ import annotations

import discord
from discord import app_commands

from adapters.discord.commands import GUILD_ONLY
from adapters.discord.interactions import InteractionRouter, identity

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
