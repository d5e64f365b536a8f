"""Commands and actions: how a line like "/tz set Kathmandu" finds its handler.

Handlers are plain functions `(ctx, args) -> Reply` registered with `@command("tz set", ...)`.
They never know which platform asked. Nested names ("standup config time") mirror Slack's
subcommand text and Discord's app-command groups; the longest registered prefix wins.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable, Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import availability
from bot.time.clock import Clock
from bot.config import Settings
from bot.i18n import N_, Translator
from bot.models import Member, Workspace
from bot.reply import Reply
from bot.text import MAX_INPUT
from bot.time import TimeError, format_offset, offset_of


class UserError(Exception):
    """Bad input. The message is already in the reader's language; the unit of work is rolled back."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Context:
    """Everything a handler may use. One per command, one database session, one reader."""

    session: Session
    workspace: Workspace
    member: Member
    clock: Clock
    tr: Translator
    settings: Settings
    channel: str | None = None
    platform_admin: bool = False

    def now(self) -> datetime:
        return self.clock.now()

    def today(self) -> date:
        """The asker's own local date."""
        return availability.today(self.member, self.now())

    @property
    def is_admin(self) -> bool:
        return self.platform_admin or self.member.is_admin

    def require_admin(self) -> None:
        if not self.is_admin:
            raise UserError(self.tr._("Only workspace admins can change this."))

    def replan(self) -> None:
        """Tell the scheduler that due work in this workspace must be recomputed."""
        self.workspace.needs_replan = True

    def members(self) -> list[Member]:
        return list(self.session.scalars(
            select(Member).where(Member.workspace_id == self.workspace.id).order_by(Member.name, Member.user_id)))

    def find_member(self, ref: str) -> Member:
        """A member by mention ('@U123'), user id or unique name; a clear error otherwise."""
        found = find_member(self.session, self.workspace, ref)
        if isinstance(found, Member):
            return found
        shown = ref.strip()[:64]
        if found:
            raise UserError(self.tr._("“{ref}” matches several members: {names}. Use their @mention.",
                                      ref=shown, names=self.tr.list(m.display_name for m in found)))
        raise UserError(self.tr._("I don't know a member “{ref}” in this workspace.", ref=shown))

    def members_from(self, refs: Iterable[str]) -> list[Member]:
        seen: dict[int, Member] = {}
        for ref in refs:
            member = self.find_member(ref)
            seen.setdefault(member.id, member)
        return list(seen.values())


def find_member(session: Session, workspace: Workspace, ref: str) -> Member | list[Member] | None:
    """Exact user id first, then a case-insensitive name or first name; a list when that is ambiguous."""
    key = ref.strip().lstrip("@").strip()
    if not key or len(key) > 200:
        return None
    scoped = select(Member).where(Member.workspace_id == workspace.id)
    exact = session.scalar(scoped.where(Member.user_id == key))
    if exact is not None:
        return exact
    folded = key.casefold()
    by_name = list(session.scalars(scoped.where(
        (func.lower(Member.name) == folded) | (func.lower(Member.preferred_name) == folded))))
    if len(by_name) == 1:
        return by_name[0]
    if by_name:
        return by_name
    candidates = [m for m in session.scalars(scoped)
                  if (m.name or "").casefold().split(" ")[0] == folded or m.user_id.casefold() == folded]
    if len(candidates) == 1:
        return candidates[0]
    return candidates or None


@dataclass
class Args:
    """The words after the command name. Mentions arrive as '@user_id' (adapters normalise them)."""

    words: list[str]
    raw: str = ""

    def __len__(self) -> int:
        return len(self.words)

    def __bool__(self) -> bool:
        return bool(self.words)

    def __getitem__(self, index: int) -> str:
        return self.words[index]

    def rest(self, start: int = 0) -> str:
        return " ".join(self.words[start:])

    @property
    def mentions(self) -> list[str]:
        return [w for w in self.words if w.startswith("@") and len(w) > 1]

    @property
    def plain(self) -> list[str]:
        return [w for w in self.words if not (w.startswith("@") and len(w) > 1)]


Handler = Callable[[Context, Args], Reply]


@dataclass(frozen=True)
class CommandSpec:
    path: tuple[str, ...]
    handler: Handler
    summary: str               # an N_() message id, translated at display time
    usage: str = ""            # argument synopsis, e.g. "<zone | city | country>"
    admin: bool = False

    @property
    def name(self) -> str:
        return " ".join(self.path)


COMMANDS: dict[tuple[str, ...], CommandSpec] = {}


def command(path: str, summary: str, usage: str = "", admin: bool = False) -> Callable[[Handler], Handler]:
    """Register a handler for '/path'. `summary` should be wrapped in N_() for the catalogs."""

    def register(handler: Handler) -> Handler:
        key = tuple(path.split())
        if key in COMMANDS and COMMANDS[key].handler is not handler:
            raise RuntimeError(f"command /{path} registered twice")
        COMMANDS[key] = CommandSpec(key, handler, summary, usage, admin)
        return handler

    return register


ActionHandler = Callable[[Context, str, dict[str, str]], Reply]
ACTIONS: dict[str, ActionHandler] = {}


def action(name: str) -> Callable[[ActionHandler], ActionHandler]:
    """Register a handler for a button press or form submission with this action id."""

    def register(handler: ActionHandler) -> ActionHandler:
        ACTIONS[name] = handler
        return handler

    return register


