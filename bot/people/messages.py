"""What the people feature says: the /profile about view, a line of time off, a colleague's /whois card."""
from __future__ import annotations

from bot import availability
from bot.availability import MemberStatus
from bot.culture import MISSING, day_span
from bot.i18n import Translator
from bot.models import Away, Member
from bot.people.about import about_lines, note_lines
from bot.reply import Reply, Section
from bot.teamclock import member_line
from bot.text import one_line


def about_reply(tr: Translator, member: Member, text: str = "") -> Reply:
    """The member's own about fields and notes, with how to change them (and `text`, e.g. 'Saved.', first)."""
    lines = about_lines(tr, member)
    notes = note_lines(member) or [MISSING]
    hint = tr._("Change one with /profile about name|pronunciation|pronouns|languages|notes <text>, all at once with /profile about edit, or remove them with /profile about clear [field].")
    return Reply(title=tr._("About you"), text="\n".join(filter(None, [text, hint])),
                 sections=[Section(None, tuple(lines)), Section(tr._("How to work with me"), tuple(notes))])


def away_line(tr: Translator, index: int, period: Away) -> str:
    """'1. Apr 6, 2026 – Apr 10, 2026 — Easter trip', as /away list numbers it (tagged when from a calendar feed)."""
    note = f" — {one_line(period.note, 100)}" if period.note else ""
    if not period.typed:
        note += " " + tr._("(from your calendar)")
    return f"{index}. {tr.date(period.start_date)} – {tr.date(period.end_date)}{note}"


def whois_reply(tr: Translator, person: Member, status: MemberStatus) -> Reply:
    """A colleague's card: their moment now, country and working week, and only what they wrote themselves."""
    about = about_lines(tr, person, only_written=True)
    notes = note_lines(person)
    sections = [Section(tr._("Now"), (member_line(tr, status),
                                      tr._("Country: {country}", country=tr.country_name(person.country)),
                                      tr._("Works {days}, {start}–{end}", days=day_span(tr, availability.work_days_on(person, status.local.date())),
                                           start=tr.time(person.hours_start), end=tr.time(person.hours_end))))]
    if about:
        sections.append(Section(tr._("About"), tuple(about)))
    if notes:
        sections.append(Section(tr._("How to work with me"), tuple(notes)))
    text = "" if about or notes else tr._("{name} has not written anything about themselves yet (/profile about).",
                                          name=one_line(person.display_name, 80))
    title = one_line(person.display_name, 80)
    if person.preferred_name and person.name and person.name != person.preferred_name:
        title = tr._("{preferred} ({name})", preferred=title, name=one_line(person.name, 80))
    return Reply(title=title, text=text, sections=sections)
