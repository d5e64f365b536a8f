"""Instants and local wall-clock times, with DST handled once.

Rules this module keeps so nobody else has to think about them:
- instants are aware datetimes; storage and comparison happen in UTC;
- a member's "today" is their local date, computed here from their zone, never from UTC or the server;
- a local wall-clock time is turned into an instant only by `localize`, which knows about DST gaps
  (times that do not exist) and overlaps (times that happen twice);
- durations are measured between UTC instants: Python subtracts two datetimes of the *same* zone
  as wall-clock times, which is wrong across a DST change. Functions returning intervals return UTC.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from enum import Enum
from typing import Iterable, Iterator
from zoneinfo import ZoneInfo

from bot.time.errors import TimeError
from bot.time.zones import zone

UTC = timezone.utc


class GapPolicy(Enum):
    ERROR = "error"          # a user typed a time that does not exist: tell them
    FORWARD = "forward"      # a ritual: fire once, at the first valid instant after the gap


class OverlapPolicy(Enum):
    ERROR = "error"          # a user typed an ambiguous time: ask which one
    FIRST = "first"          # the earlier of the two instants (a ritual fires once, the first)
    SECOND = "second"


def ensure_aware(instant: datetime) -> datetime:
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError("naive datetime where an instant was expected")
    return instant


def to_utc(instant: datetime) -> datetime:
    return ensure_aware(instant).astimezone(UTC)


def to_local(instant: datetime, zone_name: str) -> datetime:
    """The instant as wall-clock time in `zone_name` (aware, with the right offset)."""
    return ensure_aware(instant).astimezone(zone(zone_name))


def local_date(instant: datetime, zone_name: str) -> date:
    """The calendar date it is in `zone_name` at `instant`: a member's "today"."""
    return to_local(instant, zone_name).date()


def utc_offset(instant: datetime, zone_name: str) -> timedelta:
    offset = to_local(instant, zone_name).utcoffset()
    assert offset is not None
    return offset


def format_offset(offset: timedelta) -> str:
    """'+05:45', '-03:00', '+00:00'."""
    total = int(offset.total_seconds()) // 60
    sign = "+" if total >= 0 else "-"
    hours, minutes = divmod(abs(total), 60)
    return f"{sign}{hours:02d}:{minutes:02d}"


def _wall(instant_utc: datetime, tz: ZoneInfo) -> datetime:
    return instant_utc.astimezone(tz).replace(tzinfo=None)


def localize(local: datetime, zone_name: str, *, gap: GapPolicy = GapPolicy.ERROR,
             overlap: OverlapPolicy = OverlapPolicy.ERROR) -> datetime:
    """The instant (aware, in the zone) at which wall-clock `local` happens in `zone_name`.

    - inside a DST gap: GapPolicy.ERROR raises TimeError('nonexistent_time'); FORWARD returns the
      first valid instant after the gap (the transition itself);
    - inside an overlap: OverlapPolicy.ERROR raises TimeError('ambiguous_time', first=, second=);
      FIRST/SECOND pick the earlier/later instant.
    """
    if local.tzinfo is not None:
        raise ValueError("localize takes a naive wall-clock datetime")
    tz = zone(zone_name)
    earlier = local.replace(tzinfo=tz, fold=0)   # zoneinfo zones use fold, unlike pytz
    later = local.replace(tzinfo=tz, fold=1)
    # 9999-12-31 15:00 in New York is past the last instant Python holds, and callers look at the day's
    # neighbours: a date outside the range is an error the reader can act on, never an OverflowError.
    within_date_range(local.date())
    u_earlier, u_later = earlier.astimezone(UTC), later.astimezone(UTC)
    valid = [u for u in sorted({u_earlier, u_later}) if _wall(u, tz) == local]
    if len(valid) == 2:
        if overlap is OverlapPolicy.FIRST:
            return valid[0].astimezone(tz)
        if overlap is OverlapPolicy.SECOND:
            return valid[1].astimezone(tz)
        raise TimeError("ambiguous_time", zone=zone_name, local=local,
                        first=valid[0].astimezone(tz), second=valid[1].astimezone(tz))
    if len(valid) == 1:
        return valid[0].astimezone(tz)
    if gap is GapPolicy.ERROR:
        raise TimeError("nonexistent_time", zone=zone_name, local=local)
    # The first instant whose wall clock is at or after `local`: binary search between the two
    # candidate instants (offsets before and after the transition), to the second.
    lo, hi = min(u_earlier, u_later), max(u_earlier, u_later)
    while hi - lo > timedelta(seconds=1):
        mid = lo + (hi - lo) / 2
        if _wall(mid, tz) >= local:
            hi = mid
        else:
            lo = mid
    return hi.replace(microsecond=0).astimezone(tz)


