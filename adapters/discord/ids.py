"""Custom ids of Meridian's buttons and modals: the core action, the guild and the value, in ≤ 100 characters.

Every component carries everything needed to route it, so the adapter keeps no per-message state:
buttons keep working after a restart, on any shard or replica, and in DMs (which have no guild,
so the workspace travels in the id). Actions starting with `discord.` belong to the adapter itself.
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_CUSTOM_ID = 100
SEPARATOR = "|"

ZONE_ACTION = "discord.tz"        # "Set my time zone": opens the zone modal, whose answer runs /tz set
FORM_ACTION = "discord.form"      # opens a core Form that could not be shown at once (after a defer)


class CustomIdTooLong(ValueError):
    pass


@dataclass(frozen=True)
class Target:
    action: str
    guild_id: str          # "" when the interaction itself names the guild
    value: str = ""


def encode(action: str, guild_id: str | int | None, value: str = "") -> str:
    """'action|guild|value'. The action never contains '|'; the value may."""
    if SEPARATOR in action or not action:
        raise ValueError(f"bad action id {action!r}")
    custom_id = SEPARATOR.join((action, str(guild_id or ""), value))
    if len(custom_id) > MAX_CUSTOM_ID:
        raise CustomIdTooLong(f"custom id for {action!r} is {len(custom_id)} characters; Discord allows {MAX_CUSTOM_ID}")
    return custom_id


def decode(custom_id: str) -> Target | None:
    """The target of a custom id we made, or None for anything else."""
    parts = custom_id.split(SEPARATOR, 2)
    if len(parts) != 3 or not parts[0] or not (parts[1] == "" or parts[1].isdigit()):
        return None
    return Target(parts[0], parts[1], parts[2])
