"""Cross-region coffee pairing: /coffee, the rounds, the intros and the "did you meet?" follow-up.

A round happens on the configured weekday (weekly, fortnightly or monthly). It starts when that
date begins in the earliest zone among participants; `run_round` then

1. takes every opted-in, unpaused participant; those away or on a public holiday on the round day
   (or with no working day left in the round's week) are recorded as unavailable and not paired;
2. plans the groups with `bot.coffee.plan_round` (hard: at least `min_overlap` of shared
   working time in the round's week, computed from each member's real windows through
   `bot.availability`, so holidays, weekends and DST are included; blocks both ways. Weighted:
   fresh partners, fairness for last round's odd ones out, cross-region contact);
3. stores the round, its groups and everyone's seat, and enqueues (bot.due) one intro per group,
   one follow-up per group half-way through the round, and a note to each person left out.

Intro timing: a group DM is one message, so it cannot arrive in everyone's morning when the group
spans the globe. It is sent at 09:00 on the round day in one member's zone: the member whose
morning falls best inside the others' working hours (those others are then at work, and nobody is
woken at night when that can be avoided; ties go to the earliest). It shows each member's local
time. A member left out gets a DM at 09:00 their own time saying why. The follow-up uses the same
rule half-way through the round (weekly: three days later).

The seed: each workspace's coffee settings hold a seed drawn once when they are created (from
Python's `random`, which `meridian simulate --seed` seeds); a round's seed is derived from it and
the round's date, so the same data replays to the same groups.
"""
from __future__ import annotations

import random
import zlib
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Any, Iterable, Sequence

from babel import Locale
from sqlalchemy import Boolean, Date, Float, ForeignKey, Integer, String, UniqueConstraint, case, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from bot import availability, culture, due
from bot.time import TimeError, country_of_zone, day_bounds, minutes_outside, next_weekday_on_or_after, parse_date, parse_duration, parse_weekday, ritual_instant, to_local, to_utc
from bot.availability import State
from bot.i18n import N_, Translator
from bot.models import Base, Member, Workspace, row_timestamp
from bot.coffee.plan import REASON_NO_PARTNER, REASON_ODD, Candidate, pair_key, plan_round
from bot.coffee.regions import region_of
from bot.coffee.windows import Window, shared_windows
from bot.reply import Button, Outbound, Reply
from bot.router import Args, Context, UserError, action, command, row_id
from bot.teamfile import Checker, Section as TeamFileSection, register_section
from bot.text import channel_name, one_line

__all__ = ["plan_round", "run_round", "CoffeeConfig", "CoffeeRound", "CoffeeGroup", "CoffeeSeat"]

_EPOCH_MONDAY = date(1970, 1, 5)
ROUND_KIND = "coffee_round"
INTRO_KIND = "coffee_intro"
FOLLOWUP_KIND = "coffee_followup"
ROUND_RECIPIENT = "coffee"
CADENCES = ("weekly", "fortnightly", "monthly")
CADENCE_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 28}
ROUND_WEEK_DAYS = 7                 # shared hours are counted over the round day and the six after it
MORNING = time(9, 0)
SLOT = timedelta(minutes=30)
MAX_OVERLAP_HOURS = 20
UNAVAILABLE_AWAY = "away"
UNAVAILABLE_HOLIDAY = "holiday"
REASON_ALONE = "alone"

CONVERSATION_STARTERS = (
    N_("What does a typical morning look like where you are?"),
    N_("What is a local dish everyone visiting you should try?"),
    N_("What is something about your city that surprised you when you arrived (or that surprises visitors)?"),
    N_("Which public holiday do you look forward to most, and how do you spend it?"),
    N_("What are you working on this month that you are excited about?"),
    N_("What is the best thing you have read, watched or listened to lately?"),
    N_("What does the view from your desk look like right now?"),
    N_("If you could swap jobs with someone on the team for a day, whose would it be and why?"),
)


# --- tables ----------------------------------------------------------------------------------------