def at_local(day: date, clock_time: time, zone_name: str, *, gap: GapPolicy = GapPolicy.ERROR,
             overlap: OverlapPolicy = OverlapPolicy.ERROR) -> datetime:
    return localize(datetime.combine(day, clock_time), zone_name, gap=gap, overlap=overlap)


def ritual_instant(day: date, clock_time: time, zone_name: str) -> datetime:
    """When a recurring local-time ritual fires on `day`: gaps move forward, overlaps take the first."""
    return at_local(day, clock_time, zone_name, gap=GapPolicy.FORWARD, overlap=OverlapPolicy.FIRST)


def day_bounds(day: date, zone_name: str) -> tuple[datetime, datetime]:
    """The UTC instants at which local `day` starts and the next day starts (23, 24 or 25 hours apart)."""
    start = ritual_instant(day, time(0, 0), zone_name)
    end = ritual_instant(day + timedelta(days=1), time(0, 0), zone_name)
    return start.astimezone(UTC), end.astimezone(UTC)


def local_dates_between(start: datetime, end: datetime, zone_name: str) -> Iterator[date]:
    """Every local date in `zone_name` touched by [start, end)."""
    day = local_date(start, zone_name)
    last = local_date(end - timedelta(microseconds=1), zone_name)
    while day <= last:
        yield day
        day += timedelta(days=1)


def working_window(day: date, start: time, end: time, zone_name: str) -> tuple[datetime, datetime]:
    """A member's working hours on their local `day` as UTC instants; end before start means overnight."""
    begin = ritual_instant(day, start, zone_name)
    finish_day = day + timedelta(days=1) if end <= start else day
    finish = ritual_instant(finish_day, end, zone_name)
    return begin.astimezone(UTC), finish.astimezone(UTC)


def overlap_duration(a: Iterable[tuple[datetime, datetime]], b: Iterable[tuple[datetime, datetime]]) -> timedelta:
    """Total time two sets of (start, end) intervals share."""
    total = timedelta(0)
    b_list = list(b)
    for a_start, a_end in a:
        for b_start, b_end in b_list:
            shared = min(a_end, b_end) - max(a_start, b_start)
            if shared > timedelta(0):
                total += shared
    return total


def within_hours(local: datetime, start: time, end: time) -> bool:
    """Is the wall-clock time of `local` inside [start, end)? Handles overnight hours."""
    t = local.timetz().replace(tzinfo=None)
    if start < end:
        return start <= t < end
    return t >= start or t < end


def minutes_outside(local: datetime, start: time, end: time) -> int:
    """How far (in minutes) a wall-clock time lies from working hours: 0 inside them."""
    if within_hours(local, start, end):
        return 0
    t = local.hour * 60 + local.minute
    s, e = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    before = (s - t) % (24 * 60)
    after = (t - e) % (24 * 60)
    return min(before, after)


def iso_z(instant: datetime) -> str:
    """'2026-03-23T08:30:00Z': the UTC form used in logs and `meridian simulate`."""
    return to_utc(instant).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def next_weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def delay_fits_in_hours(at: time, delay: timedelta, start: time, end: time) -> bool:
    """On one plain wall-clock day (no zone, no DST): does `at` + `delay`, moved up to `start` when earlier,
    fall before `end`? For day-time hours (`start < end`); a sum past midnight belongs to the next day, so
    it does not fit. Lets a daily reminder that can never land inside working hours be known at once."""
    wall_day = date(2000, 1, 3)
    delayed = datetime.combine(wall_day, at) + delay
    return max(delayed, datetime.combine(wall_day, start)) < datetime.combine(wall_day, end)


