"""Dates at the edge of the calendar: every typed date is bound to `DATE_RANGE`, and a date outside it
gets a plain answer (no OverflowError, no "Something went wrong"), whichever command reads it."""
from __future__ import annotations

from datetime import date

import pytest

from bot.core import Meridian
from bot.time import FIRST_DATE, LAST_DATE, TimeError, parse_date
from tests.conftest import shell_as


@pytest.mark.parametrize("text", ["9999-12-31", "0001-01-01", "1899-12-31", "2200-01-01"])
def test_a_date_outside_the_range_is_a_time_error(text: str) -> None:
    with pytest.raises(TimeError) as refused:
        parse_date(text, date(2026, 3, 25))
    assert refused.value.code == "date_out_of_range"
    assert parse_date(FIRST_DATE.isoformat(), date(2026, 3, 25)) == FIRST_DATE
    assert parse_date(LAST_DATE.isoformat(), date(2026, 3, 25)) == LAST_DATE


@pytest.mark.parametrize("line", ["/time chart 9999-12-31", "/time chart 0001-01-01",
                                  '/meet add "End of time" 9999-12-24 10:00 Pacific/Kiritimati @hana weekly'])
def test_edge_of_the_calendar_gets_a_plain_answer(line: str, demo: Meridian) -> None:
    reply = shell_as(demo, "amara").command(line)
    assert reply.error and "Something went wrong" not in reply.text, reply.text
    assert LAST_DATE.isoformat() in reply.text
