"""Adding due work from the core without knowing the scheduler: insert an occurrence, exactly once.

The scheduler engine claims and delivers whatever is stored here. Inserting is idempotent: the
unique key (workspace, kind, recipient, key) turns a second insert into a no-op on every engine.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.models import Occurrence


def enqueue(session: Session, workspace_id: int, kind: str, recipient: str, key: str, due_at: datetime,
            payload: dict[str, Any] | None = None) -> bool:
    """Store an occurrence unless one with the same key exists; True when this call created it."""
    values = dict(workspace_id=workspace_id, kind=kind, recipient=recipient, key=key, due_at=due_at,
                  status="pending", attempts=0, payload=payload)
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = pg_insert(Occurrence).values(**values).on_conflict_do_nothing(constraint="uq_occurrence")
    elif dialect == "sqlite":
        statement = sqlite_insert(Occurrence).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - other engines: check, then insert
        exists = session.scalar(select(Occurrence.id).where(
            Occurrence.workspace_id == workspace_id, Occurrence.kind == kind,
            Occurrence.recipient == recipient, Occurrence.key == key))
        if exists is not None:
            return False
        session.add(Occurrence(**values))
        session.flush()
        return True
    result = session.execute(statement)
    return bool(result.rowcount)
