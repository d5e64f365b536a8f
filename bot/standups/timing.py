"""When a standup day's prompt, reminder and summary fall: the one computation of these instants.

The rituals ask it when to send, the commands ask it which day an answer is for and whether a day's
summary is already out, so both always agree. A prompt is at the standup's time *in the member's own
zone* (`prompt_at`, on `bot.time.ritual_instant`: a DST gap moves it forward, an overlap takes the
first), on the member's own working days only: never while away, on one of their public holidays or
regional weekend (all three through `bot.availability`), and never on a day they skipped.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Callable, Iterator

from sqlalchemy.orm import Session

from bot import availability
from bot.models import Member
from bot.standups.models import Standup, participants, skipped_days
from bot.time import DEFAULT_HORIZON_DAYS, delay_fits_in_hours, local_date, ritual_instant, to_utc, working_window

SUMMARY_DELAY_WITHOUT_REMINDER = timedelta(hours=2)
HORIZON_DAYS = 400           # how far ahead an answer's day is looked for (a long time off, a year of holidays)


# --- one standup day ----------------------------------------------------------------------------------

def prompt_at(standup: Standup, zone_name: str, day: date) -> datetime:
    """The instant (UTC) a member in `zone_name` is asked on their local `day`."""
    return to_utc(ritual_instant(day, standup.prompt_time, zone_name))


def reminder_at(standup: Standup, member: Member, day: date) -> datetime | None:
    """Prompt + reminder delay, moved into the member's working hours of that day; None if it would fall after them."""
    if not standup.reminder_minutes:
        return None
    start, end = working_window(day, member.hours_start, member.hours_end, member.tz)
    at = max(prompt_at(standup, member.tz, day) + timedelta(minutes=standup.reminder_minutes), start)
    return at if at < end else None


def summary_delay(standup: Standup) -> timedelta:
    return timedelta(minutes=standup.reminder_minutes) if standup.reminder_minutes else SUMMARY_DELAY_WITHOUT_REMINDER


def summary_at(standup: Standup, members: list[Member], day: date) -> datetime | None:
    """When the summary of `day` is posted: the last participant's prompt of that day plus the reminder delay.

    "Last" is taken over every participant, working or not, so the instant is stable when someone goes
    away and increases from day to day (the scheduler walks it with a strictly-after cursor). None when
    no participant works that day: no summary then.
    """
    if not any(availability.day_off(m, day) is None for m in members):
        return None
    last = max(prompt_at(standup, zone, day) for zone in {m.tz for m in members})
    return last + summary_delay(standup)


def answer_day(member: Member, now: datetime) -> date | None:
    """The standup day an answer given at `now` is filed under: the earliest of the member's working
    days whose working hours have not ended yet.

    So during (or before) today's working hours it is today — a late afternoon answer still counts
    for today — and after today's hours end, on a weekend, a holiday or while away it is the next
    working day: an answer written in the member's own evening is for tomorrow's standup, whatever
    date UTC shows. Overnight hours that started yesterday still belong to yesterday.
    """
    day = availability.today(member, now) - timedelta(days=1)
    for _ in range(HORIZON_DAYS):
        if availability.day_off(member, day) is None:
            _, end = working_window(day, member.hours_start, member.hours_end, member.tz)
            if end > now:
                return day
        day += timedelta(days=1)
    return None


# --- the next ones after an instant (what the rituals walk) --------------------------------------------

def _first_prompt_after(standup: Standup, member: Member, after: datetime,
                        open_day: Callable[[date], bool]) -> tuple[date, datetime] | None:
    """The first open local day whose prompt falls strictly after `after`.

    Starts one local day early: a gap moved forward can push a late-evening time past midnight.
    """
    first = local_date(after, member.tz) - timedelta(days=1)
    after_utc = to_utc(after)
    for offset in range(DEFAULT_HORIZON_DAYS + 2):
        day = first + timedelta(days=offset)
        if not open_day(day):
            continue
        at = prompt_at(standup, member.tz, day)
        if at > after_utc:
            return day, at
    return None


def prompt_days(session: Session, standup: Standup, member: Member, after: datetime) -> Iterator[tuple[date, datetime]]:
    """The member's prompt days for one standup, in order, from `after` on: (their local day, prompt instant)."""
    skipped = skipped_days(session, standup, member, availability.today(member, after) - timedelta(days=2))

    def open_day(day: date) -> bool:
        return day not in skipped and availability.day_off(member, day) is None

    cursor = after
    while True:
        found = _first_prompt_after(standup, member, cursor, open_day)
        if found is None:
            return
        yield found
        cursor = found[1]


def next_prompt(session: Session, standup: Standup, member: Member, after: datetime) -> tuple[date, datetime] | None:
    return next(prompt_days(session, standup, member, after), None)


def next_reminder(session: Session, standup: Standup, member: Member, after: datetime) -> tuple[date, datetime] | None:
    """The member's next reminder strictly after `after`: (the prompt's day, the reminder instant)."""
    if not reminder_can_fit(standup, member):
        return None
    # A reminder comes after its prompt, by the delay or (clipped into working hours) by less than a day more.
    lookback = timedelta(minutes=standup.reminder_minutes) + timedelta(days=1)
    for checked, (day, _) in enumerate(prompt_days(session, standup, member, after - lookback)):
        at = reminder_at(standup, member, day)
        if at is not None and at > after:
            return day, at
        if checked > DEFAULT_HORIZON_DAYS:
            return None
    return None


def reminder_can_fit(standup: Standup, member: Member) -> bool:
    """Does prompt + delay (moved to the start of hours) fall before the end of working hours, on the wall
    clock? The same every day, so a reminder that never fits is known at once instead of after a year's scan."""
    if not standup.reminder_minutes:
        return False
    if member.hours_end <= member.hours_start:
        return True        # overnight hours: the day-by-day check decides
    return delay_fits_in_hours(standup.prompt_time, timedelta(minutes=standup.reminder_minutes),
                               member.hours_start, member.hours_end)


def next_summary(session: Session, standup: Standup, after: datetime) -> tuple[date, datetime] | None:
    """The next standup day whose summary is due strictly after `after` (summary instants grow day by day)."""
    if not standup.active:
        return None
    members = participants(session, standup)
    if not members:
        return None
    day = to_utc(after).date() - timedelta(days=2)   # the westernmost zones' days run up to two days behind UTC's
    for _ in range(DEFAULT_HORIZON_DAYS):
        at = summary_at(standup, members, day)
        if at is not None and at > after:
            return day, at
        day += timedelta(days=1)
    return None
