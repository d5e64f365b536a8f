"""What a member writes about themselves (`/profile about`): preferred name, pronunciation, pronouns,
languages and "how to work with me" notes, checked and tidied before they are stored, shown safely.

`profile_summary` is the short form coffee intros and meeting reminders show.
"""
from __future__ import annotations

from dataclasses import dataclass

from bot.culture import MISSING
from bot.i18n import N_, Translator
from bot.models import Member
from bot.router import UserError
from bot.text import clean_input, one_line, user_text


@dataclass(frozen=True)
class AboutField:
    key: str            # the subcommand word and the form field name
    column: str         # the Member attribute
    label: str          # N_() message id
    limit: int
    multiline: bool = False


ABOUT_FIELDS: tuple[AboutField, ...] = (
    AboutField("name", "preferred_name", N_("Preferred name"), 100),
    AboutField("pronunciation", "pronunciation", N_("Pronunciation"), 100),
    AboutField("pronouns", "pronouns", N_("Pronouns"), 50),
    AboutField("languages", "languages", N_("Languages I speak"), 200),
    AboutField("notes", "about", N_("How to work with me"), 1000, multiline=True),
)
FIELDS_BY_KEY = {f.key: f for f in ABOUT_FIELDS}


def about_lines(tr: Translator, member: Member, only_written: bool = False) -> list[str]:
    """'Label: value' (made safe, or '—') for each one-line field; the notes are shown by `note_lines`."""
    return [tr._("{label}: {value}", label=tr._(f.label), value=one_line(getattr(member, f.column), f.limit) or MISSING)
            for f in ABOUT_FIELDS if not f.multiline and (getattr(member, f.column) or not only_written)]


def note_lines(member: Member) -> list[str]:
    """The member's notes, one safe display line per line they wrote."""
    return [user_text(line, 300) for line in (member.about or "").splitlines() if line.strip()]


def first_note(about: str | None, limit: int = 140) -> str:
    for line in (about or "").splitlines():
        if line.strip():
            return one_line(line, limit)
    return ""


def normalised(field: AboutField, text: str) -> str:
    """What a member typed, tidied for storage: one line, or for notes trimmed lines without blank runs."""
    text = clean_input(text)
    if not field.multiline:
        return " ".join(text.split())
    lines: list[str] = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    return "\n".join(lines).strip()


def checked(tr: Translator, field: AboutField, text: str) -> str:
    """The tidied value, or a UserError (and nothing changed) when it is over the field's limit."""
    value = normalised(field, text)
    if len(value) > field.limit:
        raise UserError(tr._("{field} can be at most {limit} characters; that was {n}. Nothing was changed.",
                             field=tr._(field.label), limit=tr.number(field.limit), n=tr.number(len(value))))
    return value


def profile_summary(tr: Translator, member: Member) -> list[str]:
    """The member's own words, short: name with pronunciation and pronouns, languages, one line of notes."""
    details = [tr._("say “{pronunciation}”", pronunciation=one_line(member.pronunciation, 100))] if member.pronunciation else []
    if member.pronouns:
        details.append(one_line(member.pronouns, 50))
    name = one_line(member.display_name, 80)
    lines = [tr._("{name} ({details})", name=name, details="; ".join(details)) if details else name]
    if member.languages:
        lines.append(tr._("Speaks: {languages}", languages=one_line(member.languages, 200)))
    note = first_note(member.about)
    if note:
        lines.append(tr._("How to work with me: {note}", note=note))
    return lines
