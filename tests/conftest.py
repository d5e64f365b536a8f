"""Shared fixtures: real databases (SQLite and PostgreSQL), a simulated clock, the core, a console shell.

Every test that takes `db` runs twice: on SQLite and on PostgreSQL. Locally, the PostgreSQL half is
skipped with a notice in the header when no server answers at MERIDIAN_TEST_POSTGRES_URL (default
127.0.0.1:5432); with MERIDIAN_REQUIRE_POSTGRES=1 (set by .ci/run) an unreachable server stops the run
instead, so CI can never pass by quietly skipping half the suite. Schemas come from the real Alembic
migrations, built once per test process; each test starts from empty tables.
"""
from __future__ import annotations

import os
import shutil
import uuid
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from adapters.limits import set_strict
from bot.time.clock import SimulatedClock
from bot.config import Settings
from bot.core import Meridian
from bot.schema import metadata
from bot.store import Database, normalize_url

POSTGRES_URL = normalize_url(os.environ.get("MERIDIAN_TEST_POSTGRES_URL",
                                            "postgresql+psycopg://postgres@127.0.0.1:5432/test"))
# A Wednesday in late March 2026, between the US and EU DST changes: a fixed "now" for the tests.
DEFAULT_NOW = datetime(2026, 3, 25, 12, 0, tzinfo=timezone.utc)

# Any reply a renderer would have to cut fails the test that produced it (adapters.limits): features
# must summarise, page or split. Tests of the production safety net use `adapters.limits.lenient()`.
set_strict(True)


def _postgres_available() -> bool:
    try:
        engine = create_engine(POSTGRES_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


_PG_OK: bool | None = None
REQUIRE_POSTGRES = os.environ.get("MERIDIAN_REQUIRE_POSTGRES", "").strip().lower() in {"1", "true", "yes"}


def postgres_available() -> bool:
    global _PG_OK
    if _PG_OK is None:
        _PG_OK = _postgres_available()
    return _PG_OK


def pytest_report_header(config: pytest.Config) -> str:
    where = make_url(POSTGRES_URL).render_as_string(hide_password=True)
    if postgres_available():
        return f"PostgreSQL: {where} (tests run on SQLite and PostgreSQL)"
    return f"PostgreSQL: NOT reachable at {where}: the PostgreSQL half of the suite is SKIPPED"


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_POSTGRES and not postgres_available():
        pytest.exit(f"MERIDIAN_REQUIRE_POSTGRES is set but PostgreSQL does not answer at "
                    f"{make_url(POSTGRES_URL).render_as_string(hide_password=True)}", returncode=3)


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # type: ignore[no-untyped-def]
    if not postgres_available():
        terminalreporter.write_line("NOTICE: PostgreSQL was not reachable; its tests were skipped "
                                    "(CI sets MERIDIAN_REQUIRE_POSTGRES=1 and fails instead).", yellow=True)


def _worker() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (much faster than migrating each time)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    Database(f"sqlite:///{path}").dispose()
    return path


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A private, migrated PostgreSQL database for this test process; dropped at the end."""
    if not postgres_available():
        if REQUIRE_POSTGRES:
            pytest.fail("MERIDIAN_REQUIRE_POSTGRES is set but PostgreSQL is not reachable")
        pytest.skip("PostgreSQL is not reachable")
    name = f"meridian_test_{_worker()}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    Database(url).dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _truncate_postgres(db: Database) -> None:
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    with db.engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of an empty, migrated database of each engine."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "meridian.db"
        shutil.copy(template, path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_database")
    db = Database(url, migrate=False)
    _truncate_postgres(db)
    db.dispose()
    return url


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = Database(db_url, migrate=False)
    yield database
    database.dispose()


@pytest.fixture
def sqlite_db(tmp_path: Path, sqlite_template: Path) -> Iterator[Database]:
    """SQLite only, for tests about behaviour that does not depend on the engine."""
    path = tmp_path / "meridian.db"
    shutil.copy(sqlite_template, path)
    database = Database(f"sqlite:///{path}", migrate=False)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(DEFAULT_NOW)


@pytest.fixture
def settings(db_url: str) -> Settings:
    return Settings.from_env({}, database_url=db_url)


@pytest.fixture
def core(db: Database, clock: SimulatedClock, settings: Settings) -> Meridian:
    return Meridian(db, clock=clock, settings=settings)


@pytest.fixture
def demo(core: Meridian) -> Meridian:
    """The core with the demo team loaded into the console workspace 'default'."""
    from bot.demo import seed_demo

    with core.db.session() as session:
        seed_demo(session)
    return core


@pytest.fixture
def shell(demo: Meridian):  # type: ignore[no-untyped-def]
    """A console shell as 'amara' in the demo team. `shell.command('/time').as_text()`."""
    from adapters.console.shell import ConsoleShell

    return ConsoleShell(demo, user_id="amara")


def shell_as(core: Meridian, user: str, locale: str | None = None):  # type: ignore[no-untyped-def]
    from adapters.console.shell import ConsoleShell

    return ConsoleShell(core, user_id=user, locale=locale)


def plain(text: str) -> str:
    """Babel writes '3:00\u202fPM' and '1\xa0000'; tests compare with ordinary spaces."""
    return text.replace("\u202f", " ").replace("\xa0", " ")
