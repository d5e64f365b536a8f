"""`/coffee config …`: the admins' coffee settings (the team file's `[coffee]` table sets the same ones).

Every change re-plans the workspace, so the next round moves with the new day or cadence at once.
"""
from __future__ import annotations

from bot.coffee.messages import cadence_label, format_minutes
from bot.coffee.models import CoffeeConfig
from bot.coffee.settings import MAX_OVERLAP_HOURS, ensure_config, get_config, overlap_minutes, parse_cadence
from bot.i18n import N_, Translator
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.text import channel_name, one_line
from bot.time import parse_weekday


def _config_lines(tr: Translator, config: CoffeeConfig) -> list[str]:
    return [
        tr._("Rounds: {state}", state=tr._("on") if config.enabled else tr._("off")),
        tr._("Channel: {channel}", channel=("#" + config.channel) if config.channel else "—"),
        tr._("Day: {day}", day=tr.weekday(config.day)),
        tr._("Cadence: {cadence}", cadence=cadence_label(tr, config.cadence)),
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
    minutes = overlap_minutes(value)
    if minutes is None:
        raise UserError(ctx.tr._("“{value}” is not a duration between 15 minutes and {hours} hours. Try 1h or 90m.",
                                 value=one_line(value, 20), hours=ctx.tr.number(MAX_OVERLAP_HOURS)))
    config = _configure(ctx)
    config.min_overlap_minutes = minutes
    return _done(ctx, config)


@command("coffee config size", N_("People per coffee group: 2 or 3 (admins)"), "<2 | 3>", admin=True)
def coffee_config_size(ctx: Context, args: Args) -> Reply:
    value = _one(ctx, args, "/coffee config size 2")
    if value not in {"2", "3"}:
        raise UserError(ctx.tr._("A coffee group has 2 or 3 people."))
    config = _configure(ctx)
    config.group_size = int(value)
    return _done(ctx, config)
