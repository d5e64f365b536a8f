"""The Discord adapter (discord.py 2.x): slash commands from the core's registry, buttons, modals, DMs.

Entry point for `meridian serve`: `DiscordAdapter(core, settings)`, an `adapters.base.PlatformAdapter`
(`start()`, `stop()`, `close()`, `sender`, no HTTP routes), or `await run_discord(core, settings)`.
"""
from adapters.discord.adapter import DiscordAdapter, run_discord

__all__ = ["DiscordAdapter", "run_discord"]
