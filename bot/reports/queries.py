"""Read-only report queries for the web dashboard and its API. Every function is scoped to one workspace.

They return plain data (dataclasses of members, dates and numbers); wording and formatting belong to
the caller, which knows the reader's language. Local dates and hours are computed through `bot.time`
and `bot.availability`, in the zone each function is given (the reader's) or each member's own.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Iterable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from bot import availability
from bot.availability import MemberStatus, State
from bot.fair_slots import attendance
from bot.holiday_commands import OffPeriod, off_periods
from bot.meetings import WEEKLY, Meeting, MeetingAttendee, next_start, occurrence_start, occurrences_after
from bot.models import Member
from bot.pairing import CoffeeConfig, CoffeeGroup, CoffeeParticipant, CoffeeRound, CoffeeSeat
from bot.pairing_plan import region_of
from bot.standup import Standup, StandupAnswer, participants, question_texts, summary_at
from bot.i18n import Translator
from bot.time import local_date, ritual_instant, utc_offset

MAX_ROWS = 2000                      # standup history rows shown (and exported) at once
NO_BLOCKER = {"", "-", "—", "n/a", "na", "no", "none", "nope", "nothing", "nothing.", "no.", "none.", "nein", "non",
              "nada", "não", "なし", "नहीं", "لا"}


# --- members and the team ------------------------------------------------------------------------

def members_of(session: Session, workspace_id: int) -> list[Member]:
    """Everyone in the workspace, time off loaded (availability reads it for every day)."""
    return list(session.scalars(select(Member).where(Member.workspace_id == workspace_id)
                                .options(selectinload(Member.away)).order_by(Member.name, Member.user_id)))


def member_in(session: Session, workspace_id: int, member_id: int | None) -> Member | None:
    """A member of this workspace by database id; None for another workspace's member."""
    if member_id is None:
        return None
    return session.scalar(select(Member).where(Member.workspace_id == workspace_id, Member.id == member_id))


def region_name(member: Member) -> str:
    return region_of(member.country, member.tz).name


def team_now(members: Sequence[Member], now: datetime, locale: str | None = None) -> list[MemberStatus]:
    """Each member's local time and state now, working first, then by their local clock."""
    statuses = [availability.status_at(m, now, locale) for m in members]
    return sorted(statuses, key=lambda s: (s.state is not State.WORKING, utc_offset(now, s.member.tz), s.member.display_name))


@dataclass
class HeatRow:
    zone: str
    members: list[Member]
    working: list[int]               # people of this zone working in each of the reader's 24 hours


@dataclass
class Heatmap:
    day: date                        # the reader's local date
    zone: str                        # the reader's zone: the columns are its hours
    hours: list[datetime]            # the UTC instant sampled for each column (the half hour)
    rows: list[HeatRow]
    total: list[int]                 # everyone working in each hour: the overlap
    size: int

    @property
    def best_hours(self) -> list[int]:
        top = max(self.total, default=0)
        return [h for h, n in enumerate(self.total) if top and n == top]


def heatmap(members: Sequence[Member], day: date, zone: str) -> Heatmap:
    """Who works in each hour of `day` in `zone`, by zone: weekends, holidays and time off included."""
    hours = [ritual_instant(day, time(h, 30), zone) for h in range(24)]
    by_zone: dict[str, list[Member]] = defaultdict(list)
    for member in members:
        by_zone[member.tz].append(member)
    rows = []
    for tz, people in by_zone.items():
        working = [sum(1 for m in people if availability.status_at(m, at).working) for at in hours]
        rows.append(HeatRow(tz, people, working))
    rows.sort(key=lambda r: (ritual_instant(day, time(12), r.zone), r.zone))
    total = [sum(r.working[h] for r in rows) for h in range(24)]
    return Heatmap(day, zone, hours, rows, total, len(members))


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


# --- coffee ----------------------------------------------------------------------------------------

@dataclass
class RoundFigures:
    round: CoffeeRound
    groups: int = 0
    answered: int = 0
    met: int = 0
    cross_region: int = 0
    paired: int = 0
    left_out: int = 0
    unavailable: int = 0


def coffee_config(session: Session, workspace_id: int) -> CoffeeConfig | None:
    return session.scalar(select(CoffeeConfig).where(CoffeeConfig.workspace_id == workspace_id))


