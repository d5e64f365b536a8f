"""A member with a calendar: a core whose settings can encrypt feed addresses and may fetch from 127.0.0.1."""
from __future__ import annotations

import argparse
from dataclasses import replace
from typing import Iterator

import pytest

from bot.config import Settings
from bot.core import Meridian
from bot.store import Database
from bot.time import SimulatedClock
from operations.calendars import run_sync
from tests.support.calendar_server import CalendarServer, serve

SECRET_KEY = "calendar-tests-passphrase"


@pytest.fixture
def calendar_server() -> Iterator[CalendarServer]:
    yield from serve()


@pytest.fixture
def calendar_settings(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    # The scheduler's calendar_poll reads the environment, as `meridian serve` does.
    monkeypatch.setenv("MERIDIAN_SECRET_KEY", SECRET_KEY)
    monkeypatch.setenv("MERIDIAN_CALENDAR_ALLOW", "127.0.0.1")
    monkeypatch.setenv("MERIDIAN_DATABASE_URL", settings.database_url)
    return replace(settings, secret_key=SECRET_KEY, calendar_allow="127.0.0.1")


@pytest.fixture
def calendar_core(db: Database, clock: SimulatedClock, calendar_settings: Settings) -> Meridian:
    return Meridian(db, clock=clock, settings=calendar_settings)


def sync_now(core: Meridian, workspace: str | None = None) -> list[str]:
    """`meridian calendars sync` against the test database, at the simulated time."""
    args = argparse.Namespace(db=core.settings.database_url, workspace=workspace)
    lines, _ = run_sync(args, core.clock)
    return lines
