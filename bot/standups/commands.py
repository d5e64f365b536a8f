"""The `/standup` commands: settings (admins), answering, skipping, status and the report of any day.

A command acts on the standup its words name ('#channel'), else the current channel's, else the only
one. The forms and buttons they open live in `forms.py`.
"""
from __future__ import annotations

from datetime import date

from bot.i18n import N_
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.standups.forms import (
    answer_form, check_day, participants_or_error, questions_or_error, require_participant, setup_form, skip_day,
)
from bot.standups.messages import channel_label, config_lines, status_reply, summary_reply
from bot.standups.models import Standup, active_standups, entry_for, standup_in
from bot.standups.settings import parse_reminder
from bot.standups.timing import answer_day
from bot.text import channel_name, one_line
from bot.time import parse_clock, parse_date


def _split_channel(ctx: Context, words: list[str]) -> tuple[str | None, list[str]]:
    named = [w for w in words if w.startswith("#") and len(w) > 1]
    rest = [w for w in words if w not in named]
    if len(named) > 1:
        raise UserError(ctx.tr._("Name at most one channel."))
    if not named:
        return None, rest
    channel = channel_name(named[0])
    if channel is None:
        raise UserError(ctx.tr._("“{value}” is not a channel name.", value=one_line(named[0], 40)))
    return channel, rest


def _target(ctx: Context, words: list[str], *, active_only: bool = True) -> tuple[Standup, list[str]]:
    """The standup a command means: a '#channel' word, else the current channel's, else the only one."""
    channel, rest = _split_channel(ctx, words)
    if channel is not None:
        standup = standup_in(ctx.session, ctx.workspace, channel)
        if standup is None:
            raise UserError(ctx.tr._("There is no standup in {channel}. An admin can create one with /standup setup {channel}.",
                                     channel=channel_label(channel)))
        return standup, rest
    if ctx.channel:
        standup = standup_in(ctx.session, ctx.workspace, ctx.channel)
        if standup is not None and (standup.active or not active_only):
            return standup, rest
    standups = active_standups(ctx.session, ctx.workspace)
    if len(standups) == 1:
        return standups[0], rest
    if not standups:
        raise UserError(ctx.tr._("There is no standup here yet. An admin can create one with /standup setup."))
    raise UserError(ctx.tr._("There are several standups: {channels}. Add the channel, for example {example}.",
                             channels=ctx.tr.list(channel_label(s.channel) for s in standups),
                             example=f"/standup status {channel_label(standups[0].channel)}"))


def _day_arg(ctx: Context, words: list[str], default: date) -> date:
    if not words:
        return default
    if len(words) > 1:
        raise UserError(ctx.tr._("Give one date, for example 2026-03-23, today or yesterday."))
    return parse_date(words[0], ctx.today(), ctx.tr.locale_id)


def _answerable_day(ctx: Context, standup: Standup, words: list[str], *, planning: bool = False) -> date:
    """The day an answer or skip is for: the one given (checked), else `answer_day`'s rule."""
    require_participant(ctx, standup)
    tr = ctx.tr
    next_day = answer_day(ctx.member, ctx.now())
    if not words:
        if next_day is None:
            raise UserError(tr._("You have no working day coming up."))
        return next_day
    day = _day_arg(ctx, words, next_day or ctx.today())
    check_day(ctx, day, next_day, planning=planning)
    return day


