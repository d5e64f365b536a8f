"""`meridian db copy --to URL`: move one workspace (or all of them) to another database, usually from
the embedded SQLite file to PostgreSQL when Meridian outgrows a single process.

Rules, and why:

- **Ids are preserved.** Row ids live on outside their columns: in occurrence keys and payloads
  (a standup's id), in dedupe keys (`occ<id>.<part>`) that the platforms hold in message metadata
  and nonces. Renumbering would have to find and rewrite all of them, and a miss would mean a
  duplicate or a lost message. So the target must not already use those ids; a target that holds
  data from another source is refused with the tables and counts in the way. Workspaces copied
  one by one from the same source never collide (their ids come from one sequence).
- **One transaction.** Everything is copied, parents before children (foreign-key order), and the
  counts verified, in one transaction on the target: on any error nothing is left behind.
- **A copied workspace must be new to the target** (no workspace with the same platform and id).
- The source is read in one snapshot; still, stop Meridian first, or the copy misses what
  happens meanwhile.
- PostgreSQL sequences are moved past the copied ids, so new rows never collide with them.
- JSON columns keep the difference between SQL NULL and a JSON `null`.

Platform plumbing without a workspace (pending OAuth states, recently seen request ids) is copied
only with the whole database; it is short-lived and rebuilt by itself.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from sqlalchemy import JSON, Column, MetaData, Table, func, select, text, tuple_
from sqlalchemy.engine import Connection, Engine

from bot.schema import metadata

CHUNK = 1000


class CopyError(Exception):
    """The copy cannot be done as asked; nothing was written. The message says why and what to do."""


@dataclass
class CopyReport:
    workspaces: list[tuple[int, str, str]]               # (id, platform, external id) copied
    counts: dict[str, int] = field(default_factory=dict)  # table -> rows copied, in copy order
    skipped: list[str] = field(default_factory=list)      # tables not copied (no workspace data)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def copy_database(source: Engine, target: Engine, workspace: str | None = None) -> CopyReport:
    """Copy `workspace` (an id, `platform:external_id`, or an external id), or everything, from source to target.

    Both databases must be migrated to the same schema. Raises CopyError when refused (nothing written).
    """
    if source.url == target.url:
        raise CopyError("the source and the target are the same database")
    with _snapshot(source) as src:
        chosen = _choose_workspaces(src, workspace)
        whole = workspace is None
        report = CopyReport(chosen)
        ids = [w[0] for w in chosen]
        with target.begin() as dst:
            _refuse_existing_workspaces(dst, chosen)
            tables = [t for t in metadata.sorted_tables if whole or _scope(t) is not None]
            report.skipped = [t.name for t in metadata.sorted_tables if t not in tables]
            _refuse_taken_ids(src, dst, tables, ids)
            for table in tables:
                before = _count(dst, table, ids)
                copied = _copy_table(src, dst, table, ids)
                after = _count(dst, table, ids)
                if after - before != copied:   # pragma: no cover - a constraint or trigger ate rows
                    raise CopyError(f"{table.name}: {copied} rows sent but the target holds {after - before} more")
                report.counts[table.name] = copied
            if target.dialect.name == "postgresql":
                _advance_sequences(dst, tables)
    return report


# --- choosing ---------------------------------------------------------------------------------------

def _choose_workspaces(src: Connection, selector: str | None) -> list[tuple[int, str, str]]:
    workspaces = metadata.tables["workspaces"]
    rows = [(r.id, r.platform, r.external_id) for r in
            src.execute(select(workspaces.c.id, workspaces.c.platform, workspaces.c.external_id)
                        .order_by(workspaces.c.id))]
    if selector is None:
        return rows
    found = [r for r in rows if str(r[0]) == selector or f"{r[1]}:{r[2]}" == selector or r[2] == selector]
    if selector.isdigit():
        found = [r for r in found if str(r[0]) == selector] or found
    if not found:
        known = ", ".join(f"{p}:{e} (id {i})" for i, p, e in rows) or "none"
        raise CopyError(f"no workspace {selector!r} in the source; it has: {known}")
    if len(found) > 1:
        raise CopyError(f"{selector!r} names several workspaces; say which with platform:id: "
                        + ", ".join(f"{p}:{e}" for _, p, e in found))
    return found


def _scope(table: Table) -> Column[Any] | None:
    """The column that says which workspace a row belongs to (None: not workspace data)."""
    if table.name == "workspaces":
        return table.c.id
    return table.c.get("workspace_id")


def _rows(table: Table, ids: list[int]):  # type: ignore[no-untyped-def]
    scope = _scope(table)
    query = select(table)
    return query.where(scope.in_(ids)) if scope is not None else query


# --- refusing ---------------------------------------------------------------------------------------

def _refuse_existing_workspaces(dst: Connection, chosen: list[tuple[int, str, str]]) -> None:
    workspaces = metadata.tables["workspaces"]
    pairs = [(p, e) for _, p, e in chosen]
    present: list[tuple[str, str]] = []
    for chunk in _chunks(pairs):
        present += [(r.platform, r.external_id) for r in dst.execute(
            select(workspaces.c.platform, workspaces.c.external_id)
            .where(tuple_(workspaces.c.platform, workspaces.c.external_id).in_(chunk)))]
    if present:
        names = ", ".join(f"{p}:{e}" for p, e in present)
        raise CopyError(f"the target already has workspace {names}. A workspace is copied "
                        "once, into a database that does not have it yet.")


def _refuse_taken_ids(src: Connection, dst: Connection, tables: list[Table], ids: list[int]) -> None:
    taken: list[str] = []
    for table in tables:
        key = _single_key(table)
        if key is None:
            continue
        wanted = [row[0] for row in src.execute(_rows(table, ids).with_only_columns(key))]
        clashes = sum(int(dst.scalar(select(func.count()).select_from(table).where(key.in_(chunk))) or 0)
                      for chunk in _chunks(wanted))
        if clashes:
            taken.append(f"{table.name} ({clashes})")
    if taken:
        raise CopyError("the target already uses some of the same row ids, in " + ", ".join(taken) + ". "
                        "It holds data that did not come from this database. Ids are kept as they are "
                        "(messages already sent refer to them), so copy into an empty database, or one that only "
                        "holds workspaces copied from this same source.")


def _single_key(table: Table) -> Column[Any] | None:
    keys = list(table.primary_key.columns)
    return keys[0] if len(keys) == 1 else None


# --- copying ----------------------------------------------------------------------------------------

def _copy_table(src: Connection, dst: Connection, table: Table, ids: list[int]) -> int:
    json_columns = [c.name for c in table.columns if isinstance(c.type, JSON)]
    query = _rows(table, ids).add_columns(*(table.c[name].is_(None).label(f"{name}__sql_null") for name in json_columns))
    key = _single_key(table)
    query = query.order_by(key if key is not None else list(table.primary_key.columns)[0])
    writable = _writable(table)
    copied = 0
    result = src.execution_options(yield_per=CHUNK).execute(query)
    for chunk in result.partitions():
        batch = []
        for row in chunk:
            values = {c.name: row._mapping[c.name] for c in table.columns}
            for name in json_columns:   # None from the driver is either SQL NULL or a JSON null
                if values[name] is None and not row._mapping[f"{name}__sql_null"]:
                    values[name] = JSON.NULL
            batch.append(values)
        dst.execute(writable.insert(), batch)
        copied += len(batch)
    return copied


def _writable(table: Table) -> Table:
    """The table as the inserts see it: a JSON None means SQL NULL, `JSON.NULL` a JSON null."""
    columns = [Column(c.name, JSON(none_as_null=True) if isinstance(c.type, JSON) else c.type,
                      primary_key=c.primary_key, autoincrement=False) for c in table.columns]
    return Table(table.name, MetaData(), *columns)


def _count(dst: Connection, table: Table, ids: list[int]) -> int:
    scope = _scope(table)
    query = select(func.count()).select_from(table)
    if scope is not None:
        query = query.where(scope.in_(ids))
    return int(dst.scalar(query) or 0)


def _advance_sequences(dst: Connection, tables: Iterable[Table]) -> None:
    """After explicit ids, the next id PostgreSQL hands out must come after them."""
    for table in tables:
        key = _single_key(table)
        if key is None or not key.autoincrement or not _is_integer(key):
            continue
        dst.execute(text("SELECT setval(pg_get_serial_sequence(:table, :column), m) "
                         f'FROM (SELECT max("{key.name}") AS m FROM "{table.name}") AS t WHERE m IS NOT NULL'),
                    {"table": table.name, "column": key.name})


def _is_integer(column: Column[Any]) -> bool:
    try:
        return column.type.python_type is int
    except NotImplementedError:  # pragma: no cover
        return False


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


class _snapshot:
    """A read-only connection that sees the source as of one moment (SQLite: one read transaction)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __enter__(self) -> Connection:
        if self.engine.dialect.name == "postgresql":
            self.connection = self.engine.connect().execution_options(isolation_level="REPEATABLE READ")
            self.connection.begin()
        else:
            self.connection = self.engine.connect()
            self.connection.exec_driver_sql("BEGIN")   # pysqlite would not start one for reads
        return self.connection

    def __exit__(self, *exc: object) -> None:
        self.connection.rollback()
        self.connection.close()
