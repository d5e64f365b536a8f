"""What a conversion says: the thread reply for a channel, and a private reading for one reader.

Both take what `detect_times` found and who reads it; neither knows a platform. A range's two ends
("3–4pm") are shown as one moment. Times that were not read (`utc` None) are left out of channel
replies (the bot stays quiet rather than guess) and explained in private readings.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterable

from babel.dates import get_timezone_location

from bot.conversion.read import DetectedTime
from bot.i18n import Translator
from bot.reply import Reply, Section
from bot.time import GapPolicy, OverlapPolicy, TimeError, localize, to_local

MAX_GROUPS = 8          # lines per time in a channel reply, however many zones the channel has
MAX_PLACES = 3          # places named on one line; the rest are counted


@dataclass(frozen=True)
class Moment:
    """One time as the message wrote it: a single time, or both ends of a range."""

    text: str
    first: DetectedTime
    last: DetectedTime | None = None           # the "until" end of a range

    @property
    def utc(self) -> tuple[datetime, datetime | None] | None:
        if self.first.utc is None or (self.last is not None and self.last.utc is None):
            return None
        return self.first.utc, self.last.utc if self.last is not None else None


def moments(message: str, times: list[DetectedTime]) -> list[Moment]:
    """The detected times, a range's "from" and "until" joined into one moment with the words between."""
    found: list[Moment] = []
    index = 0
    while index < len(times):
        current = times[index]
        following = times[index + 1] if index + 1 < len(times) else None
        if current.part == "from" and following is not None and following.part == "until":
            found.append(Moment(message[current.start:following.end], current, following))
            index += 2
            continue
        found.append(Moment(current.text, current))
        index += 1
    return found


def _city(tr: Translator, zone_name: str) -> str:
    try:
        return get_timezone_location(zone_name, locale=tr.locale, return_city=True)
    except (LookupError, ValueError):
        return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def _when(tr: Translator, start: datetime, end: datetime | None) -> str:
    """'Tue, Mar 24, 15:00–16:00' in the reader's language (the end's day only when it differs)."""
    shown = f"{tr.weekday_date(start)}, {tr.time(start)}"
    if end is None:
        return shown
    if end.date() != start.date():
        return f"{shown} – {tr.weekday_date(end)}, {tr.time(end)}"
    return f"{shown}–{tr.time(end)}"


def _local(instants: tuple[datetime, datetime | None], zone_name: str) -> tuple[datetime, datetime | None]:
    start, end = instants
    return to_local(start, zone_name), to_local(end, zone_name) if end is not None else None


def _naive(local: datetime) -> datetime:
    return local.replace(tzinfo=None)


def _wall(moment: DetectedTime) -> datetime | None:
    return _naive(moment.local) if moment.local is not None else None


def channel_reply(message: str, times: list[DetectedTime], reader_zones: Iterable[str], tr: Translator, *,
                  own_clocks: bool = False) -> Reply | None:
    """The thread reply: each time at the readers' local times, readers with the same wall clock on one line.

    None when there is nothing worth saying: no time was read for certain, or every reader already sees
    the time as written (a team all in Berlin needs no conversion of "15 Uhr"). With `own_clocks` (the
    platform shows `Reply.instants` in each reader's zone: Discord) the reply is just those instants.
    """
    if own_clocks:
        shown = [(moment.text, moment.utc[0]) for moment in moments(message, times) if moment.utc is not None]
        return Reply(instants=shown, ephemeral=False) if shown else None
    zones = sorted(set(reader_zones))
    if not zones:
        return None
    reply = Reply(text=tr._("In this channel's time zones:"), ephemeral=False)
    for moment in moments(message, times):
        instants = moment.utc
        if instants is None:
            continue
        # Aware datetimes in different zones compare equal when they are the same instant: group by wall clock.
        groups: dict[tuple[datetime, datetime | None], list[str]] = {}
        for zone_name in zones:
            start, end = _local(instants, zone_name)
            groups.setdefault((_naive(start), _naive(end) if end is not None else None), []).append(zone_name)
        if len(groups) == 1 and next(iter(groups))[0] == _wall(moment.first):
            continue                  # everyone reads it as written
        ordered = sorted(groups.items(), key=lambda item: item[0][0])    # earliest wall clock first: west to east
        shown = ordered if len(ordered) <= MAX_GROUPS + 1 else ordered[:MAX_GROUPS]   # never "1 more" for one line
        lines = [f"{_when(tr, start, end)} · {_places(tr, group)}" for (start, end), group in shown]
        if len(shown) < len(ordered):
            rest = len(ordered) - len(shown)
            lines.append(tr.n_("… and {n} more time zone", "… and {n} more time zones", rest))
        reply.add(moment.text, lines)
    return reply if reply.sections else None


def _places(tr: Translator, zone_names: list[str]) -> str:
    cities = sorted({_city(tr, name) for name in zone_names})
    if len(cities) <= MAX_PLACES:
        return tr.list(cities)
    return tr.list(cities[:MAX_PLACES] + [tr.n_("{n} more", "{n} more", len(cities) - MAX_PLACES)])


def reading_reply(message: str, times: list[DetectedTime], reader_zone: str, tr: Translator, *,
                  zone_known: bool = True) -> Reply:
    """One reader's private view: each time in their own zone and language, or why it was not converted.
    The converted moments are also on `Reply.instants`, so a platform that shows instants in each reader's
    own zone (Discord) is right even for a reader who never told us theirs."""
    if not times:
        return Reply(text=tr._("I found no time to convert in that message."))
    lines: list[str] = []
    shown: list[tuple[str, datetime]] = []
    for moment in moments(message, times):
        instants = moment.utc or _in_reader_zone(moment, reader_zone)
        if instants is None:
            lines.append(f"{moment.text} → {explain(tr, moment.first.note or (moment.last.note if moment.last else None))}")
            continue
        start, end = _local(instants, reader_zone)
        lines.append(f"{moment.text} → {_when(tr, start, end)}")
        shown.append((moment.text, instants[0]))
    heading = (tr._("In your time zone ({place}):", place=_city(tr, reader_zone)) if zone_known
               else tr._("In UTC (I don't know your time zone yet: set it with /tz set):"))
    return Reply(text=heading, sections=[Section(None, tuple(lines))], instants=shown)


def _in_reader_zone(moment: Moment, reader_zone: str) -> tuple[datetime, datetime | None] | None:
    """"9:30 your time" (or "local time") is a wall clock time in whoever reads it: in a private reading we know who."""
    ends = [moment.first] + ([moment.last] if moment.last is not None else [])
    if not all(end.local is not None and (end.note or "").split(":")[0] in ("reader_zone", "local_time") for end in ends):
        return None
    try:
        instants = [localize(end.local.replace(tzinfo=None), reader_zone,  # type: ignore[union-attr]
                             gap=GapPolicy.ERROR, overlap=OverlapPolicy.ERROR) for end in ends]
    except TimeError:
        return None
    return instants[0], instants[1] if len(instants) > 1 else None


def explain(tr: Translator, note: str | None) -> str:
    """Why a time was not converted, in plain words."""
    code = (note or "").split(":", 1)[0]
    if code == "ambiguous_zone":
        return tr._("not converted: that zone abbreviation means several zones")
    if code == "am_or_pm":
        return tr._("not converted: am or pm?")
    if code in ("nonexistent_time", "ambiguous_time"):
        return tr._("not converted: the clocks change at that time")
    return tr._("not converted: I can't tell which moment is meant")
