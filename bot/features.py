"""Every feature of the bot, loaded once so its commands, actions, tables, team-file sections and rituals register.

A feature is one package in bot/ (see docs/ARCHITECTURE.md, "How to add a feature"). Loading it imports
the package and then each of its job modules that exists, in this order:

- `models`: its tables (declared on `bot.models.Base`);
- `commands`: its slash commands and button/form actions (`bot.router.command` / `action`);
- `teamfile`: its team-file section (`bot.teamfile.register_section`);
- `rituals`: its recurring messages (`bot.rituals.register`), run by the generic engine in scheduler/.

A new feature adds its package name to FEATURES; nothing else needs to know about it.
"""
from __future__ import annotations

import importlib
import importlib.util

# The packages (and the few single-module features) that make up the bot.
FEATURES: tuple[str, ...] = (
    "bot.teamclock",
    "bot.people",
    "bot.installations",
    "bot.home",
    "bot.culture",
    "bot.meetings",       # before privacy, which used to load it: team-file sections keep their order
    "bot.privacy",
    "bot.standups",
    "bot.holidays",
    "bot.coffee",
    "bot.reports",
    "bot.conversion",     # /convert and the per-channel thread replies (docs/CONVERSION.md)
    "bot.calendars",
)

JOB_MODULES: tuple[str, ...] = ("models", "commands", "teamfile", "rituals")


def load(name: str) -> None:
    """Import one feature: the package itself, then each job module it has."""
    module = importlib.import_module(name)
    if not hasattr(module, "__path__"):      # a single-module feature
        return
    for job in JOB_MODULES:
        if importlib.util.find_spec(f"{name}.{job}") is not None:
            importlib.import_module(f"{name}.{job}")


for _name in FEATURES:
    load(_name)
