"""Registering the slash commands with Discord, only when they changed.

Discord limits command creation (200 a day per guild or globally), so Meridian does not overwrite
the commands on every start: it fetches what Discord has, compares the parts that matter, and
uploads (one bulk PUT) only when the registry or its translations changed. Global commands reach
every guild; for development, syncing to one guild is instant (`python -m adapters.discord sync --guild ID`).
"""
from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands

log = logging.getLogger(__name__)


async def local_payload(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None = None) -> list[dict[str, Any]]:
    """The commands as Discord's API would receive them (translated where a translator is set)."""
    commands = tree.get_commands(guild=guild)
    if tree.translator:
        return [await command.get_translated_payload(tree, tree.translator) for command in commands]
    return [command.to_dict(tree) for command in commands]


def shape(command: dict[str, Any]) -> dict[str, Any]:
    """What we compare: Discord returns extra fields (ids, versions) and leaves out defaults."""
    def option(data: dict[str, Any]) -> dict[str, Any]:
        return {"type": data.get("type"), "name": data.get("name"), "description": data.get("description", ""),
                "required": bool(data.get("required")), "autocomplete": bool(data.get("autocomplete")),
                "description_localizations": data.get("description_localizations") or {},
                "options": sorted((option(o) for o in data.get("options") or ()), key=lambda o: str(o["name"]))}

    shaped = option(command)
    shaped["contexts"] = sorted(command.get("contexts") or [])
    shaped["default_member_permissions"] = command.get("default_member_permissions")
    shaped["nsfw"] = bool(command.get("nsfw"))
    return shaped


async def sync_if_changed(tree: app_commands.CommandTree, guild: discord.abc.Snowflake | None = None) -> dict[str, int]:
    """Upload the commands when Discord's copy differs; returns {top-level name: command id}."""
    client = tree.client
    if client.application_id is None:
        raise RuntimeError("log in before syncing commands")
    ours = await local_payload(tree, guild)
    if guild is None:
        theirs = await client.http.get_global_commands(client.application_id)
    else:
        theirs = await client.http.get_guild_commands(client.application_id, guild.id)
    wanted = sorted((shape(c) for c in ours), key=lambda c: str(c["name"]))
    present = sorted((shape(c) for c in theirs), key=lambda c: str(c["name"]))
    if wanted == present:
        log.info("Discord commands are up to date (%d)", len(theirs))
        return {str(c["name"]): int(c["id"]) for c in theirs}
    synced = await tree.sync(guild=guild)
    log.info("Discord commands synced%s: %s", f" to guild {guild.id}" if guild else "",
             ", ".join("/" + c.name for c in synced))
    return {c.name: c.id for c in synced}