def coffee_rounds(session: Session, workspace_id: int, limit: int = 26) -> list[RoundFigures]:
    """The latest rounds, newest first, with how many groups met and crossed regions."""
    rounds = list(session.scalars(select(CoffeeRound).where(CoffeeRound.workspace_id == workspace_id)
                                  .order_by(CoffeeRound.round_date.desc()).limit(limit)))
    out = {r.id: RoundFigures(r) for r in rounds}
    if not out:
        return []
    for group in session.scalars(select(CoffeeGroup).where(CoffeeGroup.workspace_id == workspace_id,
                                                           CoffeeGroup.round_id.in_(out))):
        figures = out[group.round_id]
        figures.groups += 1
        figures.answered += group.met is not None
        figures.met += group.met is True
        figures.cross_region += bool(group.cross_region)
    for seat in session.scalars(select(CoffeeSeat).where(CoffeeSeat.workspace_id == workspace_id,
                                                         CoffeeSeat.round_id.in_(out))):
        figures = out[seat.round_id]
        if seat.group_id is not None:
            figures.paired += 1
        elif seat.outcome == "unavailable":
            figures.unavailable += 1
        else:
            figures.left_out += 1
    return [out[r.id] for r in rounds]


def coffee_round(session: Session, workspace_id: int, round_id: int | None) -> CoffeeRound | None:
    if round_id is None:
        return None
    return session.scalar(select(CoffeeRound).where(CoffeeRound.workspace_id == workspace_id, CoffeeRound.id == round_id))


@dataclass
class GroupView:
    group: CoffeeGroup
    members: list[Member]
    missing: int                     # seats of people who have since used /forget-me


@dataclass
class SeatView:
    member: Member
    seat: CoffeeSeat


def round_detail(session: Session, workspace_id: int, coffee_round: CoffeeRound) -> tuple[list[GroupView], list[SeatView]]:
    """The groups of a round, and who was not in one (left out or unavailable, with the reason)."""
    groups = {g.id: GroupView(g, [], 0) for g in session.scalars(
        select(CoffeeGroup).where(CoffeeGroup.workspace_id == workspace_id, CoffeeGroup.round_id == coffee_round.id)
        .order_by(CoffeeGroup.id))}
    outside: list[SeatView] = []
    rows = session.execute(select(CoffeeSeat, Member).outerjoin(Member, Member.id == CoffeeSeat.member_id)
                           .where(CoffeeSeat.workspace_id == workspace_id, CoffeeSeat.round_id == coffee_round.id)
                           .order_by(Member.name))
    for seat, member in rows:
        if seat.group_id is not None and seat.group_id in groups:
            if member is None:
                groups[seat.group_id].missing += 1
            else:
                groups[seat.group_id].members.append(member)
        elif member is not None:
            outside.append(SeatView(member, seat))
    return list(groups.values()), outside


@dataclass
class RegionMatrix:
    regions: list[str]
    counts: dict[tuple[str, str], int] = field(default_factory=dict)   # symmetric; (a, a) = within a region

    def count(self, a: str, b: str) -> int:
        return self.counts.get((a, b), 0)

    @property
    def cross(self) -> int:
        return sum(n for (a, b), n in self.counts.items() if a < b)

    @property
    def within(self) -> int:
        return sum(n for (a, b), n in self.counts.items() if a == b)


def pair_matrix(session: Session, workspace_id: int, since: date | None = None) -> RegionMatrix:
    """How often people of each region were paired with people of each other region (pairs within groups)."""
    query = (select(CoffeeSeat.group_id, Member).join(Member, Member.id == CoffeeSeat.member_id)
             .join(CoffeeRound, CoffeeRound.id == CoffeeSeat.round_id)
             .where(CoffeeSeat.workspace_id == workspace_id, CoffeeSeat.group_id.is_not(None)))
    if since is not None:
        query = query.where(CoffeeRound.round_date >= since)
    groups: dict[int, list[Member]] = defaultdict(list)
    for group_id, member in session.execute(query):
        groups[group_id].append(member)
    counts: Counter[tuple[str, str]] = Counter()
    for people in groups.values():
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                ra, rb = sorted((region_name(a), region_name(b)))
                counts[(ra, rb)] += 1
                if ra != rb:
                    counts[(rb, ra)] += 1
    regions = sorted({r for pair in counts for r in pair})
    return RegionMatrix(regions, dict(counts))


@dataclass
class Unpaired:
    member: Member
    reason: str                      # left_out reason, unavailable reason, "not_taking_part" or "no_rounds"
    seat: CoffeeSeat | None
    last_paired: date | None


