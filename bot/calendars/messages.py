"""What the calendars feature says about a feed's health: why it failed, in the member's language."""
from __future__ import annotations

from bot.calendars.models import CalendarFeed
from bot.i18n import N_, Translator
from bot.reply import Reply

_REASONS = {
    "timeout": N_("the calendar server did not answer in time"),
    "too_large": N_("the calendar is larger than I read (5 MB)"),
    "redirect": N_("the address redirects elsewhere; paste the final address"),
    "blocked_address": N_("the address points into a private network"),
    "malformed": N_("what it returns is not a calendar I can read"),
    "too_many_events": N_("what it returns is not a calendar I can read"),
}
_GONE = N_("the address no longer works (it may have been reset)")
_UNREACHABLE = N_("the calendar server could not be reached")


def reason(tr: Translator, code: str) -> str:
    """A feed error code (bot.calendars.fetch / feed) as words."""
    if code in _REASONS:
        return tr._(_REASONS[code])
    if code in ("http_401", "http_403", "http_404", "http_410"):
        return tr._(_GONE)
    return tr._(_UNREACHABLE)


def failing_notice(tr: Translator, feed: CalendarFeed) -> Reply:
    """The one DM of a failing streak: what is wrong and what to do, without the secret address."""
    return Reply(text=tr._("I could not read your calendar {address} for a while: {reason}. Until it works again, your calendar's time off and busy hours may be out of date. Paste a fresh address with /profile calendar <address>, or stop with /profile calendar off.",
                           address=feed.url_hint, reason=reason(tr, feed.last_error or "")))
