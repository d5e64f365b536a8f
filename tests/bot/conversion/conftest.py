from __future__ import annotations

from datetime import datetime, timezone
from typing import Callable

import pytest

from bot.conversion import DetectedTime, detect_times

# A Monday, between the US (8 March) and EU (29 March) DST changes.
MONDAY = datetime(2026, 3, 23, 9, 15, tzinfo=timezone.utc)
SUMMER = datetime(2026, 6, 10, 14, 0, tzinfo=timezone.utc)      # a Wednesday


def iso(t: DetectedTime) -> str | None:
    return t.utc.strftime("%Y-%m-%dT%H:%MZ") if t.utc else None


@pytest.fixture
def find() -> Callable[..., list[DetectedTime]]:
    def run(text: str, zone: str | None = "Europe/Berlin", locale: str = "en",
            at: datetime = MONDAY) -> list[DetectedTime]:
        return detect_times(text, zone=zone, locale=locale, at=at)
    return run


@pytest.fixture
def one(find: Callable[..., list[DetectedTime]]) -> Callable[..., DetectedTime]:
    def run(text: str, **kwargs: object) -> DetectedTime:
        found = find(text, **kwargs)
        assert len(found) == 1, [(t.text, t.note) for t in found]
        return found[0]
    return run
