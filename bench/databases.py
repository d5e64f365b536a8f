"""Scratch databases for the benchmarks: a SQLite file or a private PostgreSQL database, dropped afterwards.

Schemas come from the real Alembic migrations (`bot.store.Database`). Large populations are written
with bulk inserts: COPY on PostgreSQL, executemany on SQLite (without fsync, it is a scratch file).
"""
from __future__ import annotations

import contextlib
import json
import operator
import os
import tempfile
import uuid
from pathlib import Path
from typing import Any, Iterator, Sequence

from sqlalchemy import JSON, Table, create_engine, text
from sqlalchemy.engine import make_url

from bot.store import Database, normalize_url

# Where to create private databases (the benchmark never touches the database named here).
POSTGRES_ADMIN_URL = normalize_url(os.environ.get("MERIDIAN_BENCH_POSTGRES_URL",
                                                  "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
DIALECTS = ("sqlite", "postgresql")


def postgres_version() -> str | None:
    """The server's version, or None when no PostgreSQL answers (its benchmarks are then skipped)."""
    try:
        engine = create_engine(POSTGRES_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar()
        engine.dispose()
        return str(version)
    except Exception:
        return None


@contextlib.contextmanager
def scratch_url(dialect: str, label: str) -> Iterator[str]:
    """A URL to an empty database of `dialect`; the database is deleted when the block ends."""
    if dialect == "sqlite":
        with tempfile.TemporaryDirectory(prefix=f"meridian-bench-{label}-") as directory:
            yield f"sqlite:///{Path(directory) / 'bench.db'}"
        return
    if dialect != "postgresql":
        raise ValueError(dialect)
    name = f"meridian_bench_{label}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _full_rows(table: Table, rows: Sequence[dict[str, Any]]) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Every column a row needs (the model's Python-side defaults filled in), in table order."""
    columns = [c for c in table.columns if not (c.primary_key and c.name not in rows[0])]  # ids: the database's
    names = [c.name for c in columns]
    defaults: dict[str, Any] = {}
    for column in columns:
        default = column.default
        if default is not None and default.is_scalar:
            defaults[column.name] = default.arg
        elif default is not None and default.is_callable:
            defaults[column.name] = default.arg(None)  # type: ignore[operator]
        else:
            defaults[column.name] = None
    pick = operator.itemgetter(*names)
    return names, [pick({**defaults, **row}) for row in rows]


def bulk_insert(db: Database, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert many rows fast: COPY on PostgreSQL, one executemany on SQLite (SQLAlchemy's own encodings)."""
    if not rows:
        return
    names, values = _full_rows(table, rows)
    if db.dialect == "postgresql":
        as_json = [i for i, n in enumerate(names) if isinstance(table.c[n].type, JSON)]
        if as_json:
            values = [_json_encoded(row, as_json) for row in values]
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy(f"COPY {table.name} ({', '.join(names)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in values:
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
        return
    processors = [(i, table.c[n].type._cached_bind_processor(db.engine.dialect))  # type: ignore[attr-defined]
                  for i, n in enumerate(names)]
    processors = [(i, p) for i, p in processors if p is not None]
    if processors:
        values = [_encoded(row, processors) for row in values]
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.executemany(f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
                           values)
        raw.commit()
    finally:
        raw.close()


def _json_encoded(row: tuple[Any, ...], indexes: list[int]) -> tuple[Any, ...]:
    out = list(row)
    for i in indexes:
        if out[i] is not None:
            out[i] = json.dumps(out[i])
    return tuple(out)


def _encoded(row: tuple[Any, ...], processors: list[tuple[int, Any]]) -> tuple[Any, ...]:
    out = list(row)
    for i, process in processors:
        if out[i] is not None:
            out[i] = process(out[i])
    return tuple(out)


def analyze(db: Database) -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would give a long-running database."""
    with db.engine.connect() as connection:
        connection.execute(text("ANALYZE"))
        connection.commit()
