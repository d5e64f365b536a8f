"""The Alembic migrations build exactly the schema the models describe, on both engines."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from bot.schema import metadata


def test_models_and_migrations_agree(db) -> None:  # type: ignore[no-untyped-def]
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        diff = compare_metadata(context, metadata)
    assert diff == [], f"models and migrations differ; write a migration for: {diff}"