def at_offset(local: datetime, offset: timedelta) -> datetime:
    """The UTC instant of wall-clock `local` at a fixed UTC offset a person wrote ("15:00 UTC+5:30").

    Only for offsets typed explicitly in text; a zone is never replaced by its offset (use `localize`).
    """
    if local.tzinfo is not None:
        raise ValueError("at_offset takes a naive wall-clock datetime")
    if abs(offset) > timedelta(hours=14):
        raise TimeError("unknown_zone", zone=format_offset(offset))
    return datetime.combine(local.date(), local.time(), tzinfo=timezone(offset)).astimezone(UTC)


def outside_hours_side(local: datetime, start: time, end: time) -> str:
    """Is a wall-clock time outside working hours nearer their start ("early") or their end ("late")?"""
    t = local.hour * 60 + local.minute
    s, e = start.hour * 60 + start.minute, end.hour * 60 + end.minute
    return "early" if (s - t) % (24 * 60) <= (t - e) % (24 * 60) else "late"


def round_up_utc(instant: datetime, step: timedelta) -> datetime:
    """`instant` in UTC, rounded up to the whole minute, then to the next multiple of `step` in the hour.

    `step` divides an hour; a quarter hour lines up with every zone's offset (+05:45 included), so
    rounding in UTC gives the same candidates as rounding on anyone's wall clock."""
    exact = to_utc(instant)
    rounded = exact.replace(second=0, microsecond=0)
    if rounded < exact:
        rounded += timedelta(minutes=1)
    step_minutes = int(step.total_seconds() // 60)
    return rounded + timedelta(minutes=(step_minutes - rounded.minute % step_minutes) % step_minutes)


def offset_of(instant: datetime) -> timedelta:
    """The UTC offset an aware datetime carries: for a member's local time, their zone's offset then."""
    offset = ensure_aware(instant).utcoffset()
    assert offset is not None
    return offset


def weeks_between(start: date, end: date) -> int:
    """Calendar weeks (Monday to Sunday) from the week of `start` to the week of `end` (negative when earlier),
    e.g. for "every other week since the anchor"."""
    return ((end - timedelta(days=end.weekday())) - (start - timedelta(days=start.weekday()))).days // 7


def floor_to_minutes(instant: datetime, step: int) -> datetime:
    """`instant` rounded down on its own clock to a multiple of `step` minutes past the hour (`step` divides 60),
    seconds dropped: 10:47 -> 10:30 for 30. Suggested meeting slots start on such round times."""
    return instant.replace(minute=(instant.minute // step) * step, second=0, microsecond=0)


def minutes_since_epoch(instant: datetime) -> int:
    """Whole minutes since 1970-01-01 UTC: an integer timeline for interval math on many windows at once."""
    return int(to_utc(instant).timestamp()) // 60


def utc_day_mask(starts: Iterable[int], ends: Iterable[int]) -> int:
    """Which half-hours of the UTC day the intervals [start, end) touch (in minutes since the epoch, see
    `minutes_since_epoch`), as a 48-bit integer: bit k is the half-hour starting k * 30 minutes after UTC
    midnight. Two people whose masks share no bit cannot share working time on any day."""
    mask = 0
    for s, e in zip(starts, ends):
        t = s - s % 30
        while t < e:
            mask |= 1 << ((t % 1440) // 30)
            t += 30
    return mask


def utc_iso(instant: datetime) -> str:
    """'2026-03-23T08:30:00.250000Z': the instant in UTC to the microsecond, for data exports."""
    return to_utc(instant).isoformat().replace("+00:00", "Z")


# Every date people type must lie in this range. Far enough for any history or plan a team has, and far
# from datetime's limits (years 1 and 9999), where a day's end, a zone's offset or a weekly recurrence
# would overflow.
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)


def within_date_range(day: date, text: str = "") -> date:
    """`day` if it lies within FIRST_DATE..LAST_DATE, else TimeError('date_out_of_range')."""
    if not FIRST_DATE <= day <= LAST_DATE:
        raise TimeError("date_out_of_range", text=text or day.isoformat(), first=FIRST_DATE, last=LAST_DATE)
    return day
