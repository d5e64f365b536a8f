"""The team-day picture as data (rows, days off, overlap band) and as a PNG."""
from __future__ import annotations

from datetime import date, datetime, time, timezone

from PIL import Image

from bot.i18n import Translator
from bot.models import Member
from bot.teamclock.chart import render, team_day

EN = Translator("en")


def member(user_id: str, tz: str, country: str, subdivision: str | None = None, **kwargs) -> Member:  # type: ignore[no-untyped-def]
    values = dict(user_id=user_id, name=user_id.title(), tz=tz, country=country, subdivision=subdivision,
                  hours_start=time(9), hours_end=time(17), work_days=None, away=[])
    values.update(kwargs)
    return Member(**values)


BERLIN = member("felix", "Europe/Berlin", "DE", "BE")
MUNICH = member("lena", "Europe/Berlin", "DE", "BY")
BANGALORE = member("priya", "Asia/Kolkata", "IN", "KA")
NIGHT = member("nox", "America/New_York", "US", "NY", hours_start=time(22), hours_end=time(6))


def test_rows_sit_on_the_readers_axis_and_the_overlap_is_where_everyone_works() -> None:
    picture = team_day(EN, [BERLIN, BANGALORE], date(2026, 3, 25), "Europe/Berlin")
    assert picture.minutes == 1440
    rows = {r.member.user_id: r for r in picture.rows}
    assert rows["felix"].work == ((9 * 60, 17 * 60),)
    assert rows["priya"].work == ((4 * 60 + 30, 12 * 60 + 30),)        # 09:00-17:00 IST is 04:30-12:30 CET
    assert picture.overlap == [(9 * 60, 12 * 60 + 30)]
    assert rows["felix"].label == "Felix (UTC+01:00)"


def test_a_regional_holiday_is_marked_and_leaves_no_overlap() -> None:
    picture = team_day(EN, [MUNICH, BERLIN], date(2026, 1, 6), "Europe/Berlin")
    munich, berlin = picture.rows
    assert munich.work == () and munich.off == ((0, 1440, "public holiday: Epiphany"),)
    assert berlin.work == ((540, 1020),) and berlin.off == ()
    assert picture.overlap == []


def test_overnight_hours_and_a_dst_day_and_a_highlight() -> None:
    # Sunday 29 March 2026 in Berlin has 23 hours; New York is already on EDT (UTC-4).
    highlight = (datetime(2026, 3, 29, 10, 0, tzinfo=timezone.utc), datetime(2026, 3, 29, 11, 0, tzinfo=timezone.utc))
    picture = team_day(EN, [NIGHT], date(2026, 3, 29), "Europe/Berlin", highlight=highlight)
    assert picture.minutes == 23 * 60
    (row,) = picture.rows
    # Saturday night's shift (22:00 Sat - 06:00 Sun New York) is the weekend; Sunday night's shift is a weekend too.
    assert row.work == () and all(why == "weekend" for _, _, why in row.off)
    assert picture.highlight == (11 * 60, 12 * 60)                      # 12:00-13:00 CEST, after the lost hour


def test_render_writes_a_png_named_by_its_content() -> None:
    picture = team_day(EN, [BERLIN, BANGALORE, MUNICH], date(2026, 1, 6), "Europe/Berlin")
    path = render(EN, picture)
    assert render(EN, picture) == path
    with Image.open(path) as image:
        assert image.format == "PNG"
        assert image.height > 3 * 30
