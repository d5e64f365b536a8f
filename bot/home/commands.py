"""/home: the member's profile, what is coming up for them and the team clock, in one reply."""
from __future__ import annotations

from bot.home.upcoming import upcoming_lines
from bot.i18n import N_
from bot.people import profile_lines
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.teamclock import time_now
from bot.text import one_line

HOME_CLOCK_GROUPS = 4    # the team clock is one part of /home (a 1,024-character field on Discord); /time has the rest


@command("home", N_("Your overview: your profile, what is coming up for you and the team clock"))
def home(ctx: Context, args: Args) -> Reply:
    if args:
        raise UserError(ctx.tr._("/home takes no arguments."))
    tr = ctx.tr
    reply = Reply(title=tr._("Meridian for {name}", name=one_line(ctx.member.display_name, 80)))
    reply.add(tr._("Your profile"), profile_lines(tr, ctx.member, ctx.today()))
    reply.add(tr._("Coming up for you"), upcoming_lines(ctx) or [tr._("Nothing is scheduled for you yet.")])
    clock = time_now(tr, ctx.members(), ctx.now(), limit=HOME_CLOCK_GROUPS)
    reply.add(tr._("Team clock: {summary}", summary=clock.title or ""), clock.text.split("\n"))
    return reply
