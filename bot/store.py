"""The database: engine, sessions and migrations. SQLite embedded by default; PostgreSQL for replicas.

SQLite assumes a single Meridian process (the scheduler's claims rely on row locks that SQLite lacks).
"""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def normalize_url(url: str) -> str:
    """Let people write postgresql:// and still get psycopg 3."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def make_engine(url: str, **kwargs: object) -> Engine:
    url = normalize_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database
        if database and database != ":memory:":
            Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%"))
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine) -> None:
    """Apply every pending migration (all heads: features add independent branches)."""
    config = alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


class UnknownRevisionError(RuntimeError):
    """The database carries a migration this code does not have: a newer Meridian migrated it."""

    def __init__(self, revisions: list[str]) -> None:
        super().__init__(f"the database is at revision {', '.join(revisions)}, which this version of Meridian "
                         "does not know: a newer version migrated it")
        self.revisions = revisions


def pending_migrations(engine: Engine) -> list[str]:
    """Revisions not applied yet, in the order `upgrade` applies them ([] when up to date).

    Raises UnknownRevisionError when the database was migrated by a newer Meridian.
    """
    script = ScriptDirectory.from_config(alembic_config(engine))
    with engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    known = {revision.revision for revision in script.walk_revisions()}
    unknown = sorted(current - known)
    if unknown:
        raise UnknownRevisionError(unknown)
    applied: set[str] = set()
    for head in current:
        applied |= {revision.revision for revision in script.iterate_revisions(head, "base")}
    # walk_revisions goes from the heads down; reversed, every revision comes after its ancestors
    return [revision.revision for revision in reversed(list(script.walk_revisions()))
            if revision.revision not in applied]


def insert_once(session: Session, model: type, values: dict[str, object], constraint: str) -> bool:
    """INSERT a row unless it would break the unique `constraint`; True only when this call inserted it.

    Race-free on every engine (the database decides, not a prior SELECT). It asks with RETURNING,
    because a skipped insert's rowcount is not reliable on PostgreSQL with psycopg.
    """
    dialect = session.get_bind().dialect.name
    key = next(iter(model.__table__.primary_key.columns))  # type: ignore[attr-defined]
    if dialect == "postgresql":
        statement = pg_insert(model).values(**values).on_conflict_do_nothing(constraint=constraint)
    elif dialect == "sqlite":
        statement = sqlite_insert(model).values(**values).on_conflict_do_nothing()
    else:  # pragma: no cover - other engines: check, then insert
        columns = next(c for c in model.__table__.constraints if c.name == constraint).columns  # type: ignore[attr-defined]
        if session.scalar(select(key).where(*(c == values[c.name] for c in columns))) is not None:
            return False
        session.add(model(**values))
        session.flush()
        return True
    return session.execute(statement.returning(key)).first() is not None


class Database:
    """An engine plus a session factory; the one object the rest of the code is handed."""

    def __init__(self, url: str, *, migrate: bool = True, **engine_kwargs: object) -> None:
        self.url = normalize_url(url)
        self.engine = make_engine(self.url, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        if migrate:
            upgrade(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed if the block succeeds, rolled back (changing nothing) if it raises."""
        session = self.sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
