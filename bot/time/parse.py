"""Parsing what people type about time: clock times, hours, weekdays, dates, durations, ISO instants."""
from __future__ import annotations

import re
from functools import lru_cache
from datetime import date, datetime, time, timedelta
from dataclasses import dataclass
from typing import Iterable, Sequence

from bot.time.errors import TimeError
from bot.time.instants import UTC, localize, within_date_range
from babel import Locale, UnknownLocaleError

from bot.time.zones import fold_text

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


_CLOCK_RE = re.compile(
    r"^(?P<h>\d{1,2})(?:[:.h](?P<m>\d{2}))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?$", re.IGNORECASE)


def parse_clock(text: str) -> time:
    """'9', '09:30', '9:30pm', '12pm' (noon), '12am' (midnight), '21h30', 'noon', 'midnight'."""
    raw = text.strip().casefold()
    if raw == "noon":
        return time(12, 0)
    if raw == "midnight":
        return time(0, 0)
    match = _CLOCK_RE.match(raw)
    if not match:
        raise TimeError("bad_time", text=text)
    hour, minute = int(match["h"]), int(match["m"] or 0)
    ampm = (match["ampm"] or "").replace(".", "")
    if ampm:
        if not 1 <= hour <= 12:
            raise TimeError("bad_time", text=text)
        hour = hour % 12 + (12 if ampm == "pm" else 0)
    if hour > 23 or minute > 59:
        raise TimeError("bad_time", text=text)
    return time(hour, minute)


def parse_hours(text: str) -> tuple[time, time]:
    """'09:00-17:00', '9am-5pm', '22:00-06:00' (overnight)."""
    parts = re.split(r"\s*[-–—]\s*|\s+to\s+", text.strip(), maxsplit=1)
    if len(parts) != 2:
        raise TimeError("bad_hours", text=text)
    try:
        start, end = parse_clock(parts[0]), parse_clock(parts[1])
    except TimeError:
        raise TimeError("bad_hours", text=text) from None
    if start == end:
        raise TimeError("bad_hours", text=text)
    if _is_afternoon_shorthand(parts[0], parts[1], start, end):
        end = time(end.hour + 12, end.minute)     # "9-5" is a day shift, not a 20-hour night
    return start, end


def _is_afternoon_shorthand(start_text: str, end_text: str, start: time, end: time) -> bool:
    """'9-5', '8:30-4:30', '10-2': an everyday day shift whose end is written on a 12-hour clock.

    Only when neither end says am/pm, the end has no leading zero ('21:00-05:00' and '22-06' stay
    night shifts), the literal reading would be a shift of 16 hours or more (nobody works 9 to 5
    the next morning) and reading the end as pm gives a day of at most 12 hours.
    """
    if re.search(r"[ap]\.?m", start_text + end_text, re.IGNORECASE) or end_text.strip().startswith("0"):
        return False
    if not (1 <= end.hour <= 11 and end < start <= time(12, 59)):
        return False
    literal_minutes = (end.hour * 60 + end.minute + 24 * 60) - (start.hour * 60 + start.minute)
    return literal_minutes >= MAX_PLAUSIBLE_SHIFT_MINUTES and time(end.hour + 12, end.minute) > start


MAX_PLAUSIBLE_SHIFT_MINUTES = 16 * 60


def parse_weekday(text: str) -> int | None:
    """0=Monday for 'mon', 'monday', 'Mo'…; None when it is not a weekday name."""
    key = fold_text(text)
    for index, short in enumerate(WEEKDAYS):
        full = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")[index]
        if key and (key == short or key == full or (len(key) >= 2 and full.startswith(key))):
            return index
    return None


def parse_days(values: Iterable[str] | str) -> tuple[int, ...]:
    """'mon,tue,wed' or ['sun', 'mon'] or 'sun-thu' -> sorted weekday numbers (0=Monday)."""
    items = re.split(r"[\s,]+", values.strip()) if isinstance(values, str) else list(values)
    days: set[int] = set()
    for item in items:
        if not item:
            continue
        if "-" in item:
            first, last = (parse_weekday(p) for p in item.split("-", 1))
            if first is None or last is None:
                raise TimeError("bad_days", text=item)
            day = first
            while True:
                days.add(day)
                if day == last:
                    break
                day = (day + 1) % 7
            continue
        day_number = parse_weekday(item)
        if day_number is None:
            raise TimeError("bad_days", text=item)
        days.add(day_number)
    if not days:
        raise TimeError("bad_days", text=",".join(items))
    return tuple(sorted(days))


def format_days(days: Iterable[int]) -> str:
    return ",".join(WEEKDAYS[d] for d in sorted(days))


def parse_date(text: str, today: date, locale: str = "en") -> date:
    """A date as people type it, in English or the reader's `locale` (see `take_date` for the forms)."""
    found, used = take_date(text.split(), today, locale)
    if found is None or used != len(text.split()):
        raise TimeError("bad_date", text=text)
    return within_date_range(found, text)


