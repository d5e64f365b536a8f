"""/convert: turn passive conversion on or off in a channel, see whether it is on, or read a text yourself.

Any member of a channel may turn it on or off there (admins too, of course): it is the channel's own
quiet thread reply, not a workspace policy. `/convert <text>` answers only the asker.
"""
from __future__ import annotations

from bot.conversion.channels import Author, private_reading
from bot.conversion.models import channel_setting, switch
from bot.i18n import N_
from bot.reply import Reply
from bot.router import Args, Context, UserError, command


def _channel(ctx: Context) -> str:
    if not ctx.channel:
        raise UserError(ctx.tr._("Use /convert on, off or status in the channel it is about."))
    return ctx.channel


def _switch(ctx: Context, enabled: bool) -> Reply:
    channel = _channel(ctx)
    switch(ctx.session, ctx.workspace, channel, enabled, by=ctx.member.user_id, at=ctx.now())
    if enabled:
        return Reply(text=ctx.tr._("Time conversion is on in this channel: when someone writes a time, I reply in the thread with it in the members' time zones. Turn it off with /convert off."))
    return Reply(text=ctx.tr._("Time conversion is off in this channel. Anyone can still ask for a message's times privately."))


@command("convert on", N_("Convert times written in this channel for its members"))
def convert_on(ctx: Context, args: Args) -> Reply:
    return _switch(ctx, True)


@command("convert off", N_("Stop converting times in this channel"))
def convert_off(ctx: Context, args: Args) -> Reply:
    return _switch(ctx, False)


@command("convert status", N_("Is time conversion on in this channel?"))
def convert_status(ctx: Context, args: Args) -> Reply:
    setting = channel_setting(ctx.session, ctx.workspace, _channel(ctx))
    if setting is not None and setting.enabled:
        return Reply(text=ctx.tr._("Time conversion is on in this channel. Turn it off with /convert off."))
    return Reply(text=ctx.tr._("Time conversion is off in this channel. Turn it on with /convert on."))


@command("convert", N_("Show the times in a text in your time zone"), "<text> | on | off | status")
def convert_text(ctx: Context, args: Args) -> Reply:
    if not args:
        raise UserError(ctx.tr._("Which text? For example: /convert let's sync at 3pm CET tomorrow"))
    member = ctx.member
    author = Author(member.tz if member.tz_source != "default" else None, ctx.tr.locale_id)
    return private_reading(args.raw, author=author, sent_at=ctx.now(), reader=member, tr=ctx.tr)
