"""The contract between the scheduler engine and the rituals it runs.

A feature declares its rituals in its own package (`bot/<feature>/rituals.py`): when each recurs, for
whom, and what it sends. The generic engine in scheduler/ runs them. The engine stores each ritual's next occurrence per recipient in
the `occurrences` table and only ever asks a ritual two questions:

- `next_due(session, workspace, recipient, after)`: the next occurrence strictly after `after`
  (computed in the recipient's own zone with `bot.time.ritual_instant`), or None;
- `build(session, workspace, occurrence, now)`: the messages to send now, or `Skip(reason)` when
  the occurrence no longer applies (the member went away, already answered, …).

`recipients(session, workspace)` lists whom the ritual currently concerns, so the engine can plan
for newcomers and drop those who left when a workspace is re-planned.

Optional: a ritual may name a `Settings` field in `grace_setting` (e.g. "standup_grace_minutes");
the engine then uses that operator-configurable number of minutes instead of `grace`.
`daily_local_due` below (on `bot.time.next_local`) computes local-time recurrences for `next_due`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any, Iterable, Protocol

from sqlalchemy.orm import Session

from bot.models import Occurrence, Workspace
from bot.reply import Outbound
from bot.time.recurrence import DayFilter, every_day, next_local


@dataclass(frozen=True)
class Due:
    """An occurrence a ritual wants stored: unique per (workspace, kind, recipient, key)."""

    key: str                       # e.g. the recipient's local date '2026-03-23', or a meeting's start
    due_at: datetime               # aware; stored in UTC
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Skip:
    reason: str                    # recorded on the occurrence (status 'skipped'), never sent


class Ritual(Protocol):
    kind: str                      # e.g. "standup_prompt"; also the `kind` of the messages it sends
    grace: timedelta               # how late an occurrence may still be sent after downtime

    def recipients(self, session: Session, workspace: Workspace) -> Iterable[str]: ...

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None: ...

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence,
              now: datetime) -> list[Outbound] | Skip: ...


RITUALS: dict[str, Ritual] = {}


def register(ritual: Ritual) -> Ritual:
    if ritual.kind in RITUALS:
        raise RuntimeError(f"ritual kind {ritual.kind!r} registered twice")
    RITUALS[ritual.kind] = ritual
    return ritual


def daily_local_due(after: datetime, zone_name: str, at: time, days: DayFilter = every_day,
                    payload: dict[str, Any] | None = None) -> Due | None:
    """`next_local` as the `Due` a ritual's `next_due` returns: keyed by the local date."""
    slot = next_local(after, zone_name, at, days)
    if slot is None:
        return None
    return Due(key=slot.day.isoformat(), due_at=slot.due_at, payload=dict(payload or {}))