@command("standup", N_("Your team's async standup and its settings"))
def standup_overview(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if rest:
        raise UserError(ctx.tr._("Unknown standup command “{name}”. Try /help standup.", name=one_line(rest[0], 40)))
    return Reply(title=ctx.tr._("Standup in {channel}", channel=channel_label(standup.channel)),
                 text="\n".join(config_lines(ctx.session, ctx.tr, standup)))


@command("standup setup", N_("Create or change this channel's standup (opens a form)"), "[#channel]", admin=True)
def standup_setup(ctx: Context, args: Args) -> Reply:
    channel, rest = _split_channel(ctx, list(args.words))
    if rest:
        raise UserError(ctx.tr._("Usage: /standup setup [#channel]"))
    channel = channel or channel_name(ctx.channel or "") or channel_name(ctx.workspace.channel or "")
    if channel is None:
        raise UserError(ctx.tr._("Which channel? For example: /standup setup #team."))
    return Reply(form=setup_form(ctx.tr, channel, standup_in(ctx.session, ctx.workspace, channel)))


@command("standup config", N_("Show or change the standup's settings"),
         "[time <09:30> | questions <q1> <q2> … | participants <everyone | @…> | reminder <2h | off> | summary <#channel>] [#channel]")
def standup_config(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if rest:
        raise UserError(ctx.tr._("Unknown setting “{name}”. Use time, questions, participants, reminder or summary.",
                                 name=one_line(rest[0], 40)))
    return Reply(title=ctx.tr._("Standup in {channel}", channel=channel_label(standup.channel)),
                 text="\n".join(config_lines(ctx.session, ctx.tr, standup)))


def _changed(ctx: Context, standup: Standup) -> Reply:
    ctx.session.flush()
    ctx.replan()
    return Reply(title=ctx.tr._("Standup in {channel} updated.", channel=channel_label(standup.channel)),
                 text="\n".join(config_lines(ctx.session, ctx.tr, standup)))


@command("standup config time", N_("Set the prompt time, in each member's own time zone"), "<09:30> [#channel]", admin=True)
def standup_config_time(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if len(rest) != 1:
        raise UserError(ctx.tr._("Give one time, for example: /standup config time 09:30"))
    standup.prompt_time = parse_clock(rest[0])
    return _changed(ctx, standup)


@command("standup config questions", N_("Set the questions (each in quotes), or “default”"), "<\"question\"> … | default [#channel]", admin=True)
def standup_config_questions(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if len(rest) == 1 and rest[0].casefold() == "default":
        standup.questions = None
    else:
        standup.questions = questions_or_error(ctx, rest)
    return _changed(ctx, standup)


@command("standup config participants", N_("Set who takes part: everyone, or members (add/remove one by one)"),
         "<everyone | @member … | add @member … | remove @member …> [#channel]", admin=True)
def standup_config_participants(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if not rest:
        raise UserError(ctx.tr._("Usage: /standup config participants everyone | @amara @ravi | add @lena | remove @lena"))
    mode = rest[0].casefold()
    if mode in {"add", "remove"}:
        if len(rest) < 2:
            raise UserError(ctx.tr._("Whom? For example: /standup config participants {mode} @lena", mode=mode))
        chosen = [m.user_id for m in ctx.members_from(rest[1:])]
        current = standup.participants if standup.participants is not None else [m.user_id for m in ctx.members()]
        if mode == "add":
            updated = current + [u for u in chosen if u not in current]
        else:
            updated = [u for u in current if u not in chosen]
        if not updated:
            raise UserError(ctx.tr._("A standup needs at least one participant. Use /standup stop to end it."))
        standup.participants = updated
    else:
        standup.participants = participants_or_error(ctx, rest)
    return _changed(ctx, standup)


@command("standup config reminder", N_("Set the delay of the one reminder, or turn it off"), "<2h | 90m | off> [#channel]", admin=True)
def standup_config_reminder(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    if len(rest) != 1:
        raise UserError(ctx.tr._("Give one delay, for example: /standup config reminder 2h (or off)"))
    standup.reminder_minutes = parse_reminder(rest[0])
    return _changed(ctx, standup)


@command("standup config summary", N_("Set the channel the daily summary goes to"), "<#channel> [#standup-channel]", admin=True)
def standup_config_summary(ctx: Context, args: Args) -> Reply:
    words = list(args.words)
    if not words:
        raise UserError(ctx.tr._("Which channel? For example: /standup config summary #standup-notes"))
    summary = channel_name(words[0])
    if summary is None:
        raise UserError(ctx.tr._("“{value}” is not a channel name.", value=one_line(words[0], 40)))
    standup, rest = _target(ctx, words[1:], active_only=False)
    if rest:
        raise UserError(ctx.tr._("Give one channel, for example: /standup config summary #standup-notes"))
    standup.summary_channel = None if summary == standup.channel else summary
    return _changed(ctx, standup)


@command("standup stop", N_("Stop the standup (answers are kept)"), "[#channel]", admin=True)
def standup_stop(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words))
    if rest:
        raise UserError(ctx.tr._("Usage: /standup stop [#channel]"))
    standup.active = False
    ctx.replan()
    return Reply(text=ctx.tr._("The standup in {channel} is stopped. Its history is kept; /standup setup starts it again.",
                               channel=channel_label(standup.channel)))


@command("standup answer", N_("Answer (or edit your answers to) a standup"), "[date] [#channel]")
def standup_answer(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words))
    day = _answerable_day(ctx, standup, rest)
    return Reply(form=answer_form(ctx.tr, standup, day, entry_for(ctx.session, standup, ctx.member, day)))


@command("standup skip", N_("Skip a standup day (default: your next one)"), "[date] [#channel]")
def standup_skip(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words))
    return skip_day(ctx, standup, _answerable_day(ctx, standup, rest, planning=True))


@command("standup status", N_("Who answered, who has not yet, who is off"), "[date] [#channel]")
def standup_status(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    return status_reply(ctx.session, standup, _day_arg(ctx, rest, ctx.today()), ctx.tr)


@command("standup report", N_("The answers of a standup day (history is kept)"), "[date] [#channel]")
def standup_report(ctx: Context, args: Args) -> Reply:
    standup, rest = _target(ctx, list(args.words), active_only=False)
    reply = summary_reply(ctx.session, standup, _day_arg(ctx, rest, ctx.today()), ctx.tr)
    reply.ephemeral = True
    return reply
