"""Reading a found expression as an instant, with bot.time doing every piece of time math.

The rules, in the order they apply (docs/CONVERSION.md says the same for people):
- the zone is the one written ("3pm CET", "Tokyo time", "UTC+5:30"), else the author's; "your time"
  and "local time" name no zone, so nothing is converted;
- an abbreviation with several zones is read only when they all give the same instant (CET: Berlin
  and Paris), or when the author lives in one of them (IST from Asia/Kolkata is India); else null;
- the day is the one written, counted from the date it is in the reading zone when the message was
  sent; no day means that date ("today" there); "midnight" is the end of its day;
- hours 1-12 without am/pm or a part of the day are read as 24-hour clocks where the author's locale
  writes 24-hour times (de, fr, es, pt-BR, ja, en-GB...), and are left unread (am_or_pm) where it
  writes 12-hour times (en-US, hi, ar); 0, 13-23 and "09:00" are 24-hour everywhere;
- a wall-clock time that does not exist (DST gap) or happens twice (overlap) is not guessed either.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from babel import Locale, UnknownLocaleError

from bot.conversion.lexicon import AM, NIGHT, PM
from bot.conversion.scan import Clock, DateRef, Found
from bot.time import TimeError, at_offset, country_of_zone, iso_z, local_date, localize, to_utc


@dataclass(frozen=True)
class DetectedTime:
    """One clock time found in a message, and the instant it means (None when that is not certain)."""

    text: str                        # the words, as written
    start: int                       # offsets into the message, [start, end)
    end: int
    utc: datetime | None             # the instant, or None with a `note` saying why
    zone: str | None                 # the zone it was read in (IANA name, or "UTC+05:30" for a written offset)
    note: str | None = None          # why `utc` is None: "ambiguous_zone: …", "am_or_pm: …", "nonexistent_time: …"
    local: datetime | None = None    # the wall-clock time read, in `zone` (naive)
    part: str | None = None          # "from" / "until" for the two ends of a range ("3–4pm")

    def to_json(self) -> dict[str, object]:
        """The `meridian detect-times` form of this time."""
        return {"text": self.text, "start": self.start, "end": self.end,
                "utc": iso_z(self.utc) if self.utc is not None else None, "zone": self.zone, "note": self.note}


@dataclass(frozen=True)
class Context:
    zone: str | None                 # the author's IANA zone
    at: datetime                     # when the message was sent (aware)
    twelve_hour: bool                # does the author's locale write 12-hour clocks?


class _Unread(Exception):
    def __init__(self, note: str) -> None:
        super().__init__(note)
        self.note = note


@lru_cache(maxsize=256)
def twelve_hour(locale: str | None, zone_name: str | None) -> bool:
    """Does the author write 12-hour clocks? CLDR for their language in their zone's country (en_GB: no)."""
    language = (locale or "en").replace("-", "_").split("_")[0].lower()
    country = None
    if zone_name:
        try:
            country = country_of_zone(zone_name)
        except TimeError:
            country = None
    for tag in ([f"{language}_{country}"] if country else []) + [locale or "en", language]:
        try:
            pattern = Locale.parse(tag.replace("-", "_")).time_formats["short"].pattern
        except (UnknownLocaleError, ValueError, TypeError, KeyError):
            continue
        return "h" in pattern or "K" in pattern
    return True


def read(found: Found, text: str, ctx: Context) -> list[DetectedTime]:
    """The detected time(s) of one expression: one, or two for a range."""
    clocks = found.clocks
    spans = _spans(found, text)
    parts: list[str | None] = [None] if len(clocks) == 1 else ["from", "until"]
    _share_meridiem(clocks)
    out: list[DetectedTime] = []
    previous: datetime | None = None
    for clock, (start, end), part in zip(clocks, spans, parts):
        words = text[start:end]
        try:
            utc, zone_name, wall = _instant(found, clock, ctx, previous)
            previous = wall
            out.append(DetectedTime(words, start, end, utc, zone_name, None, wall, part))
        except _Unread as unread:
            zone_name = _zone_label(found, ctx)
            out.append(DetectedTime(words, start, end, None, zone_name, unread.note, None, part))
    return out


