"""Every capability module, imported once so its commands, actions, tables and team-file sections register.

A new capability is one module here; nothing else needs to know about it.
"""
from __future__ import annotations

import importlib

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
)

for _name in FEATURES:
    importlib.import_module(_name)
