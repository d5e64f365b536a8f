"""Standup history, open blockers and participation by week. Read-only, scoped to one workspace; plain data, worded by the caller."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import availability
from bot.models import Member
from bot.standups.messages import question_texts
from bot.standups.models import Standup, StandupAnswer, participants
from bot.standups.timing import summary_at
from bot.i18n import Translator
from bot.time import local_date


MAX_ROWS = 2000                      # standup history rows shown (and exported) at once
NO_BLOCKER = {"", "-", "—", "n/a", "na", "no", "none", "nope", "nothing", "nothing.", "no.", "none.", "nein", "non",
              "nada", "não", "なし", "नहीं", "لا"}


def standup_members(session: Session, workspace_id: int, standup_id: int) -> list[Member] | None:
    """The participants of one of this workspace's standups (a channel's team), or None if it is not ours."""
    standup = standup_of(session, workspace_id, standup_id)
    return None if standup is None else participants(session, standup)


# --- standups ------------------------------------------------------------------------------------

def standups_of(session: Session, workspace_id: int) -> list[Standup]:
    return list(session.scalars(select(Standup).where(Standup.workspace_id == workspace_id).order_by(Standup.channel)))


def standup_of(session: Session, workspace_id: int, standup_id: int | None) -> Standup | None:
    if standup_id is None:
        return None
    return session.scalar(select(Standup).where(Standup.workspace_id == workspace_id, Standup.id == standup_id))


@dataclass(frozen=True)
class StandupFilter:
    start: date
    end: date
    member_id: int | None = None
    standup_id: int | None = None
    text: str = ""


@dataclass
class StandupEntry:
    day: date
    standup: Standup
    member: Member
    row: StandupAnswer
    questions: list[str]
    answers: list[str]

    @property
    def skipped(self) -> bool:
        return not self.row.answered and self.row.skipped


def standup_entries(session: Session, workspace_id: int, f: StandupFilter, tr: Translator,
                    limit: int = MAX_ROWS) -> tuple[list[StandupEntry], bool]:
    """Answers and skips in [start, end] matching the filter, newest day first; True when cut at `limit`."""
    query = (select(StandupAnswer, Standup, Member)
             .join(Standup, Standup.id == StandupAnswer.standup_id)
             .join(Member, Member.id == StandupAnswer.member_id)
             .where(StandupAnswer.workspace_id == workspace_id, Standup.workspace_id == workspace_id,
                    Member.workspace_id == workspace_id, StandupAnswer.day >= f.start, StandupAnswer.day <= f.end))
    if f.member_id is not None:
        query = query.where(StandupAnswer.member_id == f.member_id)
    if f.standup_id is not None:
        query = query.where(StandupAnswer.standup_id == f.standup_id)
    query = query.order_by(StandupAnswer.day.desc(), Standup.channel, Member.name, Member.user_id)
    needle = f.text.strip().casefold()
    found: list[StandupEntry] = []
    for row, standup, member in session.execute(query):
        questions = question_texts(tr, row.questions if row.answered else standup.questions)
        answers = list(row.answers or [])
        if needle and not any(needle in a.casefold() for a in answers) and needle not in member.display_name.casefold():
            continue
        if len(found) >= limit:
            return found, True
        found.append(StandupEntry(row.day, standup, member, row, questions, answers))
    return found, False


def is_blocker(text: str) -> bool:
    return text.strip().casefold().rstrip("!.") not in NO_BLOCKER and bool(text.strip())


@dataclass
class Blocker:
    day: date
    standup: Standup
    member: Member
    text: str


def open_blockers(session: Session, workspace_id: int, today: date, days: int = 7) -> list[Blocker]:
    """Each member's latest answer per standup in the last `days`, when its last question names an obstacle.

    The last question is "Is anything in your way?" by default; a later answer without one clears it."""
    rows = session.execute(
        select(StandupAnswer, Standup, Member)
        .join(Standup, Standup.id == StandupAnswer.standup_id).join(Member, Member.id == StandupAnswer.member_id)
        .where(StandupAnswer.workspace_id == workspace_id, Standup.workspace_id == workspace_id,
               StandupAnswer.day >= today - timedelta(days=days), StandupAnswer.day <= today,
               StandupAnswer.answers.is_not(None))
        .order_by(StandupAnswer.day.desc()))
    latest: dict[tuple[int, int], Blocker | None] = {}
    for row, standup, member in rows:
        key = (standup.id, member.id)
        if key in latest or not row.answers:
            continue
        asked = len(row.questions) if row.questions else 3
        last = row.answers[asked - 1] if len(row.answers) >= asked else ""
        latest[key] = Blocker(row.day, standup, member, last.strip()) if is_blocker(last) else None
    return sorted((b for b in latest.values() if b is not None), key=lambda b: (b.day, b.member.display_name),
                  reverse=True)


@dataclass
class WeekFigures:
    week: date                       # the Monday
    expected: int = 0                # working days someone was asked (not off, not skipped)
    answered: int = 0
    on_time: int = 0                 # answered before the day's summary was posted

    @property
    def participation(self) -> float | None:
        return self.answered / self.expected if self.expected else None

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.answered if self.answered else None


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def participation_by_week(session: Session, workspace_id: int, start: date, end: date, *,
                          standup_id: int | None = None, member_id: int | None = None) -> list[WeekFigures]:
    """Participation (answered / asked) and on-time rate (before the summary) per week, oldest first."""
    weeks: dict[date, WeekFigures] = {}
    day = _monday(start)
    while day <= end:
        weeks[day] = WeekFigures(day)
        day += timedelta(days=7)
    standups = [s for s in standups_of(session, workspace_id) if standup_id is None or s.id == standup_id]
    for standup in standups:
        members = participants(session, standup)
        if member_id is not None:
            everyone, members = members, [m for m in members if m.id == member_id]
        else:
            everyone = members
        if not members:
            continue
        rows = {(r.member_id, r.day): r for r in session.scalars(select(StandupAnswer).where(
            StandupAnswer.standup_id == standup.id, StandupAnswer.workspace_id == workspace_id,
            StandupAnswer.day >= start, StandupAnswer.day <= end))}
        first = max(start, local_date(standup.created_at, "UTC") - timedelta(days=1))
        for member in members:
            day = first
            while day <= end:
                row = rows.get((member.id, day))
                figures = weeks[_monday(day)]
                if row is not None and row.answered:
                    figures.expected += 1
                    figures.answered += 1
                    deadline = summary_at(standup, everyone, day)
                    submitted = row.submitted_at
                    if submitted is not None and (deadline is None or submitted <= deadline):
                        figures.on_time += 1
                elif (row is None or not row.skipped) and availability.day_off(member, day) is None and standup.active:
                    figures.expected += 1
                day += timedelta(days=1)
    return [weeks[w] for w in sorted(weeks)]
