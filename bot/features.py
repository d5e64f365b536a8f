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

# Packages (and, until the restructure is complete, single modules) that make up the bot.
FEATURES: tuple[str, ...] = (
    "bot.teamclock",
    "bot.profile",
    "bot.away",
    "bot.installations",
    "bot.home",
    "bot.culture",
    "bot.privacy",
    "bot.standup",
    "bot.meetings",
    "bot.holiday_commands",
    "bot.chart",
    "bot.pairing",
    "bot.reports",
    # ritual modules not yet moved into their feature package
    "scheduler.standup",
    "scheduler.coffee",
    "scheduler.meetings",
    "scheduler.holidays",
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
