"""The fair-slot finder: inside everyone's hours when possible, else the kindest worst case, never on a
day off unless nothing else exists, and a weekly series rotates who takes the awkward end."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from bot.availability import State
from bot.meetings.fair_slots import attendance, find_fair_slots, first_candidate, score_slots
from bot.models import Member

HOUR = timedelta(hours=1)


def member(user_id: str, tz: str, country: str | None, subdivision: str | None = None, **kwargs) -> Member:  # type: ignore[no-untyped-def]
    values = dict(user_id=user_id, name=user_id.title(), tz=tz, country=country, subdivision=subdivision,
                  hours_start=time(9), hours_end=time(17), work_days=None, away=[])
    values.update(kwargs)
    return Member(**values)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


BERLIN = member("lena", "Europe/Berlin", "DE", "BE")
MUNICH = member("max", "Europe/Berlin", "DE", "BY")
BANGALORE = member("priya", "Asia/Kolkata", "IN", "KA")
NEW_YORK = member("nia", "America/New_York", "US", "NY")
TOKYO = member("hana", "Asia/Tokyo", "JP")
RIYADH = member("omar", "Asia/Riyadh", "SA")
KATHMANDU = member("ravi", "Asia/Kathmandu", "NP")


def test_inconvenience_counts_minutes_beyond_the_working_day_at_either_end() -> None:
    # Tokyo 16:30-17:30 on a Tuesday: the last 30 minutes are after hours.
    late = attendance(TOKYO, utc(2026, 4, 21, 7, 30), utc(2026, 4, 21, 8, 30))
    assert (late.minutes_outside, late.side, late.state) == (30, "late", State.WORKING)
    # New York 07:00-08:00: two hours before the day starts.
    early = attendance(NEW_YORK, utc(2026, 4, 21, 11), utc(2026, 4, 21, 12))
    assert (early.minutes_outside, early.side) == (120, "early")
    # A meeting ending exactly at 17:00 is inside.
    assert attendance(TOKYO, utc(2026, 4, 21, 7), utc(2026, 4, 21, 8)).minutes_outside == 0


def test_all_slots_are_inside_everyones_hours_when_that_is_possible() -> None:
    # Berlin (CEST) 07:00-15:00Z and Bangalore 03:30-11:30Z share 07:00-11:30Z.
    slots = find_fair_slots([BERLIN, BANGALORE], utc(2026, 4, 21), utc(2026, 4, 22), HOUR)
    assert len(slots) == 3
    for slot in slots:
        assert slot.inside_hours
        assert utc(2026, 4, 21, 7) <= slot.start and slot.end <= utc(2026, 4, 21, 11, 30)
    starts = sorted(s.start for s in slots)
    assert all(b - a >= HOUR for a, b in zip(starts, starts[1:]))       # three distinct, non-overlapping options


def test_without_a_shared_hour_the_worst_off_person_is_as_close_to_their_day_as_possible() -> None:
    team = [BERLIN, NEW_YORK, TOKYO]
    window = (utc(2026, 4, 21), utc(2026, 4, 22))
    slots = find_fair_slots(team, *window, HOUR)
    every = [s for s in score_slots(team, *window, HOUR) if not s.off]
    assert not any(s.inside_hours for s in every)
    best = slots[0]
    assert best.worst_minutes == min(s.worst_minutes for s in every) > 0
    assert all(s.worst_minutes >= best.worst_minutes for s in slots)
    # New York and Tokyo share the burden (three hours each) while Berlin is inside its day.
    by_name = {a.member.user_id: a for a in best.attendance}
    assert by_name["lena"].minutes_outside == 0
    assert {by_name["nia"].side, by_name["hana"].side} == {"early", "late"}
    assert best.worst_minutes == 180


def test_kathmandu_and_new_york_split_the_gap_to_the_quarter_hour() -> None:
    # Kathmandu (+05:45) ends at 11:15Z, New York (EDT) starts at 13:00Z: 105 minutes apart.
    best = find_fair_slots([KATHMANDU, NEW_YORK], utc(2026, 4, 22), utc(2026, 4, 23), HOUR)[0]
    minutes = sorted(a.minutes_outside for a in best.attendance)
    assert minutes == [75, 90]                     # 165 minutes of burden, split as evenly as 15-minute steps allow


def test_never_on_a_holiday_or_weekend_when_another_day_exists() -> None:
    # Tue 6 Jan 2026 is Epiphany in Bavaria only; Fri 9 and Sat 10 are Riyadh's weekend.
    team = [MUNICH, BERLIN, RIYADH]
    slots = find_fair_slots(team, utc(2026, 1, 6), utc(2026, 1, 11), HOUR)
    assert slots and all(not s.off for s in slots)
    for slot in slots:
        for seat in slot.attendance:
            assert seat.day_off is None
        assert slot.start.date() in {date(2026, 1, 7), date(2026, 1, 8)}


def test_a_subdivision_holiday_blocks_only_that_region() -> None:
    # On Epiphany alone, Berlin and Riyadh still have a normal day: nobody is off.
    slots = find_fair_slots([BERLIN, RIYADH], utc(2026, 1, 6), utc(2026, 1, 7), HOUR)
    assert slots and all(not s.off for s in slots)


def test_when_every_slot_falls_on_a_day_off_the_fewest_people_are_affected_and_it_is_said() -> None:
    # Only Epiphany is in range: Munich is off all day, Berlin and Riyadh are not.
    slots = find_fair_slots([MUNICH, BERLIN, RIYADH], utc(2026, 1, 6, 6), utc(2026, 1, 6, 16), HOUR)
    assert slots
    for slot in slots:
        assert [a.member.user_id for a in slot.off] == ["max"]
        assert slot.off[0].day_off.state is State.HOLIDAY
        assert slot.off[0].day_off.holiday.name == "Epiphany"
        assert not slot.inside_hours


def test_a_weekly_series_rotates_who_takes_the_longer_end() -> None:
    team = [KATHMANDU, NEW_YORK]
    history: dict[str, int] = {}
    longer_end = []
    for week in range(4):
        monday = utc(2026, 4, 21) + timedelta(weeks=week)
        best = find_fair_slots(team, monday, monday + timedelta(days=1), HOUR, last_burden=history)[0]
        worst = max(best.attendance, key=lambda a: a.minutes_outside)
        assert worst.minutes_outside == 90           # rotation never makes anyone's week worse than needed
        longer_end.append(worst.member.user_id)
        history = best.burden()
    assert longer_end in (["nia", "ravi", "nia", "ravi"], ["ravi", "nia", "ravi", "nia"])
    # Without memory the same person would take it every week.
    forgetful = {max(find_fair_slots(team, utc(2026, 4, 21) + timedelta(weeks=w), utc(2026, 4, 22) + timedelta(weeks=w),
                                     HOUR)[0].attendance, key=lambda a: a.minutes_outside).member.user_id
                 for w in range(4)}
    assert len(forgetful) == 1


def test_candidates_start_on_the_next_quarter_hour() -> None:
    assert first_candidate(utc(2026, 3, 25, 12, 0)) == utc(2026, 3, 25, 12, 0)
    assert first_candidate(utc(2026, 3, 25, 12, 1)) == utc(2026, 3, 25, 12, 15)
    assert first_candidate(datetime(2026, 3, 25, 12, 14, 30, tzinfo=timezone.utc)) == utc(2026, 3, 25, 12, 15)
    assert find_fair_slots([], utc(2026, 3, 25), utc(2026, 3, 26), HOUR) == []
