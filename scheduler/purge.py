"""Purge: the data of workspaces uninstalled longer ago than the grace period is deleted, on a schedule.

A tick purges at most once every PURGE_EVERY (the first tick of a process always does); the
deletion itself, with every row of the workspace, is `bot.privacy.purge_uninstalled`, which
`meridian db purge` also runs on demand.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from bot.privacy import purge_uninstalled

from scheduler.context import EngineContext

log = logging.getLogger(__name__)

PURGE_EVERY = timedelta(hours=1)


class Purge:
    """Deletes uninstalled workspaces past their grace period, at most every PURGE_EVERY."""

    def __init__(self, context: EngineContext) -> None:
        self.context = context
        self._next_purge = datetime.min.replace(tzinfo=timezone.utc)   # uninstalled workspaces: first tick

    @property
    def due(self) -> bool:
        """Whether a tick should purge now (the clock reached the next scheduled purge)."""
        return self.context.clock.now() >= self._next_purge

    def purge_uninstalled(self) -> list[tuple[str, str]]:
        """Delete every workspace uninstalled longer ago than MERIDIAN_UNINSTALL_GRACE_DAYS, with all its
        data (ticks do this at most every PURGE_EVERY; `meridian db purge` does it on demand)."""
        settings = self.context.settings
        now = self.context.clock.now()
        with self.context.db.session() as session:
            gone = purge_uninstalled(session, now, timedelta(days=settings.uninstall_grace_days))
        self._next_purge = now + PURGE_EVERY
        for platform, external_id in gone:
            log.info("deleted the data of %s workspace %s: uninstalled more than %d days ago",
                     platform, external_id, settings.uninstall_grace_days)
        return gone