def parse_duration(text: str) -> timedelta:
    """'30m', '1h', '1h30m', '90', '45 min' -> timedelta (minutes when no unit)."""
    raw = text.strip().casefold().replace(" ", "")
    match = re.fullmatch(r"(?:(\d{1,3})h)?(?:(\d{1,4})(?:m|min|mins|minutes)?)?", raw)
    if not raw or not match or (match[1] is None and match[2] is None):
        raise TimeError("bad_duration", text=text)
    minutes = int(match[1] or 0) * 60 + int(match[2] or 0)
    if not 0 < minutes <= 24 * 60:
        raise TimeError("bad_duration", text=text)
    return timedelta(minutes=minutes)


def parse_instant(text: str, zone_name: str | None = None) -> datetime:
    """An ISO 8601 instant ('2026-03-23T00:00Z', '...+01:00') or, with a zone, a local ISO time."""
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(raw)
    except ValueError:
        raise TimeError("bad_instant", text=text) from None
    within_date_range(parsed.date(), text)
    if parsed.tzinfo is None:
        if zone_name is None:
            raise TimeError("bad_instant", text=text)
        return localize(parsed, zone_name)
    return parsed.astimezone(UTC)




# --- dates as people type them, in their language ------------------------------------------------

MAX_DATE_WORDS = 6            # "ter., 23 de mar. de 2027" (pt_BR) is the longest form CLDR prints
_FILLERS = frozenset({"de", "of", "the", "el", "le", "du", "do", "da", "on"})
_ORDINAL_SUFFIX = re.compile(r"^(\d{1,4})(?:st|nd|rd|th|er|e|o|º|ª|\.|日|年)?$")


@dataclass(frozen=True)
class _DateWords:
    """What one language (with English) calls days, months and weekdays; folded as `fold_text` folds."""
    relative: dict[str, int]                 # "tomorrow" -> 1, "übermorgen" -> 2
    in_days: tuple[re.Pattern[str], ...]     # "in 3 days", "dans 3 jours"
    weekdays: dict[str, tuple[int, int]]     # "next monday" -> (0, 1), "monday" -> (0, 0): weekday, which one
    months: dict[str, int]                   # "dec", "december", "dezember" -> 12
    day_first: bool                          # 25/12 (en_GB, de, fr…) or 12/25 (en_US)
    year_first: bool                         # 2026/12/25 (ja)


_CLDR_WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


@lru_cache(maxsize=32)
def _date_words(locale: str) -> _DateWords:
    try:
        own = Locale.parse(locale or "en")
    except (UnknownLocaleError, ValueError):
        own = Locale.parse("en")
    relative: dict[str, int] = {}
    in_days: list[re.Pattern[str]] = []
    weekdays: dict[str, tuple[int, int]] = {}
    months: dict[str, int] = {}
    for loc in (Locale.parse("en"), own):
        fields = loc._data["date_fields"]
        for offset, word in sorted(fields["day"]["relative"].items(), key=lambda kv: -abs(kv[0]) + (kv[0] > 0)):
            relative[fold_text(word)] = offset     # "kal" is yesterday and tomorrow in Hindi: tomorrow wins
        for pattern in dict(fields["day"]["future"]).values():
            words = [re.escape(w) for w in fold_text(pattern).split("{0}")]
            in_days.append(re.compile(r"^" + r"(\d{1,3})".join(words).replace(r"\ ", r"\s*") + r"$"))
        for index, key in enumerate(_CLDR_WEEKDAY_KEYS):
            for offset, phrase in fields[key]["relative"].items():
                weekdays[fold_text(phrase)] = (index, offset)
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for index, name in loc.days[context][width].items():
                    weekdays.setdefault(fold_text(name), (index, 0))
                for number, name in loc.months[context][width].items():
                    months.setdefault(fold_text(name), number)
    short = own.date_formats["short"].pattern
    return _DateWords(relative, tuple(in_days), weekdays, months,
                      day_first=short.find("d") < short.find("M"), year_first=short.lstrip("\u200f").startswith("y"))


def take_date(words: Sequence[str], today: date, locale: str = "en") -> tuple[date | None, int]:
    """The date at the start of `words` and how many words it took, or (None, 0).

    Forms, in English and in `locale`: ISO (2026-12-25); numbers in the locale's order (25/12 for
    en_GB and de, 12/25 for en_US, 25.12.2026); month names (Dec 25, 25 December 2026, 25. Dezember);
    today, tomorrow, übermorgen…; weekdays (friday: the next one, today included; next friday: after
    today); "in 3 days". A date without a year is the next one on or after `today`. The longest
    reading wins, so "Dec 25 2027" is one date. Raises TimeError('bad_date') for a date that looks
    like one but does not exist (2026-02-30, 31/04) so the error names the date, not a zone.
    """
    vocabulary = _date_words(locale)
    for count in range(min(MAX_DATE_WORDS, len(words)), 0, -1):
        text = " ".join(words[:count])
        found = _read_date(text, today, vocabulary)
        if found is not None:
            return within_date_range(found, text), count
    return None, 0


