"""Adding due work from the core without knowing the scheduler: insert an occurrence, exactly once.

The scheduler engine claims and delivers whatever is stored here. Inserting is idempotent: the
unique key (workspace, kind, recipient, key) turns a second insert into a no-op on every engine.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.models import Occurrence, OccurrenceStatus
from bot.store import insert_once


def enqueue(session: Session, workspace_id: int, kind: str, recipient: str, key: str, due_at: datetime,
            payload: dict[str, Any] | None = None) -> bool:
    """Store an occurrence unless one with the same key exists; True when this call created it."""
    values = dict(workspace_id=workspace_id, kind=kind, recipient=recipient, key=key, due_at=due_at,
                  status=OccurrenceStatus.PENDING, attempts=0, payload=payload)
    return insert_once(session, Occurrence, values, "uq_occurrence")
