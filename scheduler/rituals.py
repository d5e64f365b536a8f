"""The contract between the scheduler engine and the rituals it runs.

A ritual kind is one small class in scheduler/ (when does it recur, for whom) plus a builder in
bot/ (what does the message say). The engine stores each ritual's next occurrence per recipient in
the `occurrences` table and only ever asks a ritual two questions:

- `next_due(session, workspace, recipient, after)`: the next occurrence strictly after `after`
  (computed in the recipient's own zone with `bot.timezones.ritual_instant`), or None;
- `build(session, workspace, occurrence, now)`: the messages to send now, or `Skip(reason)` when
  the occurrence no longer applies (the member went away, already answered, …).

`recipients(session, workspace)` lists whom the ritual currently concerns, so the engine can plan
for newcomers and drop those who left when a workspace is re-planned.

Optional: a ritual may name a `Settings` field in `grace_setting` (e.g. "standup_grace_minutes");
the engine then uses that operator-configurable number of minutes instead of `grace`.
`scheduler/recurrence.py` computes local-time recurrences (`daily_local_due`) for `next_due`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable, Protocol

from sqlalchemy.orm import Session

from bot.models import Occurrence, Workspace
from bot.reply import Outbound


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