def looks_like_date(word: str, locale: str = "en") -> bool:
    """Digits with date separators, or a month name: text that was meant as a date (for error messages)."""
    key = fold_text(word).strip(",")
    if re.fullmatch(r"\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{0,4})?", word.strip()):
        return True
    return key in _date_words(locale).months


def _read_date(text: str, today: date, vocabulary: _DateWords) -> date | None:
    raw = text.strip().replace("\u200f", "").replace("\u200e", "")    # bidi marks of Arabic dates
    key = fold_text(raw.replace(",", " "))
    if key in vocabulary.relative:
        return today + timedelta(days=vocabulary.relative[key])
    for pattern in vocabulary.in_days:
        match = pattern.match(key)
        if match:
            return today + timedelta(days=int(match[1]))
    english_weekday = parse_weekday(key)         # English prefixes too: "tues", "thur"
    if english_weekday is not None:
        return today + timedelta(days=(english_weekday - today.weekday()) % 7)
    if key in vocabulary.weekdays or key.replace(" ", "") in vocabulary.weekdays:
        weekday, which = vocabulary.weekdays.get(key) or vocabulary.weekdays[key.replace(" ", "")]
        ahead = (weekday - today.weekday()) % 7
        if which > 0:
            return today + timedelta(days=ahead or 7)
        if which < 0:
            return today - timedelta(days=(today.weekday() - weekday) % 7 or 7)
        return today + timedelta(days=ahead)
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", raw):
        return _checked_date(raw, *(int(p) for p in raw.split("-")))
    numeric = re.fullmatch(r"(\d{1,4})[/.](\d{1,2})(?:[/.](\d{2,4})?)?\.?", raw)
    if numeric:
        first, second, third = int(numeric[1]), int(numeric[2]), numeric[3]
        if len(numeric[1]) == 4 or (vocabulary.year_first and third):
            if not third:
                return None
            return _checked_date(raw, first, second, int(third))
        day, month = (first, second) if vocabulary.day_first else (second, first)
        if month > 12 >= day:
            day, month = month, day     # 25/12 to an en_US reader: only one reading exists
        return _with_year(raw, day, month, third, today)
    return _read_month_name(raw, key, today, vocabulary)


def _read_month_name(raw: str, key: str, today: date, vocabulary: _DateWords) -> date | None:
    """'Dec 25', '25 December 2026', 'Di., 23. März', '25 de diciembre', '2027年3月23日(火)', what
    `Translator.weekday_date` prints. A weekday in the text is skipped; in Spanish and French 'mar'
    is both Tuesday and March, so a word that can be either is the month only when no other word is."""
    spaced = re.sub(r"([年月日])", r"\1 ", key)
    tokens = [t.rstrip(".") for t in re.split(r"[\s,،()（）]+", spaced) if t and t not in _FILLERS]
    month = day = None
    either: list[int] = []
    year: str | None = None
    for token in tokens:
        if token in vocabulary.months and token in vocabulary.weekdays:
            either.append(vocabulary.months[token])
        elif token in vocabulary.months and month is None:
            month = vocabulary.months[token]
        elif token in vocabulary.weekdays:
            continue
        else:
            number = _ORDINAL_SUFFIX.match(token)
            if number is None:
                return None
            if len(number[1]) == 4 and year is None:
                year = number[1]
            elif day is None and len(number[1]) <= 2:
                day = int(number[1])
            else:
                return None
    if month is None and either:
        month = either[-1]           # weekdays come first in every format CLDR has
    if month is None or day is None:
        return None
    return _with_year(raw, day, month, year, today)


def _with_year(raw: str, day: int, month: int, year: str | None, today: date) -> date:
    """The date with the given year, or else the next such day on or after `today`."""
    if year is not None:
        number = int(year)
        return _checked_date(raw, number + 2000 if len(year) == 2 else number, month, day)
    candidate = _checked_date(raw, today.year, month, day, leap_ok=True)
    if candidate < today:
        candidate = _checked_date(raw, today.year + 1, month, day, leap_ok=True)
    return candidate




def _checked_date(raw: str, year: int, month: int, day: int, leap_ok: bool = False) -> date:
    """The date, or TimeError('bad_date') naming what was typed (Feb 29 with no year: the next leap year)."""
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        if leap_ok and (month, day) == (2, 29):
            for later in range(year + 1, year + 8):
                try:
                    return date(later, 2, 29)
                except ValueError:
                    continue
        raise TimeError("bad_date", text=raw) from None