def top_level_commands() -> list[str]:
    return sorted({spec.path[0] for spec in COMMANDS.values()})


def subcommands(top: str) -> list[CommandSpec]:
    return sorted((s for s in COMMANDS.values() if s.path[0] == top), key=lambda s: s.path)


def split_words(text: str, tr: Translator) -> list[str]:
    if len(text) > MAX_INPUT:
        raise UserError(tr._("That is too long ({n} characters); the limit is {limit}.",
                             n=tr.number(len(text)), limit=tr.number(MAX_INPUT)))
    # Slack and phones turn "quotes" into “smart quotes”; only double quotes group words, so that
    # apostrophes in free text ("I'm out on Friday") need no escaping.
    lexer = shlex.shlex(text.translate(_SMART_QUOTES), posix=True)
    lexer.whitespace_split = True
    lexer.quotes = '"'
    lexer.escape = ""
    lexer.commenters = ""
    try:
        return list(lexer)
    except ValueError:
        raise UserError(tr._("A quotation mark is not closed. Put text with spaces in \"double quotes\".")) from None


_SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "’": "'", "‘": "'"})


def resolve(words: Sequence[str]) -> tuple[CommandSpec | None, list[str]]:
    """The registered command with the longest matching prefix of `words`, and the words after it."""
    lowered = [w.casefold() for w in words]
    for length in range(min(len(words), 4), 0, -1):
        spec = COMMANDS.get(tuple(lowered[:length]))
        if spec is not None:
            return spec, list(words[length:])
    return None, list(words)


def explain_time_error(tr: Translator, error: TimeError) -> str:
    """A TimeError from bot.time, said plainly in the reader's language."""
    p = error.params
    if error.code == "unknown_zone":
        return tr._("I don't know the time zone “{zone}”. Try an IANA name like Europe/Berlin, a city like Kathmandu, or a country with one zone.", zone=p.get("zone", ""))
    if error.code == "ambiguous_zone":
        candidates = [str(c) for c in p.get("candidates", ())]  # type: ignore[union-attr]
        return tr._("“{zone}” could mean several zones: {candidates}. Please pick one.",
                    zone=p.get("zone", ""), candidates=tr.list(candidates, style="or"))
    if error.code == "nonexistent_time":
        local = p["local"]
        return tr._("{time} does not exist on {date} in {zone}: the clocks jump forward then. Pick a time outside the gap.",
                    time=tr.time(local), date=tr.date(local), zone=p.get("zone", ""))  # type: ignore[arg-type]
    if error.code == "ambiguous_time":
        first, second = p["first"], p["second"]
        return tr._("{time} happens twice on {date} in {zone} (clocks go back): first at UTC{first}, then at UTC{second}. Add “first” or “second”.",
                    time=tr.time(first), date=tr.date(first), zone=p.get("zone", ""),  # type: ignore[arg-type]
                    first=format_offset(offset_of(first)), second=format_offset(offset_of(second)))
    if error.code == "bad_time":
        return tr._("“{text}” is not a time I understand. Try 15:00, 3pm or 9:30am.", text=str(p.get("text", ""))[:40])
    if error.code == "bad_hours":
        return tr._("“{text}” is not a range of hours. Try 09:00-17:00.", text=str(p.get("text", ""))[:40])
    if error.code == "bad_days":
        return tr._("“{text}” is not a list of weekdays. Try mon,tue,wed,thu,fri or sun-thu.", text=str(p.get("text", ""))[:40])
    if error.code == "bad_date":
        return tr._("“{text}” is not a date I understand. Try 2026-12-24, today, tomorrow or a weekday.", text=str(p.get("text", ""))[:40])
    if error.code == "date_out_of_range":
        return tr._("“{text}” is outside the dates I work with: {first} to {last}.", text=str(p.get("text", ""))[:40],
                    first=str(p.get("first", "")), last=str(p.get("last", "")))
    if error.code == "unknown_country":
        return tr._("“{text}” is not a country I know. Try a code like DE, IN or BR, or a name like Germany.",
                    text=str(p.get("text", ""))[:40])
    if error.code == "offset_without_zone":
        candidates = [str(c) for c in p.get("candidates", ())]  # type: ignore[union-attr]
        offset = format_offset(p["offset"])  # type: ignore[arg-type]
        return tr._("UTC{offset} is not a whole-hour offset I can keep fixed. Zones at that offset: {candidates}. Please pick one.",
                    offset=offset, candidates=tr.list(candidates, style="or"))
    if error.code == "bad_duration":
        return tr._("“{text}” is not a duration. Try 30m, 1h or 1h30m.", text=str(p.get("text", ""))[:40])
    return tr._("“{text}” is not a valid date and time.", text=str(p.get("text", ""))[:40])


MAX_ROW_ID = 2**31 - 1   # Integer primary keys are 32-bit on PostgreSQL


def row_id(text: str) -> int | None:
    """A database id carried by a button value or typed by a member; None when it cannot be one.

    Beware `str.isdigit()`: it accepts superscripts ("²") that int() rejects, and a number beyond the
    key's range makes SQLite (OverflowError) and PostgreSQL (out of range) fail instead of finding nothing.
    """
    text = text.strip()
    if not (text.isascii() and text.isdecimal()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ROW_ID else None


HELP_SUMMARY = N_("List the commands")