def not_paired(session: Session, workspace_id: int, coffee_round: CoffeeRound | None, day: date) -> list[Unpaired]:
    """Everyone who was not in a group in `coffee_round` (the latest by default), and why."""
    members = members_of(session, workspace_id)
    last_paired: dict[int, date] = {}
    for member_id, round_date in session.execute(
            select(CoffeeSeat.member_id, CoffeeRound.round_date).join(CoffeeRound, CoffeeRound.id == CoffeeSeat.round_id)
            .where(CoffeeSeat.workspace_id == workspace_id, CoffeeSeat.group_id.is_not(None))):
        if member_id is not None and (member_id not in last_paired or round_date > last_paired[member_id]):
            last_paired[member_id] = round_date
    seats = {}
    if coffee_round is not None:
        seats = {s.member_id: s for s in session.scalars(select(CoffeeSeat).where(
            CoffeeSeat.workspace_id == workspace_id, CoffeeSeat.round_id == coffee_round.id))}
    rows = {r.member_id: r for r in session.scalars(select(CoffeeParticipant).where(
        CoffeeParticipant.workspace_id == workspace_id))}
    config = coffee_config(session, workspace_id)
    out = []
    for member in members:
        seat = seats.get(member.id)
        if seat is not None and seat.group_id is not None:
            continue
        if seat is not None:
            reason = seat.reason or seat.outcome
        else:
            row = rows.get(member.id)
            taking_part = (row.active and (row.paused_until is None or row.paused_until <= day)) if row is not None \
                else bool(config is not None and config.everyone)
            reason = "paused" if row is not None and row.active and not taking_part else \
                "no_rounds" if taking_part else "not_taking_part"
        out.append(Unpaired(member, reason, seat, last_paired.get(member.id)))
    return out


# --- meetings --------------------------------------------------------------------------------------

def meetings_in(session: Session, workspace_id: int) -> list[Meeting]:
    return list(session.scalars(select(Meeting).where(Meeting.workspace_id == workspace_id)
                                .options(selectinload(Meeting.attendees).selectinload(MeetingAttendee.member))
                                .order_by(Meeting.start_at, Meeting.id)))


def upcoming_meetings(meetings: Iterable[Meeting], now: datetime, days: int = 14) -> list[tuple[Meeting, datetime]]:
    """Every occurrence that starts in the next `days`, in order."""
    until = now + timedelta(days=days)
    found = []
    for meeting in meetings:
        for start in occurrences_after(meeting, now - meeting.duration):
            if start > until:
                break
            if start + meeting.duration > now:
                found.append((meeting, start))
    return sorted(found, key=lambda pair: (pair[1], pair[0].id))


@dataclass
class Occurrence:
    start: datetime
    minutes: dict[str, int]          # region -> minutes outside working hours, summed over its attendees
    off: dict[str, int]              # region -> attendees on a weekend, holiday or time off
    upcoming: bool


@dataclass
class SeriesFairness:
    meeting: Meeting
    regions: list[str]
    occurrences: list[Occurrence]

    def total(self, region: str) -> int:
        return sum(o.minutes.get(region, 0) for o in self.occurrences if not o.upcoming)

    def total_off(self, region: str) -> int:
        return sum(o.off.get(region, 0) for o in self.occurrences if not o.upcoming)

    @property
    def people(self) -> dict[str, int]:
        counts: Counter[str] = Counter(region_name(m) for m in self.meeting.members)
        return dict(counts)


def series_fairness(meeting: Meeting, now: datetime, past: int = 12, ahead: int = 4) -> SeriesFairness:
    """For a weekly series: the minutes outside working hours each region carried, occurrence by occurrence.

    The last `past` occurrences that have started, and the next `ahead` (marked upcoming)."""
    members = meeting.members
    regions = sorted({region_name(m) for m in members})
    following = next_start(meeting, now)
    starts: list[datetime] = []
    if meeting.repeat == WEEKLY:
        index = 0
        while True:
            start = occurrence_start(meeting, index)
            if start > now:
                break
            starts.append(start)
            index += 1
        starts = starts[-past:]
        if following is not None:
            for i in range(ahead):
                start = occurrence_start(meeting, index + i)
                starts.append(start)
    else:
        starts = [meeting.start_at]
    occurrences = []
    for start in starts:
        minutes: Counter[str] = Counter()
        off: Counter[str] = Counter()
        for member in members:
            seat = attendance(member, start, start + meeting.duration)
            region = region_name(member)
            minutes[region] += seat.minutes_outside
            off[region] += seat.off
        occurrences.append(Occurrence(start, dict(minutes), dict(off), start > now))
    return SeriesFairness(meeting, regions, occurrences)


# --- holidays and time off ---------------------------------------------------------------------------

def time_off(members: Sequence[Member], first: date, days: int, locale: str | None) -> list[OffPeriod]:
    """Public holidays and time off of every member from `first` for `days` days (members' own calendars)."""
    return off_periods(members, first, first + timedelta(days=days - 1), locale)
