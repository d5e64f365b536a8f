"""/profile calendar: connect, show or disconnect a member's private iCalendar address.

The address is a secret (anyone holding it reads the whole calendar): it is checked, encrypted with
MERIDIAN_SECRET_KEY before it is stored, and only its host is ever shown back. The first read
happens on the scheduler's next tick (`calendar_poll`), not inside the command, so the command
answers at once whatever the calendar server does.
"""
from __future__ import annotations

from sqlalchemy import select

from bot.calendars.feed import HORIZON_DAYS
from bot.calendars.fetch import FetchError, check_address, hint_for
from bot.calendars.messages import reason
from bot.calendars.models import CalendarFeed
from bot.calendars.sync import forget_feed_data
from bot.config import ConfigError
from bot.crypto import Cipher
from bot.i18n import N_, Translator
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.time import to_local

ADDRESS_PROBLEMS = {
    "scheme": N_("A calendar address starts with https:// (or webcal://). Copy the secret iCal address from your calendar's settings."),
    "credentials": N_("Calendar addresses with a user name or password are not accepted: use the private (secret) address your calendar publishes."),
}


def feed_of(ctx: Context) -> CalendarFeed | None:
    return ctx.session.scalar(select(CalendarFeed).where(CalendarFeed.workspace_id == ctx.workspace.id,
                                                         CalendarFeed.member_id == ctx.member.id))


def address_problem(tr: Translator, code: str) -> str:
    if code in ADDRESS_PROBLEMS:
        return tr._(ADDRESS_PROBLEMS[code])
    return tr._("That does not look like a calendar address. Copy the secret iCal address from your calendar's settings.")


def status_text(tr: Translator, feed: CalendarFeed | None, zone: str) -> str:
    if feed is None:
        return tr._("No calendar connected. Paste your calendar's private iCal address with /profile calendar <address>: your vacations and busy hours then count without typing them.")
    if feed.last_error:
        return tr._("Your calendar {address} could not be read lately: {reason}.", address=feed.url_hint,
                    reason=reason(tr, feed.last_error))
    if feed.last_success_at is None:
        return tr._("Your calendar {address} will be read within a few minutes.", address=feed.url_hint)
    return tr._("Your calendar {address} was last read {when}.", address=feed.url_hint,
                when=tr.datetime(to_local(feed.last_success_at, zone)))


@command("profile calendar", N_("Read your vacations and busy hours from your calendar's private address"),
         "[<address> | off]")
def profile_calendar(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    feed = feed_of(ctx)
    if not args:
        return Reply(text=status_text(tr, feed, ctx.member.tz))
    if len(args) != 1:
        raise UserError(tr._("Give exactly one value, for example: {example}", example="/profile calendar https://…/basic.ics"))
    if args[0].casefold() == "off":
        return calendar_off(ctx, feed)
    url = args[0].strip("<>")
    if url.lower().startswith("webcal"):
        url = "https" + url[len("webcal"):]
    try:
        check_address(url)
    except FetchError as error:
        raise UserError(address_problem(tr, error.code)) from error
    try:
        secret = Cipher(ctx.settings.secret_key).encrypt(url)
    except ConfigError as error:
        raise UserError(tr._("Calendars cannot be connected here yet: the operator has to set MERIDIAN_SECRET_KEY first.")) from error
    if feed is None:
        feed = CalendarFeed(workspace_id=ctx.workspace.id, member_id=ctx.member.id, url_secret=secret, url_hint="")
        ctx.session.add(feed)
    feed.url_secret, feed.url_hint = secret, hint_for(url)
    feed.etag = feed.last_modified = feed.last_error = None
    feed.failures, feed.failure_notified = 0, False
    feed.next_fetch_at = ctx.now()
    ctx.session.flush()
    ctx.replan()
    return Reply(text=tr._("Calendar {address} connected. I will read it within a few minutes and then every half hour, for the next {days} days. I keep only the dates of your time off and when you are busy, never titles or details.",
                           address=feed.url_hint, days=tr.number(HORIZON_DAYS)))


def calendar_off(ctx: Context, feed: CalendarFeed | None) -> Reply:
    if feed is None:
        raise UserError(ctx.tr._("No calendar connected. Paste your calendar's private iCal address with /profile calendar <address>: your vacations and busy hours then count without typing them."))
    forget_feed_data(ctx.session, ctx.member)
    ctx.session.delete(feed)
    ctx.replan()
    return Reply(text=ctx.tr._("Calendar disconnected: its address, the time off and the busy hours read from it are deleted."))
