"""Every ritual module, imported once so its ritual kinds register (like bot/features.py for commands).

A new ritual kind is one module in scheduler/ that calls `scheduler.rituals.register(...)` at import,
plus its name here.
"""
from __future__ import annotations

import importlib

RITUAL_MODULES: tuple[str, ...] = (
    "scheduler.standup",
    "scheduler.coffee",
    "scheduler.meetings",
    "scheduler.holidays",
)

for _name in RITUAL_MODULES:
    importlib.import_module(_name)
