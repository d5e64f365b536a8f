"""Personal time off (/away). Standups, pairing and meetings all read it through bot.availability."""
from __future__ import annotations

from datetime import date

from bot.models import Away, Member

MAX_AWAY_DAYS = 366


def add_away(member: Member, start: date, end: date, note: str | None = None) -> Away:
    period = Away(workspace_id=member.workspace_id, member_id=member.id, start_date=start, end_date=end, note=note)
    member.away.append(period)
    return period


def upcoming_away(member: Member, today: date) -> list[Away]:
    """The member's time off that has not ended before their `today`, in their list's order."""
    return [p for p in member.away if p.end_date >= today]


def overlapping_away(member: Member, start: date, end: date) -> Away | None:
    """The first period of time off the member typed that shares a day with [start, end].

    Time off read from their calendar does not count: what they type wins over it."""
    for period in member.away:
        if period.typed and period.start_date <= end and start <= period.end_date:
            return period
    return None