# --------------------------------------------------------------------------- pieces

def _spans(found: Found, text: str) -> list[tuple[int, int]]:
    if len(found.clocks) == 1:
        return [_trim(text, found.start, found.end)]
    a, b = found.clocks
    return [_trim(text, found.start, a.end), _trim(text, b.start, found.end)]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,(":
        start += 1
    while end > start and text[end - 1] in " \t\n,":
        end -= 1
    if text[start:end].count(")") > text[start:end].count("(") and text[end - 1] == ")":
        end -= 1
    return start, end


def _share_meridiem(clocks: list[Clock]) -> None:
    """'3–4pm' is 15:00–16:00, '11–1pm' 11:00–13:00, '9am–5' 09:00–17:00."""
    if len(clocks) != 2:
        return
    a, b = clocks
    if a.meridiem is None and a.daypart is None and b.meridiem and 1 <= a.hour <= 12:
        a.meridiem = b.meridiem
        if b.meridiem == "pm" and a.hour % 12 > b.hour % 12:
            a.meridiem = "am"
    elif b.meridiem is None and b.daypart is None and a.meridiem and 1 <= b.hour <= 12:
        b.meridiem = a.meridiem
        if a.meridiem == "am" and b.hour % 12 < a.hour % 12:
            b.meridiem = "pm"
    if a.daypart is None and a.meridiem is None and b.daypart:
        a.daypart = b.daypart
    for one, other in ((a, b), (b, a)):
        # "9:00–17:00": the 24-hour end says how the start is written
        if (one.meridiem is None and one.daypart is None and one.marker in ("colon", "dot", "prep")
                and (other.hour >= 13 or other.padded) and other.meridiem is None):
            one.padded = True
        if one.marker in ("prep",) and other.marker in ("uhr", "h", "ji"):
            one.marker = other.marker


def _hour(clock: Clock, ctx: Context) -> tuple[int, int]:
    if clock.marker == "noon":
        return 12, 0
    if clock.marker == "midnight":
        return 0, 0
    h, m = clock.hour, clock.minute
    if clock.meridiem:
        return h % 12 + (12 if clock.meridiem == "pm" else 0), m
    if clock.daypart and 1 <= h <= 12:
        if clock.daypart == AM:
            return h % 12, m
        if clock.daypart == PM:
            return (h if h == 12 else h + 12), m
        if clock.daypart == NIGHT:
            return (0 if h == 12 else h + 12 if h >= 6 else h), m
    if h == 0 or h >= 13 or clock.padded:
        return h, m
    if clock.marker in ("uhr", "h", "ji", "iso"):
        return h, m
    if clock.marker in ("colon", "dot") and not ctx.twelve_hour:
        return h, m
    if h == 12 and (m or clock.marker in ("colon", "dot")):
        return h, m                      # "12:30": half past noon wherever clocks have 12 hours
    raise _Unread(f"am_or_pm: {h}:{m:02d} could be {h % 12:02d}:{m:02d} or {h % 12 + 12:02d}:{m:02d}")


def _day(ref: DateRef | None, clock: Clock, today: date) -> date:
    if clock.on is not None:
        return clock.on
    if ref is None:
        return today
    if ref.kind == "rel":
        return today + timedelta(days=ref.days)
    if ref.kind == "vague":
        raise _Unread("vague_day: a day is meant but not named")
    if ref.kind == "md" and ref.month == 0:                  # "on the 25th": this month's, or the nearest
        options = []
        for shift in (-1, 0, 1):
            month_index = today.year * 12 + today.month - 1 + shift
            try:
                options.append(date(month_index // 12, month_index % 12 + 1, ref.day))
            except ValueError:
                continue
        if not options:
            raise _Unread(f"invalid_date: day {ref.day}")
        return min(options, key=lambda d: abs((d - today).days))
    if ref.kind == "weekday":
        ahead = (ref.weekday - today.weekday()) % 7
        if ref.strictly_next and ahead == 0:
            ahead = 7
        return today + timedelta(days=ahead)
    if ref.year is not None:
        try:
            return date(ref.year, ref.month, ref.day)
        except ValueError:
            raise _Unread(f"invalid_date: {ref.year}-{ref.month:02d}-{ref.day:02d} is not a date") from None
    options = []
    for year in (today.year - 1, today.year, today.year + 1):
        try:
            options.append(date(year, ref.month, ref.day))
        except ValueError:
            continue
    if not options:
        raise _Unread(f"invalid_date: {ref.month:02d}-{ref.day:02d} is not a date")
    return min(options, key=lambda d: abs((d - today).days))


def _zone_label(found: Found, ctx: Context) -> str | None:
    z = found.zone
    clock = found.clocks[0]
    if clock.offset_minutes is not None:
        return _offset_label(clock.offset_minutes)
    if z is None or z.kind == "mine":
        return ctx.zone
    if z.kind == "offset":
        return z.label
    if z.kind == "names" and len(z.zones) == 1:
        return z.zones[0]
    if z.kind == "names" and ctx.zone in z.zones:
        return ctx.zone
    return None


def _offset_label(minutes: int) -> str:
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _instant(found: Found, clock: Clock, ctx: Context, previous: datetime | None
             ) -> tuple[datetime, str, datetime]:
    """(UTC instant, zone label, wall clock) or _Unread."""
    hour, minute = _hour(clock, ctx)
    offset = clock.offset_minutes
    z = found.zone
    if offset is None and z is not None and z.kind == "offset":
        offset = z.offset_minutes
    if offset is not None:
        today = local_date(ctx.at, "UTC") if clock.on is None else clock.on
        wall = datetime.combine(_day(found.date, clock, today), time(hour, minute))
        wall = _after(wall, clock, previous)
        try:
            return at_offset(wall, timedelta(minutes=offset)), _offset_label(offset), wall
        except TimeError:
            raise _Unread(f"unknown_zone: {_offset_label(offset)} is not an offset") from None
    if z is not None and z.kind == "yours":
        raise _Unread(f"reader_zone: '{z.label}' is each reader's own clock")
    if z is not None and z.kind == "local":
        raise _Unread(f"local_time: '{z.label}' does not say where")
    if z is None or z.kind == "mine":
        if not ctx.zone:
            raise _Unread("no_zone: the author's zone is not known")
        candidates: tuple[str, ...] = (ctx.zone,)
    else:
        candidates = z.zones
    results: dict[str, tuple[datetime, datetime] | _Unread] = {}
    for name in candidates:
        try:
            today = local_date(ctx.at, name)
        except TimeError:
            results[name] = _Unread(f"unknown_zone: {name}")
            continue
        try:
            wall = _after(datetime.combine(_day(found.date, clock, today), time(hour, minute)), clock, previous)
        except _Unread as unread:
            results[name] = unread
            continue
        try:
            results[name] = (to_utc(localize(wall, name)), wall)
        except TimeError as error:
            results[name] = _Unread(_dst_note(error, wall, name))
    instants = {r[0] for r in results.values() if not isinstance(r, _Unread)}
    first = candidates[0]
    if len(candidates) == 1 or (len(instants) == 1 and not any(isinstance(r, _Unread) for r in results.values())):
        chosen = first
    elif ctx.zone in results:
        chosen = ctx.zone
    else:
        label = z.label if z is not None else ""
        raise _Unread(f"ambiguous_zone: {label} may be {', '.join(candidates)}")
    result = results[chosen]
    if isinstance(result, _Unread):
        raise result
    return result[0], chosen, result[1]


def _after(wall: datetime, clock: Clock, previous: datetime | None) -> datetime:
    if clock.marker == "midnight":
        wall += timedelta(days=1)           # "at midnight": the end of the day, not its start
    if previous is not None and wall <= previous:
        wall += timedelta(days=1)           # "11pm–1am": the end is the next day
    return wall


def _dst_note(error: TimeError, wall: datetime, zone_name: str) -> str:
    if error.code == "nonexistent_time":
        return f"nonexistent_time: {wall:%Y-%m-%d %H:%M} does not exist in {zone_name} (clocks skip it for DST)"
    if error.code == "ambiguous_time":
        return f"ambiguous_time: {wall:%Y-%m-%d %H:%M} happens twice in {zone_name} (DST ends)"
    return f"{error.code}: {zone_name}"