class CoffeeConfig(Base):
    """A workspace's coffee settings. No row: coffee rounds are not set up."""

    __tablename__ = "coffee_config"
    __table_args__ = (UniqueConstraint("workspace_id", name="uq_coffee_config_workspace"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    channel: Mapped[str | None] = mapped_column(String(128))
    day: Mapped[int] = mapped_column(Integer, default=0)                  # 0 = Monday
    cadence: Mapped[str] = mapped_column(String(16), default="weekly")
    min_overlap_minutes: Mapped[int] = mapped_column(Integer, default=60)
    group_size: Mapped[int] = mapped_column(Integer, default=2)
    everyone: Mapped[bool] = mapped_column(Boolean, default=True)         # every member takes part unless they leave
    seed: Mapped[int] = mapped_column(Integer, default=0)
    anchor: Mapped[date | None] = mapped_column(Date)                     # fortnightly rounds count weeks from here
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)


class CoffeeParticipant(Base):
    """A member's own choice (join, leave, pause), or the team file's list when it names participants."""

    __tablename__ = "coffee_participants"
    __table_args__ = (UniqueConstraint("workspace_id", "member_id", name="uq_coffee_participant"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    paused_until: Mapped[date | None] = mapped_column(Date)               # rounds before this date are skipped
    source: Mapped[str] = mapped_column(String(16), default="member")     # member | file
    updated_at: Mapped[datetime] = mapped_column(default=row_timestamp)


class CoffeeBlock(Base):
    """'Never pair me with': private to the member who set it, enforced both ways."""

    __tablename__ = "coffee_blocks"
    __table_args__ = (UniqueConstraint("member_id", "blocked_id", name="uq_coffee_block"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    blocked_id: Mapped[int] = mapped_column(ForeignKey("members.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)


class CoffeeRound(Base):
    __tablename__ = "coffee_rounds"
    __table_args__ = (UniqueConstraint("workspace_id", "round_date", name="uq_coffee_round"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    round_date: Mapped[date] = mapped_column(Date)
    number: Mapped[int] = mapped_column(Integer)                        # 1, 2, … within the workspace
    seed: Mapped[int] = mapped_column(Integer)
    min_overlap_minutes: Mapped[int] = mapped_column(Integer)
    candidates: Mapped[int] = mapped_column(Integer, default=0)
    total_weight: Mapped[float] = mapped_column(Float, default=0.0)
    created_at: Mapped[datetime] = mapped_column(default=row_timestamp)


class CoffeeGroup(Base):
    __tablename__ = "coffee_groups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("coffee_rounds.id", ondelete="CASCADE"), index=True)
    size: Mapped[int] = mapped_column(Integer)
    shared_minutes: Mapped[int] = mapped_column(Integer)
    cross_region: Mapped[bool] = mapped_column(Boolean)
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    met: Mapped[bool | None] = mapped_column(Boolean)                   # None: nobody answered yet
    answered_by: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column()


class CoffeeSeat(Base):
    """Where one participant ended up in one round: a group, left out (with why), or unavailable.

    A member who used /forget-me leaves their seats behind with no member (NULL, migration
    0601_privacy): the group still counts in everyone's history and stats, anonymously."""

    __tablename__ = "coffee_seats"
    __table_args__ = (UniqueConstraint("round_id", "member_id", name="uq_coffee_seat"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("coffee_rounds.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id", ondelete="SET NULL"), index=True)
    group_id: Mapped[int | None] = mapped_column(ForeignKey("coffee_groups.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(16))                    # paired | trio | left_out | unavailable
    reason: Mapped[str | None] = mapped_column(String(32))


# --- settings and participation ---------------------------------------------------------------------

def get_config(session: Session, workspace: Workspace) -> CoffeeConfig | None:
    return session.scalar(select(CoffeeConfig).where(CoffeeConfig.workspace_id == workspace.id))


def ensure_config(session: Session, workspace: Workspace, today: date | None = None) -> CoffeeConfig:
    """The workspace's coffee settings, created with the defaults (and a fresh seed) when missing."""
    config = get_config(session, workspace)
    if config is None:
        config = CoffeeConfig(workspace_id=workspace.id, enabled=True, day=0, cadence="weekly",
                              min_overlap_minutes=60, group_size=2, everyone=True,
                              seed=random.getrandbits(31), anchor=today, channel=None)
        session.add(config)
        session.flush()
    return config


def _participant_row(session: Session, member: Member) -> CoffeeParticipant | None:
    return session.scalar(select(CoffeeParticipant).where(CoffeeParticipant.workspace_id == member.workspace_id,
                                                          CoffeeParticipant.member_id == member.id))


def _ensure_row(session: Session, member: Member) -> CoffeeParticipant:
    row = _participant_row(session, member)
    if row is None:
        row = CoffeeParticipant(workspace_id=member.workspace_id, member_id=member.id, active=True, source="member")
        session.add(row)
    return row


def participants(session: Session, workspace: Workspace, config: CoffeeConfig, day: date) -> list[Member]:
    """Members taking part in a round on `day`: opted in (or everyone by default) and not paused."""
    rows = {r.member_id: r for r in session.scalars(select(CoffeeParticipant).where(
        CoffeeParticipant.workspace_id == workspace.id))}
    chosen = []
    for member in session.scalars(select(Member).where(Member.workspace_id == workspace.id).order_by(Member.id)):
        row = rows.get(member.id)
        if row is None:
            if config.everyone:
                chosen.append(member)
            continue
        if row.active and (row.paused_until is None or row.paused_until <= day):
            chosen.append(member)
    return chosen


# --- when rounds happen ----------------------------------------------------------------------------

def is_round_date(config: CoffeeConfig, day: date) -> bool:
    if day.weekday() != config.day:
        return False
    if config.cadence == "fortnightly":
        anchor = config.anchor or _EPOCH_MONDAY   # no anchor (team file): even weeks since 1970
        weeks = ((day - timedelta(days=day.weekday())) - (anchor - timedelta(days=anchor.weekday()))).days // 7
        return weeks % 2 == 0
    if config.cadence == "monthly":
        return day.day <= 7
    return True


def round_dates(config: CoffeeConfig, start: date) -> Iterable[date]:
    """Round dates on or after `start`, in order (at most ~10 years ahead)."""
    day = next_weekday_on_or_after(start, config.day)
    for _ in range(520):
        if is_round_date(config, day):
            yield day
        day += timedelta(days=7)


def round_start(members: Sequence[Member], day: date) -> datetime:
    """The instant `day` begins for the first of the participants (UTC midnight when nobody takes part)."""
    zones = {m.tz for m in members} or {"UTC"}
    return min(day_bounds(day, z)[0] for z in zones)


def next_round(session: Session, workspace: Workspace, after: datetime) -> tuple[date, datetime] | None:
    """The next round (its date and start instant) strictly after `after`."""
    config = get_config(session, workspace)
    if config is None or not config.enabled:
        return None
    first = to_utc(after).date() - timedelta(days=1)
    for day in round_dates(config, first):
        members = participants(session, workspace, config, day)
        start = round_start(members, day)
        if start > after:
            return day, start
    return None


def morning(member: Member, day: date) -> datetime:
    return to_utc(ritual_instant(day, MORNING, member.tz))


def _intrusion(member: Member, instant: datetime) -> int:
    """How unwelcome a message at `instant` is for `member`: 0 at work, else minutes outside their hours,
    plus half a day when it is their weekend, holiday or time off."""
    status = availability.status_at(member, instant)
    if status.working:
        return 0
    outside = minutes_outside(status.local, member.hours_start, member.hours_end)
    return outside + (720 if status.day_off is not None else 0)


def group_morning(members: Sequence[Member], day: date) -> datetime:
    """09:00 on `day` for the member whose morning intrudes least on the others (earliest on ties)."""
    options = [morning(m, day) for m in members]
    return min(options, key=lambda at: (sum(_intrusion(m, at) for m in members), at))


def round_seed(base: int, day: date) -> int:
    return zlib.crc32(f"{base}:{day.isoformat()}".encode()) & 0x7FFFFFFF


# --- running a round -------------------------------------------------------------------------------

def unavailable_reason(member: Member, day: date) -> str | None:
    """Away or on a public holiday on the round day: not paired this round."""
    off = availability.day_off(member, day)
    if off is not None and off.state is State.AWAY:
        return UNAVAILABLE_AWAY
    if off is not None and off.state is State.HOLIDAY:
        return UNAVAILABLE_HOLIDAY
    return None


def round_windows(member: Member, day: date) -> tuple[Window, ...]:
    return tuple(availability.working_windows(member, day, day + timedelta(days=ROUND_WEEK_DAYS - 1)))


def member_candidate(member: Member, day: date, priority: bool = False) -> Candidate:
    region = region_of(member.country, member.tz)
    return Candidate(str(member.id), region.name, region.continent, member.country or country_of_zone(member.tz),
                     round_windows(member, day), priority)


def history_of(session: Session, workspace: Workspace) -> dict[frozenset[str], int]:
    """Every pair that met (in a pair or a trio), with the number of the last round they met in."""
    rows = session.execute(
        select(CoffeeSeat.group_id, CoffeeSeat.member_id, CoffeeRound.number)
        .join(CoffeeRound, CoffeeRound.id == CoffeeSeat.round_id)
        .where(CoffeeSeat.workspace_id == workspace.id, CoffeeSeat.group_id.is_not(None),
               CoffeeSeat.member_id.is_not(None)))
    groups: dict[int, list[str]] = defaultdict(list)
    numbers: dict[int, int] = {}
    for group_id, member_id, number in rows:
        groups[group_id].append(str(member_id))
        numbers[group_id] = number
    out: dict[frozenset[str], int] = {}
    for group_id, members in groups.items():
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                key = pair_key(a, b)
                out[key] = max(out.get(key, 0), numbers[group_id])
    return out


def blocks_of(session: Session, workspace: Workspace) -> list[tuple[str, str]]:
    return [(str(a), str(b)) for a, b in session.execute(
        select(CoffeeBlock.member_id, CoffeeBlock.blocked_id).where(CoffeeBlock.workspace_id == workspace.id))]


def _last_round(session: Session, workspace: Workspace, before: date) -> CoffeeRound | None:
    return session.scalar(select(CoffeeRound).where(CoffeeRound.workspace_id == workspace.id,
                                                    CoffeeRound.round_date < before)
                          .order_by(CoffeeRound.round_date.desc()).limit(1))


def _priority(session: Session, last: CoffeeRound | None, group_size: int) -> set[int]:
    """Who sat out, or was put in a trio, last round (trios count only when groups are meant to be pairs)."""
    if last is None:
        return set()
    wanted = ["left_out"] + (["trio"] if group_size == 2 else [])
    return set(session.scalars(select(CoffeeSeat.member_id).where(CoffeeSeat.round_id == last.id,
                                                                  CoffeeSeat.outcome.in_(wanted))))


def get_round(session: Session, workspace: Workspace, day: date) -> CoffeeRound | None:
    return session.scalar(select(CoffeeRound).where(CoffeeRound.workspace_id == workspace.id,
                                                    CoffeeRound.round_date == day))


def run_round(session: Session, workspace: Workspace, day: date, now: datetime, *,
              seed: int | None = None) -> CoffeeRound:
    """Plan and store the round of `day` and enqueue its messages. Idempotent: a second call returns the first round."""
    existing = get_round(session, workspace, day)
    if existing is not None:
        return existing
    config = get_config(session, workspace) or ensure_config(session, workspace, day)
    members = participants(session, workspace, config, day)
    last = _last_round(session, workspace, day)
    number = (last.number + 1) if last is not None else 1
    priority = _priority(session, last, config.group_size)
    unavailable: dict[int, str] = {}
    candidates = []
    for member in members:
        reason = unavailable_reason(member, day)
        candidate = member_candidate(member, day, member.id in priority) if reason is None else None
        if candidate is not None and not candidate.windows:
            reason = UNAVAILABLE_AWAY   # time off, holidays and weekends cover the whole round week
        if reason is not None:
            unavailable[member.id] = reason
            continue
        candidates.append(candidate)
    seed = round_seed(config.seed, day) if seed is None else seed
    min_overlap = timedelta(minutes=config.min_overlap_minutes)
    plan = plan_round(candidates, round_index=number, history=history_of(session, workspace),
                      blocks=blocks_of(session, workspace), min_overlap=min_overlap, seed=seed,
                      group_size=config.group_size)
    coffee_round = CoffeeRound(workspace_id=workspace.id, round_date=day, number=number, seed=seed,
                               min_overlap_minutes=config.min_overlap_minutes, candidates=len(candidates),
                               total_weight=plan.weight)
    session.add(coffee_round)
    session.flush()
    by_id = {m.id: m for m in members}
    for planned in plan.groups:
        group = CoffeeGroup(workspace_id=workspace.id, round_id=coffee_round.id, size=len(planned.members),
                            shared_minutes=int(planned.shared.total_seconds() // 60),
                            cross_region=planned.cross_region, repeat=planned.repeat)
        session.add(group)
        session.flush()
        outcome = "trio" if len(planned.members) == 3 and config.group_size == 2 else "paired"
        for member_id in planned.members:
            session.add(CoffeeSeat(workspace_id=workspace.id, round_id=coffee_round.id, member_id=int(member_id),
                                   group_id=group.id, outcome=outcome))
        _schedule_group(session, workspace, config, coffee_round, group,
                        [by_id[int(i)] for i in planned.members], now)
    left_out = dict(plan.left_out)
    if len(candidates) == 1:
        left_out = {k: REASON_ALONE for k in left_out}
    for member_id, reason in left_out.items():
        member = by_id[int(member_id)]
        session.add(CoffeeSeat(workspace_id=workspace.id, round_id=coffee_round.id, member_id=member.id,
                               outcome="left_out", reason=reason))
        due.enqueue(session, workspace.id, INTRO_KIND, f"left:{member.user_id}:{day.isoformat()}", day.isoformat(),
                    max(morning(member, day), now), {"round": coffee_round.id, "member": member.id, "reason": reason})
    for member_id, reason in unavailable.items():
        session.add(CoffeeSeat(workspace_id=workspace.id, round_id=coffee_round.id, member_id=member_id,
                               outcome="unavailable", reason=reason))
    session.flush()
    return coffee_round


def _schedule_group(session: Session, workspace: Workspace, config: CoffeeConfig, coffee_round: CoffeeRound,
                    group: CoffeeGroup, members: list[Member], now: datetime) -> None:
    """The intro at the group's first local morning of the round day; the follow-up half-way through the round."""
    day = coffee_round.round_date
    intro_at = max(group_morning(members, day), now)
    recipient = f"group:{group.id}"
    due.enqueue(session, workspace.id, INTRO_KIND, recipient, day.isoformat(), intro_at,
                {"round": coffee_round.id, "group": group.id})
    halfway = day + timedelta(days=CADENCE_DAYS.get(config.cadence, 7) // 2)
    followup_at = max(group_morning(members, halfway), intro_at + timedelta(hours=1))
    due.enqueue(session, workspace.id, FOLLOWUP_KIND, recipient, halfway.isoformat(), followup_at,
                {"round": coffee_round.id, "group": group.id})


# --- reading rounds back ---------------------------------------------------------------------------

def group_members(session: Session, group: CoffeeGroup) -> list[Member]:
    return list(session.scalars(select(Member).join(CoffeeSeat, CoffeeSeat.member_id == Member.id)
                                .where(CoffeeSeat.group_id == group.id).order_by(Member.name, Member.user_id)))


def group_translator(members: Sequence[Member], workspace: Workspace) -> Translator:
    """A group DM is one message: in the members' language when they share one, else the workspace's."""
    locales = {m.locale or workspace.locale for m in members}
    return Translator(locales.pop() if len(locales) == 1 else workspace.locale)


def format_minutes(tr: Translator, minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    parts = []
    if hours:
        parts.append(tr.n_("{n} hour", "{n} hours", hours))
    if rest or not hours:
        parts.append(tr.n_("{n} minute", "{n} minutes", rest))
    return tr.list(parts)


def region_label(tr: Translator, region: str) -> str:
    """A UN M49 region name in the reader's language, through CLDR's territory codes."""
    code = _region_codes().get(region)
    return tr.locale.territories.get(code, region) if code else region


_REGION_ALIASES = {  # countryinfo spells four M49 groups differently from CLDR's English names
    "Latin America and the Caribbean": "419", "Australia and New Zealand": "053",
    "South-eastern Asia": "035", "Micronesia": "057",
}


def _region_codes() -> dict[str, str]:
    english = {name: code for code, name in Locale.parse("en").territories.items() if code.isdigit()}
    return {**english, **_REGION_ALIASES}


def suggest_slots(windows: Sequence[Window], not_before: datetime, count: int = 3) -> list[datetime]:
    """Up to `count` half-hour slots on different days inside the shared windows, from `not_before` on;
    each in the middle of that day's shared time, on a whole or half hour (UTC)."""
    slots: list[datetime] = []
    used_days: set[date] = set()
    for start, end in sorted(windows):
        start = max(start, not_before)
        if end - start < SLOT:
            continue
        middle = start + (end - start - SLOT) / 2
        slot = middle.replace(minute=(middle.minute // 30) * 30, second=0, microsecond=0)
        if slot < start:
            slot += SLOT
        if slot + SLOT > end or slot.date() in used_days:
            continue
        used_days.add(slot.date())
        slots.append(slot)
        if len(slots) == count:
            break
    return slots


def _member_lines(tr: Translator, member: Member, now: datetime) -> list[str]:
    """Who they are and where and when they are (bot.culture's short form), plus their working hours."""
    return [*culture.short_intro(tr, member, now),
            tr._("Working hours: {start}–{end}, {zone}", start=tr.time(member.hours_start), end=tr.time(member.hours_end),
                 zone=tr.zone_name(member.tz))]


def _slot_line(tr: Translator, slot: datetime, members: Sequence[Member]) -> str:
    times = [tr._("{time} {day} for {name}", time=tr.time(to_local(slot, m.tz)),
                  day=tr.weekday_date(to_local(slot, m.tz)), name=one_line(m.display_name, 40))
             for m in members]
    return " · ".join(times)


def build_intro(session: Session, workspace: Workspace, payload: dict[str, Any], now: datetime) -> list[Outbound] | str:
    """The intro group DM (or, for someone left out, the DM saying why). A string means: skip, and why."""
    if "member" in payload:
        return _build_left_out(session, workspace, payload, now)
    group = session.get(CoffeeGroup, int(payload.get("group", 0)))
    if group is None or group.workspace_id != workspace.id:
        return "the group no longer exists"
    coffee_round = session.get(CoffeeRound, group.round_id)
    assert coffee_round is not None
    members = group_members(session, group)
    if len(members) < 2:
        return "fewer than two members are left in the group"
    tr = group_translator(members, workspace)
    day = coffee_round.round_date
    windows = [round_windows(m, day) for m in members]
    common = shared_windows(*windows)
    shared = sum(((e - s) for s, e in common), timedelta(0))
    names = tr.list([one_line(m.display_name, 80) for m in members])
    reply = Reply(title=tr._("☕ Coffee this week: {names}", names=names), ephemeral=False)
    if len(members) == 3:
        reply.text = tr._("You three are this round's coffee group, from {places}. Find half an hour this week to talk about anything but work.",
                          places=tr.list(sorted({tr.country_name(m.country or country_of_zone(m.tz)) for m in members})))
    else:
        reply.text = tr._("You two are paired for this round's coffee, from {places}. Find half an hour this week to talk about anything but work.",
                          places=tr.list(sorted({tr.country_name(m.country or country_of_zone(m.tz)) for m in members})))
    reply.add(tr._("Who is where"), [line for m in members for line in _member_lines(tr, m, now)])
    reply.add(tr._("Shared working hours"),
              [tr._("You share {time} of working hours between {start} and {end}.", time=format_minutes(tr, int(shared.total_seconds() // 60)),
                    start=tr.weekday_date(day), end=tr.weekday_date(day + timedelta(days=ROUND_WEEK_DAYS - 1)))])
    slots = suggest_slots(common, now + timedelta(hours=1))
    if slots:
        reply.add(tr._("Suggested times (30 minutes, inside everyone's working hours)"),
                  [_slot_line(tr, slot, members) for slot in slots])
    starter = CONVERSATION_STARTERS[(coffee_round.seed + group.id) % len(CONVERSATION_STARTERS)]
    reply.add(tr._("A conversation starter"), [tr._(starter)])
    return [Outbound(INTRO_KIND, workspace.id, [m.user_id for m in members], reply)]


def left_out_text(tr: Translator, reason: str, min_overlap_minutes: int) -> str:
    if reason == REASON_ALONE:
        return tr._("You were the only one available for this coffee round, so there was nobody to pair you with. You will be first in line next round.")
    if reason == REASON_NO_PARTNER:
        return tr._("Nobody available this round shares at least {time} of working hours with you this week (or those who do are on your block list), so I could not pair you. You will be first in line next round.",
                    time=format_minutes(tr, min_overlap_minutes))
    return tr._("This round had an odd number of people and no group could take a third person who shares your working hours, so you sit this one out. You will be first in line next round.")


def _build_left_out(session: Session, workspace: Workspace, payload: dict[str, Any], now: datetime) -> list[Outbound] | str:
    member = session.get(Member, int(payload["member"]))
    coffee_round = session.get(CoffeeRound, int(payload.get("round", 0)))
    if member is None or coffee_round is None or member.workspace_id != workspace.id:
        return "the member or the round no longer exists"
    tr = Translator(member.locale or workspace.locale)
    reply = Reply(title=tr._("No coffee partner this round"), ephemeral=False,
                  text=left_out_text(tr, str(payload.get("reason")), coffee_round.min_overlap_minutes))
    return [Outbound(INTRO_KIND, workspace.id, member.user_id, reply)]


def build_followup(session: Session, workspace: Workspace, payload: dict[str, Any], now: datetime) -> list[Outbound] | str:
    group = session.get(CoffeeGroup, int(payload.get("group", 0)))
    if group is None or group.workspace_id != workspace.id:
        return "the group no longer exists"
    if group.met is True:
        return "the group already said they met"
    members = group_members(session, group)
    if len(members) < 2:
        return "fewer than two members are left in the group"
    tr = group_translator(members, workspace)
    reply = Reply(text=tr._("Half-way through this coffee round: did you meet?"), ephemeral=False,
                  buttons=[Button(tr._("Yes, we met"), "coffee.met", str(group.id), "primary"),
                           Button(tr._("Not yet"), "coffee.not_met", str(group.id))])
    return [Outbound(FOLLOWUP_KIND, workspace.id, [m.user_id for m in members], reply)]


def build_round_announcement(session: Session, workspace: Workspace, coffee_round: CoffeeRound) -> list[Outbound]:
    """A short post in the coffee channel: how many groups, how many across regions. Nothing without a channel."""
    config = get_config(session, workspace)
    if config is None or not config.channel:
        return []
    groups = list(session.scalars(select(CoffeeGroup).where(CoffeeGroup.round_id == coffee_round.id)))
    tr = Translator(workspace.locale)
    if not groups:
        text = tr._("No coffee groups this round: not enough people were available.")
    else:
        text = tr.n_("Coffee round {number}: {n} group is meeting this week; {cross} of them span regions. Intros arrive in your morning.",
                     "Coffee round {number}: {n} groups are meeting this week; {cross} of them span regions. Intros arrive in your morning.",
                     len(groups), number=tr.number(coffee_round.number),
                     cross=tr.number(sum(1 for g in groups if g.cross_region)))
    return [Outbound(ROUND_KIND, workspace.id, "#" + config.channel, Reply(text=text, ephemeral=False))]


def start_round(session: Session, workspace: Workspace, day: date, now: datetime) -> list[Outbound] | str:
    """What the coffee_round ritual does when it fires: run the round (idempotently), announce it."""
    config = get_config(session, workspace)
    if config is None or not config.enabled:
        return "coffee rounds are switched off"
    if not is_round_date(config, day):
        return "the schedule changed: no round on this date"
    coffee_round = run_round(session, workspace, day, now)
    return build_round_announcement(session, workspace, coffee_round)


# --- commands ---------------------------------------------------------------------------------------

def _state_line(ctx: Context, config: CoffeeConfig | None) -> str:
    tr = ctx.tr
    row = _participant_row(ctx.session, ctx.member)
    if row is not None and not row.active:
        return tr._("You are not taking part in coffee rounds. Join with /coffee join.")
    if row is None and (config is None or not config.everyone):
        return tr._("You are not taking part in coffee rounds. Join with /coffee join.")
    if row is not None and row.paused_until is not None and row.paused_until > ctx.today():
        return tr._("You are taking part, paused until {date}.", date=tr.date(row.paused_until))
    return tr._("You are taking part in coffee rounds.")


@command("coffee", N_("Your coffee pairing status"))
def coffee_status(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("I don't know “/coffee {word}”. Try /coffee join, leave, pause until <date>, status, history, block @member or stats.",
                                 word=one_line(args[0], 30)))
    tr = ctx.tr
    config = get_config(ctx.session, ctx.workspace)
    lines = [_state_line(ctx, config)]
    if config is None:
        lines.append(tr._("Coffee rounds are not set up in this workspace yet; an admin can start them with /coffee config."))
    elif not config.enabled:
        lines.append(tr._("Coffee rounds are switched off in this workspace."))
    else:
        upcoming = next_round(ctx.session, ctx.workspace, ctx.now())
        if upcoming is not None:
            lines.append(tr._("Next round: {date} ({cadence}).", date=tr.weekday_date(upcoming[0]),
                              cadence=_cadence_label(tr, config.cadence)))
    seat = _latest_seat(ctx.session, ctx.member)
    if seat is not None:
        coffee_round, seat_row = seat
        lines.append(_seat_line(ctx, coffee_round, seat_row))
    blocked = ctx.session.scalar(select(func.count()).select_from(CoffeeBlock).where(CoffeeBlock.member_id == ctx.member.id))
    if blocked:
        lines.append(tr.n_("You have blocked {n} person from being paired with you.",
                           "You have blocked {n} people from being paired with you.", int(blocked)))
    return Reply(title=tr._("Coffee pairing"), text="\n".join(lines))


@command("coffee status", N_("Your coffee pairing status"))
def coffee_status_alias(ctx: Context, args: Args) -> Reply:
    return coffee_status(ctx, args)


def _cadence_label(tr: Translator, cadence: str) -> str:
    return {"weekly": tr._("weekly"), "fortnightly": tr._("every two weeks"), "monthly": tr._("monthly")}.get(cadence, cadence)


@command("coffee join", N_("Take part in coffee pairings"))
def coffee_join(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("/coffee join takes no options."))
    row = _ensure_row(ctx.session, ctx.member)
    row.active, row.paused_until, row.source, row.updated_at = True, None, "member", ctx.now()
    ctx.replan()
    text = ctx.tr._("You are in! You will be paired with someone who shares your working hours, preferably from another part of the world.")
    if get_config(ctx.session, ctx.workspace) is None:
        text += "\n" + ctx.tr._("Coffee rounds are not set up in this workspace yet; an admin can start them with /coffee config.")
    return Reply(text=text)


@command("coffee leave", N_("Stop taking part in coffee pairings"))
def coffee_leave(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("/coffee leave takes no options."))
    row = _ensure_row(ctx.session, ctx.member)
    row.active, row.paused_until, row.source, row.updated_at = False, None, "member", ctx.now()
    ctx.replan()
    return Reply(text=ctx.tr._("You left the coffee rounds. Come back any time with /coffee join."))


@command("coffee pause", N_("Skip coffee rounds until a date"), "until <date>")
def coffee_pause(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    words = list(args.words)
    if words and words[0].casefold() == "until":
        words.pop(0)
    if len(words) != 1:
        raise UserError(tr._("Usage: /coffee pause until <date>, for example /coffee pause until 2026-05-04."))
    today = ctx.today()
    until = parse_date(words[0], today)
    if until <= today:
        raise UserError(tr._("Pick a date after today: the pause lasts until that day."))
    if (until - today).days > 366:
        raise UserError(tr._("A pause can last at most a year; use /coffee leave to stop altogether."))
    row = _ensure_row(ctx.session, ctx.member)
    row.active, row.paused_until, row.source, row.updated_at = True, until, "member", ctx.now()
    ctx.replan()
    return Reply(text=tr._("Paused: no coffee rounds for you before {date}.", date=tr.date(until)))


def _latest_seat(session: Session, member: Member) -> tuple[CoffeeRound, CoffeeSeat] | None:
    found = session.execute(select(CoffeeRound, CoffeeSeat).join(CoffeeSeat, CoffeeSeat.round_id == CoffeeRound.id)
                            .where(CoffeeSeat.member_id == member.id)
                            .order_by(CoffeeRound.round_date.desc()).limit(1)).first()
    return (found[0], found[1]) if found else None


def _seat_line(ctx: Context, coffee_round: CoffeeRound, seat: CoffeeSeat) -> str:
    tr = ctx.tr
    when = tr.date(coffee_round.round_date)
    if seat.group_id is not None:
        group = ctx.session.get(CoffeeGroup, seat.group_id)
        assert group is not None
        others = [m for m in group_members(ctx.session, group) if m.id != ctx.member.id]
        shown = [tr._("{name} ({time} there now)", name=one_line(m.display_name, 60),
                      time=tr.time(to_local(ctx.now(), m.tz))) for m in others]
        shown += [tr._("someone who has since left")] * max(0, group.size - 1 - len(others))  # /forget-me
        names = tr.list(shown)
        status = {True: tr._("met"), False: tr._("did not meet"), None: tr._("no answer yet")}[group.met]
        return tr._("{date}: with {names} — {status}", date=when, names=names, status=status)
    if seat.outcome == "unavailable":
        why = tr._("on a public holiday") if seat.reason == UNAVAILABLE_HOLIDAY else tr._("away")
        return tr._("{date}: not paired, you were {why}", date=when, why=why)
    return tr._("{date}: sat out — {why}", date=when,
                why=left_out_text(tr, seat.reason or REASON_ODD, coffee_round.min_overlap_minutes))


@command("coffee history", N_("Your past coffee partners"))
def coffee_history(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("/coffee history takes no options."))
    rows = ctx.session.execute(select(CoffeeRound, CoffeeSeat).join(CoffeeSeat, CoffeeSeat.round_id == CoffeeRound.id)
                               .where(CoffeeSeat.member_id == ctx.member.id)
                               .order_by(CoffeeRound.round_date.desc()).limit(12)).all()
    if not rows:
        return Reply(text=ctx.tr._("You have not been in a coffee round yet."))
    return Reply(title=ctx.tr._("Your coffee rounds"), text="\n".join(_seat_line(ctx, r, s) for r, s in rows))


@command("coffee block", N_("Never be paired with someone (they are not told)"), "@member")
def coffee_block(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args) != 1:
        raise UserError(tr._("Usage: /coffee block @member"))
    other = ctx.find_member(args[0])
    if other.id == ctx.member.id:
        raise UserError(tr._("You cannot block yourself."))
    exists = ctx.session.scalar(select(CoffeeBlock).where(CoffeeBlock.member_id == ctx.member.id,
                                                          CoffeeBlock.blocked_id == other.id))
    if exists is None:
        ctx.session.add(CoffeeBlock(workspace_id=ctx.workspace.id, member_id=ctx.member.id, blocked_id=other.id))
    return Reply(text=tr._("You will never be paired with {name}. They are not told. Undo with /coffee unblock.",
                           name=one_line(other.display_name, 80)))


@command("coffee unblock", N_("Allow pairing with someone again"), "@member")
def coffee_unblock(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if len(args) != 1:
        raise UserError(tr._("Usage: /coffee unblock @member"))
    other = ctx.find_member(args[0])
    block = ctx.session.scalar(select(CoffeeBlock).where(CoffeeBlock.member_id == ctx.member.id,
                                                         CoffeeBlock.blocked_id == other.id))
    if block is None:
        raise UserError(tr._("You have not blocked {name}.", name=one_line(other.display_name, 80)))
    ctx.session.delete(block)
    return Reply(text=tr._("{name} can be paired with you again.", name=one_line(other.display_name, 80)))


def _percent(tr: Translator, part: int, whole: int) -> str:
    return tr.percent(round(part / whole, 2)) if whole else "—"


@command("coffee stats", N_("Meet rate and cross-region share over time"))
def coffee_stats(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if args:
        raise UserError(tr._("/coffee stats takes no options."))
    rows = ctx.session.execute(
        select(CoffeeRound.round_date, CoffeeRound.number, func.count(CoffeeGroup.id),
               func.sum(_as_int(CoffeeGroup.cross_region)), func.sum(_as_int(CoffeeGroup.met.is_not(None))),
               func.sum(_as_int(CoffeeGroup.met.is_(True))))
        .join(CoffeeGroup, CoffeeGroup.round_id == CoffeeRound.id)
        .where(CoffeeRound.workspace_id == ctx.workspace.id)
        .group_by(CoffeeRound.id, CoffeeRound.round_date, CoffeeRound.number)
        .order_by(CoffeeRound.round_date.desc()).limit(12)).all()
    if not rows:
        return Reply(text=tr._("No coffee rounds yet."))
    lines = []
    totals = [0, 0, 0, 0]
    for day, _, groups, cross, answered, met in reversed(rows):
        groups, cross, answered, met = int(groups), int(cross or 0), int(answered or 0), int(met or 0)
        for i, value in enumerate((groups, cross, answered, met)):
            totals[i] += value
        lines.append(tr._("{date}: {groups} groups · met {met} (of {answered} answers) · cross-region {cross}",
                          date=tr.date(day), groups=tr.number(groups), met=_percent(tr, met, answered),
                          answered=tr.number(answered), cross=_percent(tr, cross, groups)))
    summary = tr.n_("Last {n} round: met {met} of the groups that answered, {cross} of groups across regions.",
                    "Last {n} rounds: met {met} of the groups that answered, {cross} of groups across regions.",
                    len(rows), met=_percent(tr, totals[3], totals[2]), cross=_percent(tr, totals[1], totals[0]))
    return Reply(title=tr._("Coffee stats"), text=summary + "\n" + "\n".join(lines))


def _as_int(condition: Any) -> Any:
    return case((condition, 1), else_=0)


# --- admin configuration -----------------------------------------------------------------------------

def _config_lines(tr: Translator, config: CoffeeConfig) -> list[str]:
    return [
        tr._("Rounds: {state}", state=tr._("on") if config.enabled else tr._("off")),
        tr._("Channel: {channel}", channel=("#" + config.channel) if config.channel else "—"),
        tr._("Day: {day}", day=tr.weekday(config.day)),
        tr._("Cadence: {cadence}", cadence=_cadence_label(tr, config.cadence)),
        tr._("Minimum shared working hours per week: {time}", time=format_minutes(tr, config.min_overlap_minutes)),
        tr._("Group size: {size}", size=tr.number(config.group_size)),
        tr._("Participants: {who}", who=tr._("every member unless they leave") if config.everyone else tr._("those who joined")),
    ]


@command("coffee config", N_("Coffee settings (admins)"), "[channel | day | cadence | overlap | size | on | off] <value>", admin=True)
def coffee_config(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("Unknown setting “{name}”. Use channel, day, cadence, overlap, size, on or off.",
                                 name=one_line(args[0], 30)))
    config = get_config(ctx.session, ctx.workspace)
    if config is None:
        return Reply(text=ctx.tr._("Coffee rounds are not set up yet. Start them with /coffee config on, or set a day, cadence or channel."))
    return Reply(title=ctx.tr._("Coffee settings"), text="\n".join(_config_lines(ctx.tr, config)))


def _configure(ctx: Context) -> CoffeeConfig:
    config = ensure_config(ctx.session, ctx.workspace, ctx.today())
    ctx.replan()
    return config


def _one(ctx: Context, args: Args, example: str) -> str:
    if len(args) != 1:
        raise UserError(ctx.tr._("Give exactly one value, for example: {example}", example=example))
    return args[0]


def _done(ctx: Context, config: CoffeeConfig) -> Reply:
    return Reply(title=ctx.tr._("Coffee settings saved"), text="\n".join(_config_lines(ctx.tr, config)))


@command("coffee config on", N_("Start coffee rounds (admins)"), admin=True)
def coffee_config_on(ctx: Context, args: Args) -> Reply:
    config = _configure(ctx)
    config.enabled = True
    return _done(ctx, config)


@command("coffee config off", N_("Stop coffee rounds (admins)"), admin=True)
def coffee_config_off(ctx: Context, args: Args) -> Reply:
    config = get_config(ctx.session, ctx.workspace)
    if config is None:
        raise UserError(ctx.tr._("Coffee rounds are not set up, so there is nothing to switch off."))
    config.enabled = False
    ctx.replan()
    return _done(ctx, config)



@command("coffee config channel", N_("Channel for coffee round announcements (admins)"), "<#channel | none>", admin=True)
def coffee_config_channel(ctx: Context, args: Args) -> Reply:
    value = _one(ctx, args, "/coffee config channel #coffee")
    if value.casefold() == "none":
        channel = None
    else:
        channel = channel_name(value)
        if channel is None:
            raise UserError(ctx.tr._("“{value}” is not a channel name like #coffee.", value=one_line(value, 40)))
    config = _configure(ctx)
    config.channel = channel
    return _done(ctx, config)


@command("coffee config day", N_("Weekday of coffee rounds (admins)"), "<weekday>", admin=True)
def coffee_config_day(ctx: Context, args: Args) -> Reply:
    value = _one(ctx, args, "/coffee config day mon")
    day = parse_weekday(value)
    if day is None:
        raise UserError(ctx.tr._("“{value}” is not a weekday. Try mon, tue, … sun.", value=one_line(value, 20)))
    config = _configure(ctx)
    config.day = day
    return _done(ctx, config)


def parse_cadence(value: str) -> str | None:
    key = value.strip().casefold()
    key = {"biweekly": "fortnightly", "every-two-weeks": "fortnightly"}.get(key, key)
    return key if key in CADENCES else None


@command("coffee config cadence", N_("How often coffee rounds happen (admins)"), "<weekly | fortnightly | monthly>", admin=True)
def coffee_config_cadence(ctx: Context, args: Args) -> Reply:
    value = _one(ctx, args, "/coffee config cadence fortnightly")
    cadence = parse_cadence(value)
    if cadence is None:
        raise UserError(ctx.tr._("“{value}” is not a cadence. Use weekly, fortnightly or monthly.", value=one_line(value, 20)))
    config = _configure(ctx)
    config.cadence = cadence
    if cadence == "fortnightly":
        config.anchor = ctx.today()
    return _done(ctx, config)


@command("coffee config overlap", N_("Minimum shared working hours per week (admins)"), "<duration, e.g. 1h>", admin=True)
def coffee_config_overlap(ctx: Context, args: Args) -> Reply:
    value = _one(ctx, args, "/coffee config overlap 1h30m")
    minutes = _overlap_minutes(value)
    if minutes is None:
        raise UserError(ctx.tr._("“{value}” is not a duration between 15 minutes and {hours} hours. Try 1h or 90m.",
                                 value=one_line(value, 20), hours=ctx.tr.number(MAX_OVERLAP_HOURS)))
    config = _configure(ctx)
    config.min_overlap_minutes = minutes
    return _done(ctx, config)


def _overlap_minutes(value: object) -> int | None:
    """Minutes from '1h30m', '90m' or a number of hours (1, 1.5); None outside 15 minutes .. MAX_OVERLAP_HOURS."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        minutes = round(float(value) * 60)
    else:
        text = str(value).strip().casefold()
        try:
            minutes = round(float(text) * 60)
        except ValueError:
            try:
                minutes = int(parse_duration(text).total_seconds() // 60)
            except TimeError:
                return None
    return minutes if 15 <= minutes <= MAX_OVERLAP_HOURS * 60 else None


@command("coffee config size", N_("People per coffee group: 2 or 3 (admins)"), "<2 | 3>", admin=True)
def coffee_config_size(ctx: Context, args: Args) -> Reply:
    value = _one(ctx, args, "/coffee config size 2")
    if value not in {"2", "3"}:
        raise UserError(ctx.tr._("A coffee group has 2 or 3 people."))
    config = _configure(ctx)
    config.group_size = int(value)
    return _done(ctx, config)


# --- the follow-up buttons --------------------------------------------------------------------------

def _answer(ctx: Context, value: str, met: bool) -> Reply:
    tr = ctx.tr
    group_id = row_id(value)
    group = ctx.session.get(CoffeeGroup, group_id) if group_id is not None else None
    if group is None or group.workspace_id != ctx.workspace.id:
        raise UserError(tr._("That coffee round is no longer known."))
    if ctx.member.id not in {m.id for m in group_members(ctx.session, group)}:
        raise UserError(tr._("Only the people in this coffee group can answer."))
    if met or group.met is not True:   # "not yet" from one member never undoes another's "we met"
        group.met, group.answered_by, group.answered_at = met, ctx.member.id, ctx.now()
    if met:
        return Reply(text=tr._("Wonderful, noted that you met. Thank you!"), ephemeral=False)
    return Reply(text=tr._("Noted. There is still time this round; if you meet later, press “Yes, we met”."), ephemeral=False)


@action("coffee.met")
def coffee_met(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    return _answer(ctx, value, True)


@action("coffee.not_met")
def coffee_not_met(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    return _answer(ctx, value, False)


# --- the team file's [coffee] table -----------------------------------------------------------------

_SECTION_KEYS = {"channel", "day", "cadence", "participants", "min_overlap_hours", "group_size", "enabled"}


def _validate_section(raw: Any, check: Checker) -> None:
    if not isinstance(raw, dict):
        check.error("coffee", "must be a table: [coffee]")
        return
    for key in raw:
        if key not in _SECTION_KEYS:
            check.error(f"coffee.{key}", f"is not a coffee setting (known: {', '.join(sorted(_SECTION_KEYS))})")
    channel = check.text("coffee.channel", raw.get("channel"), 80)
    if channel is not None and channel_name(channel) is None:
        check.error("coffee.channel", f"is not a channel name like \"coffee\": {channel!r}")
    day = check.text("coffee.day", raw.get("day"), 12)
    if day is not None and parse_weekday(day) is None:
        check.error("coffee.day", f"is not a weekday like \"mon\": {day!r}")
    cadence = check.text("coffee.cadence", raw.get("cadence"), 20)
    if cadence is not None and parse_cadence(cadence) is None:
        check.error("coffee.cadence", f"must be weekly, fortnightly or monthly: {cadence!r}")
    check.member_list("coffee.participants", raw.get("participants"))
    hours = raw.get("min_overlap_hours")
    if hours is not None and (isinstance(hours, bool) or not isinstance(hours, (int, float)) or _overlap_minutes(hours) is None):
        check.error("coffee.min_overlap_hours", f"must be a number of hours from 0.25 to {MAX_OVERLAP_HOURS}: {hours!r}")
    size = raw.get("group_size")
    if size is not None and (isinstance(size, bool) or size not in (2, 3)):
        check.error("coffee.group_size", f"must be 2 or 3: {size!r}")
    enabled = raw.get("enabled")
    if enabled is not None and not isinstance(enabled, bool):
        check.error("coffee.enabled", "must be true or false")


def _apply_section(session: Session, workspace: Workspace, raw: Any) -> None:
    config = ensure_config(session, workspace)
    if "channel" in raw:
        config.channel = channel_name(raw["channel"])
    if "day" in raw:
        config.day = parse_weekday(raw["day"])  # type: ignore[assignment]
    if "cadence" in raw:
        config.cadence = parse_cadence(raw["cadence"]) or "weekly"
    if "min_overlap_hours" in raw:
        config.min_overlap_minutes = _overlap_minutes(raw["min_overlap_hours"]) or 60
    if "group_size" in raw:
        config.group_size = int(raw["group_size"])
    config.enabled = bool(raw.get("enabled", True))
    if "participants" in raw:
        _apply_participants(session, workspace, config, raw["participants"])
    elif not config.everyone:
        config.everyone = True


def _apply_participants(session: Session, workspace: Workspace, config: CoffeeConfig, ids: list[str]) -> None:
    """The file names the roster. A member's own `/coffee leave` still wins over the file."""
    config.everyone = False
    members = {m.user_id: m for m in session.scalars(select(Member).where(Member.workspace_id == workspace.id))}
    rows = {r.member_id: r for r in session.scalars(select(CoffeeParticipant).where(
        CoffeeParticipant.workspace_id == workspace.id))}
    listed = {members[i].id for i in ids if i in members}
    for member_id in listed:
        row = rows.get(member_id)
        if row is None:
            session.add(CoffeeParticipant(workspace_id=workspace.id, member_id=member_id, active=True, source="file"))
    for member_id, row in rows.items():
        if member_id not in listed and row.source == "file":
            session.delete(row)


register_section(TeamFileSection("coffee", _validate_section, _apply_section))
