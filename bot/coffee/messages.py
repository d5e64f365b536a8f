"""What coffee says by itself: the group intro, the "did you meet?" follow-up, the note to someone left
out, and the round's post in the coffee channel; plus the small texts the commands share.

Each builder returns the messages to send, or `Skip(reason)` when the occurrence no longer applies
(the group is gone, already said they met, …); `bot.coffee.rituals` hands that to the engine as is.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.calendars.busy import busy_times, free_parts
from bot.coffee.models import CoffeeGroup, CoffeeRound
from bot.coffee.plan import REASON_NO_PARTNER
from bot.coffee.rounds import (FOLLOWUP_KIND, INTRO_KIND, REASON_ALONE, group_members,
                               round_windows)
from bot.coffee.settings import get_config
from bot.coffee.timing import ROUND_KIND, ROUND_WEEK_DAYS
from bot.coffee.windows import shared_windows, suggest_slots
from bot.people import short_intro
from bot.i18n import N_, Translator
from bot.models import Member, Workspace
from bot.reply import Button, Outbound, Reply
from bot.rituals import Skip
from bot.text import one_line
from bot.time import country_of_zone, to_local

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


def cadence_label(tr: Translator, cadence: str) -> str:
    return {"weekly": tr._("weekly"), "fortnightly": tr._("every two weeks"), "monthly": tr._("monthly")}.get(cadence, cadence)


def _member_lines(tr: Translator, member: Member, now: datetime) -> list[str]:
    """Who they are and where and when they are (bot.culture's short form), plus their working hours."""
    return [*short_intro(tr, member, now),
            tr._("Working hours: {start}–{end}, {zone}", start=tr.time(member.hours_start), end=tr.time(member.hours_end),
                 zone=tr.zone_name(member.tz))]


def _slot_line(tr: Translator, slot: datetime, members: Sequence[Member]) -> str:
    times = [tr._("{time} {day} for {name}", time=tr.time(to_local(slot, m.tz)),
                  day=tr.weekday_date(to_local(slot, m.tz)), name=one_line(m.display_name, 40))
             for m in members]
    return " · ".join(times)


def build_intro(session: Session, workspace: Workspace, payload: dict[str, Any], now: datetime) -> list[Outbound] | Skip:
    """The intro group DM (or, for someone left out, the DM saying why)."""
    if "member" in payload:
        return _build_left_out(session, workspace, payload, now)
    group = session.get(CoffeeGroup, int(payload.get("group", 0)))
    if group is None or group.workspace_id != workspace.id:
        return Skip("the group no longer exists")
    coffee_round = session.get(CoffeeRound, group.round_id)
    assert coffee_round is not None
    members = group_members(session, group)
    if len(members) < 2:
        return Skip("fewer than two members are left in the group")
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
    # Suggested times also avoid what anyone's calendar says they are busy with (bot.calendars).
    taken = busy_times(session, members, common[0][0], common[-1][1]) if common else {}
    slots = suggest_slots(free_parts(common, [i for intervals in taken.values() for i in intervals]),
                          now + timedelta(hours=1))
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


def _build_left_out(session: Session, workspace: Workspace, payload: dict[str, Any], now: datetime) -> list[Outbound] | Skip:
    """The DM, at 09:00 their time, telling someone left out of a round why."""
    member = session.get(Member, int(payload["member"]))
    coffee_round = session.get(CoffeeRound, int(payload.get("round", 0)))
    if member is None or coffee_round is None or member.workspace_id != workspace.id:
        return Skip("the member or the round no longer exists")
    tr = Translator(member.locale or workspace.locale)
    reply = Reply(title=tr._("No coffee partner this round"), ephemeral=False,
                  text=left_out_text(tr, str(payload.get("reason")), coffee_round.min_overlap_minutes))
    return [Outbound(INTRO_KIND, workspace.id, member.user_id, reply)]


def build_followup(session: Session, workspace: Workspace, payload: dict[str, Any], now: datetime) -> list[Outbound] | Skip:
    """'Did you meet?' with buttons (handled in bot.coffee.actions), unless the group already said yes."""
    group = session.get(CoffeeGroup, int(payload.get("group", 0)))
    if group is None or group.workspace_id != workspace.id:
        return Skip("the group no longer exists")
    if group.met is True:
        return Skip("the group already said they met")
    members = group_members(session, group)
    if len(members) < 2:
        return Skip("fewer than two members are left in the group")
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
