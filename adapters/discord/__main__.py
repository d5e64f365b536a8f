"""`python -m adapters.discord sync [--guild ID] [--clear]`: register the slash commands without running the bot.

`meridian serve` already syncs on start when the commands changed; this is for first setup and development:
global commands reach every guild, a guild sync (`--guild ID`) shows up there at once, and `--clear`
removes such a development copy again.
"""
from __future__ import annotations

import argparse
import asyncio
import sys

import discord

from bot.config import Settings

from adapters.discord.adapter import command_tree, intents
from adapters.discord.commands import CatalogTranslator
from adapters.discord.sync import sync_if_changed


async def _unused(interaction: discord.Interaction, path: tuple[str, ...], args: str) -> None:
    raise RuntimeError("the sync tool does not answer commands")


async def sync(token: str, guild_id: int | None, clear: bool) -> int:
    client = discord.Client(intents=intents())
    tree = command_tree(client, _unused)
    await tree.set_translator(CatalogTranslator())
    async with client:
        await client.login(token)
        guild = discord.Object(guild_id) if guild_id else None
        if guild is not None:
            tree.copy_global_to(guild=guild)
            if clear:
                tree.clear_commands(guild=guild)
        ids = await sync_if_changed(tree, guild)
    where = f"guild {guild_id}" if guild_id else "every guild (global)"
    print(f"{len(ids)} commands registered for {where}: " + ", ".join(f"/{name}" for name in sorted(ids)))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m adapters.discord", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="action", required=True)
    sync_parser = sub.add_parser("sync", help="Register Meridian's slash commands with Discord (only if changed)")
    sync_parser.add_argument("--guild", type=int, help="register in this guild only (instant; for development)")
    sync_parser.add_argument("--clear", action="store_true", help="with --guild: remove the guild's copy again")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if not settings.discord_token:
        print("DISCORD_TOKEN is not set.", file=sys.stderr)
        return 2
    if args.clear and not args.guild:
        parser.error("--clear needs --guild")
    return asyncio.run(sync(settings.discord_token, args.guild, args.clear))


if __name__ == "__main__":
    sys.exit(main())
