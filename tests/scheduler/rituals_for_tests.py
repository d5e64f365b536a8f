"""A small real ritual for the scheduler's own tests: a message at HH:MM in each member's own zone, daily.

Also used by the worker subprocesses of the crash and multi-replica tests, so it lives in a module.
"""
from __future__ import annotations

from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Member, Occurrence, Workspace
from bot.reply import Outbound, Reply
from bot.rituals import daily_local_due
from bot.rituals import Due, Skip


class DailyAt:
    """Fires at `at` local time for every member of the workspace (optionally only some, optionally
    in several parts, optionally editing one message through `update_key`)."""

    def __init__(self, kind: str, at: time, *, grace: timedelta = timedelta(hours=2), parts: int = 1,
                 update_key: str | None = None, skip: frozenset[str] = frozenset(),
                 only: frozenset[str] | None = None) -> None:
        self.kind = kind
        self.at = at
        self.grace = grace
        self.parts = parts
        self.update_key = update_key
        self.skip = skip
        self.only = only

    def recipients(self, session: Session, workspace: Workspace) -> list[str]:
        ids = session.scalars(select(Member.user_id).where(Member.workspace_id == workspace.id)
                              .order_by(Member.user_id))
        return [i for i in ids if self.only is None or i in self.only]

    def next_due(self, session: Session, workspace: Workspace, recipient: str, after: datetime) -> Due | None:
        zone_name = session.scalar(select(Member.tz).where(Member.workspace_id == workspace.id,
                                                          Member.user_id == recipient))
        if zone_name is None:
            return None
        return daily_local_due(after, zone_name, self.at)

    def build(self, session: Session, workspace: Workspace, occurrence: Occurrence,
              now: datetime) -> list[Outbound] | Skip:
        if occurrence.recipient in self.skip:
            return Skip("skipped on purpose")
        return [Outbound(self.kind, workspace.id, to=occurrence.recipient,
                         reply=Reply(text=f"{self.kind} {occurrence.key} part {part}"),
                         update_key=self.update_key)
                for part in range(self.parts)]


def make_team(db, zones: dict[str, str], *, platform: str = "console", external_id: str = "team",  # type: ignore[no-untyped-def]
              needs_replan: bool = True) -> int:
    """A workspace with one member per (user id, zone); returns the workspace id."""
    with db.session() as session:
        workspace = Workspace(platform=platform, external_id=external_id, name=external_id, locale="en",
                              channel="general", needs_replan=needs_replan)
        session.add(workspace)
        session.flush()
        for user_id, zone_name in zones.items():
            session.add(Member(workspace_id=workspace.id, user_id=user_id, name=user_id, tz=zone_name))
        return workspace.id
