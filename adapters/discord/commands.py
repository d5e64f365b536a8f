"""Slash commands built from the core's registry (bot.router.COMMANDS), so a new core command appears on
Discord without touching this adapter.

Mapping (Discord allows group → subgroup → command and cannot invoke a group by itself):

    ("time",)                  → /time args:<usage>
    ("tz",) + ("tz", "set")    → group /tz with /tz show (the bare handler) and /tz set
    ("away",) + ("away","list")→ /away add (BARE_NAME_FOR: the bare /away adds time off) and /away list
    ("standup","config","time")→ /standup config time; a bare ("standup","config") becomes /standup config show

Every command takes one optional free-text `args` option (described by the command's usage), which
the core parses exactly as it parses the Slack or console line. Commands are guild-only: a guild is
Meridian's workspace. Descriptions are localised from the gettext catalogs where one exists.
"""
from __future__ import annotations

import logging
import re
from typing import Any, Awaitable, Callable, Optional

import discord
from discord import app_commands

from bot.i18n import Translator, available_catalogs, normalize_locale
from bot.router import COMMANDS, CommandSpec
from bot.time import suggest_zones

log = logging.getLogger(__name__)

Runner = Callable[[discord.Interaction, tuple[str, ...], str], Awaitable[None]]
Autocomplete = Callable[[discord.Interaction, str], Awaitable[list[app_commands.Choice[str]]]]

# The subcommand that stands for a group's own handler: "show" unless the handler does something else.
BARE_NAMES = ("show", "view", "run")
BARE_NAME_FOR: dict[tuple[str, ...], str] = {("away",): "add"}    # /away <from> <to> adds time off
MAX_CHILDREN = 25                         # Discord: options per group
_INVALID = re.compile(r"[^-_\w]")


def discord_name(word: str) -> str:
    """A registry word as a valid command name: lowercase, no spaces or symbols, 1–32 characters."""
    name = _INVALID.sub("-", word.lower())[:32]
    return name or "command"


def command_description(spec: CommandSpec | None, fallback: str) -> app_commands.locale_str:
    text = spec.summary if spec is not None else fallback
    return app_commands.locale_str((text or fallback)[:100])


async def zone_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Autocomplete for /tz set: IANA zones and city names, as typed so far."""
    return [app_commands.Choice(name=zone, value=zone) for zone in suggest_zones(current[:100], limit=25)]


# Options that deserve suggestions while typing; keyed by the registry path.
AUTOCOMPLETE: dict[tuple[str, ...], Autocomplete] = {("tz", "set"): zone_choices}

GUILD_ONLY = app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False)


def leaf(name: str, spec: CommandSpec, run: Runner, *, top_level: bool) -> app_commands.Command[Any, ..., None]:
    path = spec.path

    async def callback(interaction: discord.Interaction, args: Optional[str] = None) -> None:
        await run(interaction, path, args or "")

    usage = (spec.usage or "-")[:100]
    callback = app_commands.describe(args=app_commands.locale_str(usage))(callback)
    if path in AUTOCOMPLETE:
        callback = app_commands.autocomplete(args=AUTOCOMPLETE[path])(callback)
    return app_commands.Command(name=name, description=command_description(spec, spec.name), callback=callback,
                                allowed_contexts=GUILD_ONLY if top_level else None,
                                extras={"path": path})


def _bare_name(prefix: tuple[str, ...], children: set[str]) -> str:
    wanted = BARE_NAME_FOR.get(prefix)
    candidates = ((wanted,) if wanted else ()) + BARE_NAMES + tuple(f"show-{n}" for n in range(10))
    return next(name for name in candidates if name not in children)


def build_commands(run: Runner, registry: dict[tuple[str, ...], CommandSpec] | None = None
                   ) -> list[app_commands.Command[Any, ..., None] | app_commands.Group]:
    """One top-level command or group per first word of the registry, in name order."""
    registry = COMMANDS if registry is None else registry
    tops: dict[str, list[CommandSpec]] = {}
    for spec in sorted(registry.values(), key=lambda s: s.path):
        tops.setdefault(spec.path[0], []).append(spec)
    built: list[app_commands.Command[Any, ..., None] | app_commands.Group] = []
    for top, specs in tops.items():
        if len(specs) == 1 and len(specs[0].path) == 1:
            built.append(leaf(discord_name(top), specs[0], run, top_level=True))
        else:
            built.append(_group(top, (top,), specs, run, parent=None))
    return built


def _group(word: str, prefix: tuple[str, ...], specs: list[CommandSpec], run: Runner,
           parent: app_commands.Group | None) -> app_commands.Group:
    bare = next((s for s in specs if s.path == prefix), None)
    group = app_commands.Group(name=discord_name(word), parent=parent,
                               description=command_description(bare, "/" + " ".join(prefix)),
                               **({"allowed_contexts": GUILD_ONLY} if parent is None else {}))
    children: dict[str, list[CommandSpec]] = {}
    for spec in specs:
        if spec.path != prefix:
            children.setdefault(spec.path[len(prefix)], []).append(spec)
    names = {discord_name(c) for c in children}
    if bare is not None:
        group.add_command(leaf(_bare_name(prefix, names), bare, run, top_level=False))
    for child, child_specs in children.items():
        if len(group.commands) >= MAX_CHILDREN:
            log.error("/%s has more than %d subcommands; /%s %s is not on Discord", " ".join(prefix), MAX_CHILDREN,
                      " ".join(prefix), child)
            break
        nested = [s for s in child_specs if len(s.path) > len(prefix) + 1]
        if not nested or parent is not None:
            # Discord nests at most group → subgroup → command: deeper words join the last name.
            for spec in child_specs:
                if len(group.commands) < MAX_CHILDREN:
                    group.add_command(leaf(discord_name("-".join(spec.path[len(prefix):])), spec, run, top_level=False))
        else:
            _group(child, prefix + (child,), child_specs, run, parent=group)
    return group


class CatalogTranslator(app_commands.Translator):
    """Command and group descriptions in each Discord locale we have a gettext catalog for."""

    def __init__(self) -> None:
        catalogs = set(available_catalogs())
        self.locales: dict[discord.Locale, str] = {}
        for locale in discord.Locale:
            ours = normalize_locale(str(locale))
            if ours in catalogs or ours.split("_")[0] in catalogs:
                self.locales[locale] = ours

    async def translate(self, string: app_commands.locale_str, locale: discord.Locale,
                        context: app_commands.TranslationContextTypes) -> str | None:
        ours = self.locales.get(locale)
        if ours is None or context.location not in (app_commands.TranslationContextLocation.command_description,
                                                    app_commands.TranslationContextLocation.group_description):
            return None
        text = Translator(ours)._(string.message)
        return text[:100] if text != string.message else None
