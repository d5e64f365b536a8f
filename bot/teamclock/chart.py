"""A picture of the team's day: one row per member on a shared 24-hour axis (the reader's local day),
working hours shaded, days off marked, and the band when everyone works highlighted.

`team_day` computes the picture as data (testable without looking at pixels); `render_team_day`
draws it with Pillow into a PNG and returns its path. Adapters upload the file (Slack, Discord) or
print the path (console). `/time chart` (in commands.py) shows it; `/meet find … chart` uses it too.
"""
from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from PIL import Image, ImageDraw, ImageFont

from bot import availability
from bot.availability import MemberStatus
from bot.i18n import Translator
from bot.models import Member
from bot.coffee import shared_windows
from bot.teamclock.status import describe_status
from bot.text import one_line
from bot.time import day_bounds, format_offset, local_dates_between, ritual_instant, to_local, to_utc, utc_offset, working_window

MAX_ROWS = 40
Interval = tuple[int, int]               # minutes from the start of the axis


@dataclass(frozen=True)
class Row:
    member: Member
    label: str
    work: tuple[Interval, ...]
    off: tuple[tuple[int, int, str], ...]   # (start, end, why) for weekends, holidays, time off


@dataclass
class TeamDay:
    day: date
    zone: str
    start: datetime                      # UTC instant of the reader's local midnight
    minutes: int                         # 1440, or 1380/1500 on a DST change
    rows: list[Row] = field(default_factory=list)
    overlap: list[Interval] = field(default_factory=list)
    highlight: Interval | None = None

    def minute_of(self, instant: datetime) -> int:
        return int((to_utc(instant) - self.start).total_seconds() // 60)


def _clip(day: TeamDay, start: datetime, end: datetime) -> tuple[datetime, datetime] | None:
    """The part of [start, end) on the picture's axis, as UTC instants."""
    axis_end = day.start + timedelta(minutes=day.minutes)
    a, b = max(to_utc(start), day.start), min(to_utc(end), axis_end)
    return (a, b) if b > a else None


def _minutes(day: TeamDay, span: tuple[datetime, datetime]) -> Interval:
    return day.minute_of(span[0]), day.minute_of(span[1])


def team_day(tr: Translator, members: Sequence[Member], day: date, zone: str,
             highlight: tuple[datetime, datetime] | None = None) -> TeamDay:
    """The reader's local `day` in `zone`, with each member's working hours and days off on it."""
    start, end = day_bounds(day, zone)
    picture = TeamDay(day, zone, start, int((end - start).total_seconds() // 60))
    windows: list[list[tuple[datetime, datetime]]] = []
    for member in members:
        work: list[tuple[datetime, datetime]] = []
        off: list[tuple[int, int, str]] = []
        for local in local_dates_between(start - timedelta(days=1), end + timedelta(days=1), member.tz):
            window = _clip(picture, *working_window(local, member.hours_start, member.hours_end, member.tz))
            reason = availability.day_off(member, local, tr.locale_id)
            if reason is None:
                if window:
                    work.append(window)
                continue
            span = _clip(picture, *day_bounds(local, member.tz))
            if span:
                noon = ritual_instant(local, time(12), member.tz)
                status = MemberStatus(member, to_local(noon, member.tz), reason.state, reason)
                off.append((*_minutes(picture, span), describe_status(tr, status)))
        offset = format_offset(utc_offset(start + (end - start) / 2, member.tz))
        label = f"{one_line(member.display_name, 28)} (UTC{offset})"
        windows.append(sorted(work))
        picture.rows.append(Row(member, label, tuple(_minutes(picture, w) for w in sorted(work)), tuple(off)))
    if windows:
        picture.overlap = [_minutes(picture, w) for w in shared_windows(*windows)]
    if highlight is not None:
        shown = _clip(picture, *highlight)
        picture.highlight = _minutes(picture, shown) if shown else None
    return picture


# --- drawing -------------------------------------------------------------------------------------

LABEL_WIDTH, AXIS_WIDTH, ROW_HEIGHT, HEADER, FOOTER, PAD = 250, 960, 30, 44, 30, 12
COLORS = {"background": "#ffffff", "grid": "#e4e7ec", "text": "#1f2933", "work": "#5b8def",
          "off": "#f6c6c6", "off_text": "#9b1c1c", "overlap": (255, 214, 102, 110), "highlight": "#1a7f37"}
FONT_FILES = ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf",
              "/usr/share/fonts/TTF/DejaVuSans.ttf")


@lru_cache(maxsize=4)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for candidate in FONT_FILES:
        if Path(candidate).exists():
            return ImageFont.truetype(candidate, size)
    return ImageFont.load_default(size=size)


@lru_cache(maxsize=1)
def chart_dir() -> Path:
    """A directory of this process alone (mode 0700, unpredictable name), removed at exit: a shared,
    predictable one under the system temp dir could be pre-created or read by another local user.
    Adapters delete each chart once uploaded."""
    path = Path(tempfile.mkdtemp(prefix="meridian-charts-"))
    atexit.register(shutil.rmtree, path, ignore_errors=True)
    return path


def draw(tr: Translator, picture: TeamDay) -> Image.Image:
    height = HEADER + ROW_HEIGHT * max(1, len(picture.rows)) + FOOTER
    image = Image.new("RGB", (LABEL_WIDTH + AXIS_WIDTH + PAD, height), COLORS["background"])
    canvas = ImageDraw.Draw(image, "RGBA")
    font, small = _font(13), _font(11)
    scale = AXIS_WIDTH / picture.minutes

    def x(minute: int) -> float:
        return LABEL_WIDTH + minute * scale

    title = tr._("{date} in {zone}", date=tr.weekday_date(picture.day), zone=tr.zone_name(picture.zone))
    canvas.text((PAD, 8), title, fill=COLORS["text"], font=font)
    body_top, body_bottom = HEADER, HEADER + ROW_HEIGHT * max(1, len(picture.rows))
    for start, end in picture.overlap:
        canvas.rectangle((x(start), body_top, x(end), body_bottom), fill=COLORS["overlap"])
    for elapsed in range(0, picture.minutes + 1, 60):      # a grid line every hour of the axis, a label every three
        position = x(elapsed)
        canvas.line((position, body_top - 4, position, body_bottom), fill=COLORS["grid"], width=1)
        if elapsed % 180 == 0 and elapsed < picture.minutes:
            local = to_local(picture.start + timedelta(minutes=elapsed), picture.zone)
            canvas.text((position + 2, HEADER - 18), tr.time(local), fill=COLORS["text"], font=small)
    for index, row in enumerate(picture.rows):
        top = body_top + index * ROW_HEIGHT
        canvas.text((PAD, top + 8), row.label, fill=COLORS["text"], font=font)
        for start, end, why in row.off:
            canvas.rectangle((x(start), top + 4, x(end), top + ROW_HEIGHT - 4), fill=COLORS["off"])
            canvas.text((x(start) + 4, top + 9), one_line(why, 60), fill=COLORS["off_text"], font=small)
        for start, end in row.work:
            canvas.rectangle((x(start), top + 8, x(end), top + ROW_HEIGHT - 8), fill=COLORS["work"])
        canvas.line((LABEL_WIDTH, top + ROW_HEIGHT, LABEL_WIDTH + AXIS_WIDTH, top + ROW_HEIGHT), fill=COLORS["grid"])
    if picture.highlight:
        start, end = picture.highlight
        canvas.rectangle((x(start), body_top - 2, x(end), body_bottom + 2), outline=COLORS["highlight"], width=3)
    legend = tr._("Blue: working hours · red: weekend, holiday or time off · yellow: everyone is working")
    canvas.text((PAD, body_bottom + 8), legend, fill=COLORS["text"], font=small)
    return image


def render_team_day(tr: Translator, members: Sequence[Member], day: date, zone: str, *,
                    highlight: tuple[datetime, datetime] | None = None) -> Path:
    """The PNG of `members`' day (the first MAX_ROWS of them) on the reader's `day` in `zone`."""
    return render(tr, team_day(tr, members[:MAX_ROWS], day, zone, highlight))


def render(tr: Translator, picture: TeamDay) -> Path:
    """Draw the picture into a PNG (named by its content, so the same picture is one file)."""
    image = draw(tr, picture)
    digest = hashlib.sha256(image.tobytes()).hexdigest()[:20]
    path = chart_dir() / f"team-day-{digest}.png"
    if not path.exists():
        partial = path.with_suffix(".tmp")
        image.save(partial, format="PNG")
        partial.replace(path)
    return path


def overlap_text(tr: Translator, picture: TeamDay) -> str:
    if not picture.overlap:
        return tr._("On {date} there is no time when everyone is working.", date=tr.weekday_date(picture.day))
    spans = [tr._("{start}–{end}", start=tr.time(to_local(picture.start + timedelta(minutes=s), picture.zone)),
                  end=tr.time(to_local(picture.start + timedelta(minutes=e), picture.zone)))
             for s, e in picture.overlap]
    return tr._("On {date} everyone is working {spans} your time.", date=tr.weekday_date(picture.day),
                spans=tr.list(spans))
