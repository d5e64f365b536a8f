"""The one door into the core. Adapters turn platform events into these requests and render the Reply.

    adapter ──CommandRequest──▶ Meridian.handle ──▶ router ──▶ capability handler ──▶ Reply ──▶ adapter

Each request is one unit of work: committed when the handler succeeds, rolled back when it raises,
so bad input never changes anything. The Reply also says who it is for (the reader's language, and
whether we know their zone), so an adapter never reads the member itself.

What a platform tells us outside a request comes through here too: a member's profile changed, the app
was installed in or removed from a workspace, an OAuth state, a webhook retry. Adapters hold no
database code of their own.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Sequence

from sqlalchemy import inspect
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from bot import features  # noqa: F401  (registers every command, action and table)
from bot import installations
from bot.conversion import channels as conversion
from bot.time.clock import Clock, SystemClock
from bot.config import Settings
from bot.i18n import Translator, normalize_locale
from bot.observe import NO_OBSERVER, Observer
from bot.reply import Reply
from bot.members import Identity, apply_platform_hints, ensure_member, ensure_workspace, find_member, find_workspace
from bot.router import (ACTIONS, COMMANDS, Args, Context, UserError, explain_time_error, resolve, split_words)
from bot.store import Database
from bot.text import clean_input, one_line
from bot.time import TimeError

log = logging.getLogger(__name__)

ConversionAnswer = conversion.ChannelAnswer


@dataclass(frozen=True)
class CommandRequest:
    who: Identity
    text: str                        # "/tz set Kathmandu" or "tz set Kathmandu"


@dataclass(frozen=True)
class ActionRequest:
    who: Identity
    action: str                      # a Button.action or Form.action
    value: str = ""
    fields: dict[str, str] = field(default_factory=dict)


class Meridian:
    """The bot without a platform: handles commands and actions against the database and a clock."""

    def __init__(self, db: Database, clock: Clock | None = None, settings: Settings | None = None,
                 observer: Observer | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.settings = settings or Settings.from_env()
        self.observer = observer or NO_OBSERVER      # told how long each answer took (metrics)

    # --- entry points ----------------------------------------------------------------------------
    def handle(self, request: CommandRequest) -> Reply:
        text = clean_input(request.text)
        if text.startswith("/"):
            text = text[1:]
        return self._run(request.who, lambda ctx: self._dispatch(ctx, text), "command", _command_label(text))

    def handle_action(self, request: ActionRequest) -> Reply:
        def run(ctx: Context) -> Reply:
            handler = ACTIONS.get(request.action)
            if handler is None:
                raise UserError(ctx.tr._("That button is no longer active."))
            return handler(ctx, request.value, {k: clean_input(v) for k, v in request.fields.items()})
        return self._run(request.who, run, "action", request.action if request.action in ACTIONS else "unknown")

    def _dispatch(self, ctx: Context, text: str) -> Reply:
        words = split_words(text, ctx.tr)
        if not words:
            words = ["help"]
        spec, rest = resolve(words)
        if spec is None:
            raise UserError(ctx.tr._("I don't know the command “/{name}”. Try /help.", name=one_line(words[0], 40)))
        if spec.admin:
            ctx.require_admin()
        return spec.handler(ctx, Args(rest, raw=" ".join(rest)))

    def _run(self, who: Identity, body, kind: str, label: str) -> Reply:  # type: ignore[no-untyped-def]
        tr = Translator(who.locale)
        zone_known = True                    # the database never answered: nothing to ask them
        started, outcome = time.perf_counter(), "ok"
        try:
            with self.db.session() as session:
                ctx = self.context(session, who)
                tr, zone_known = ctx.tr, ctx.member.tz_source != "default"
                reply = body(ctx)
                reply.rtl = reply.rtl or tr.rtl
                reply.locale, reply.zone_known = self._reader(ctx, who)
                return reply
        except UserError as error:
            outcome = "rejected"
            return _refusal(error.message, tr, zone_known)
        except TimeError as error:
            outcome = "rejected"
            return _refusal(explain_time_error(tr, error), tr, zone_known)
        except (OperationalError, InterfaceError) as error:
            # The database is down, unreachable or locked: not a bug, and retrying later will work.
            outcome = "unavailable"
            log.warning("database unavailable: %s", _first_line(error.orig or error),
                        extra={"platform": who.platform, "workspace": who.workspace_id})
            return _refusal(tr._("I can't reach my database right now, so nothing was changed. Please try again in a minute."),
                            tr, zone_known)
        except Exception:
            outcome = "error"
            log.exception("command failed", extra={"platform": who.platform, "workspace": who.workspace_id})
            return _refusal(tr._("Something went wrong on my side and nothing was changed. Please try again."),
                            tr, zone_known)
        finally:
            self.observer.command_handled(kind, label, time.perf_counter() - started, outcome)

    @staticmethod
    def _reader(ctx: Context, who: Identity) -> tuple[str, bool]:
        """The reader's language and whether we know their zone, as this unit of work leaves them: a reply
        to "/profile locale fr" is read in French, and after /forget-me we know nothing about them."""
        member = ctx.member
        if member in ctx.session.deleted or inspect(member).deleted:
            return normalize_locale(who.locale or ctx.workspace.locale), False
        return normalize_locale(member.locale or who.locale or ctx.workspace.locale), member.tz_source != "default"

    # --- identities --------------------------------------------------------------------------
    def context(self, session: Session, who: Identity) -> Context:
        workspace = ensure_workspace(session, who.platform, who.workspace_id, who.workspace_name)
        member = ensure_member(session, workspace, who)
        tr = Translator(member.locale or who.locale or workspace.locale)
        return Context(session=session, workspace=workspace, member=member, clock=self.clock, tr=tr,
                       settings=self.settings, channel=who.channel, platform_admin=who.is_admin)

    def observe_profile(self, who: Identity, *, known_only: bool = False) -> bool:
        """A platform told us about a member (Slack users.info, user_change): update what they did not set.
        With `known_only`, a member we have never met is left alone (a big workspace's profile changes must
        not create everyone); returns whether the member was updated."""
        with self.db.session() as session:
            if known_only and find_member(session, who.platform, who.workspace_id, who.user_id) is None:
                return False
            workspace = ensure_workspace(session, who.platform, who.workspace_id, who.workspace_name)
            member = ensure_member(session, workspace, who)
            apply_platform_hints(member, who)
            workspace.needs_replan = True
            return True

    # --- conversion: times written in channels (bot/conversion/, docs/CONVERSION.md) ------------------
    def message_said(self, who: Identity, text: str, *, sent_at: datetime, message_ref: str,
                     readers: Sequence[str] | None = None, own_clocks: bool = False) -> ConversionAnswer:
        """A message posted (or edited) in `who.channel` by `who`: the thread reply it should have now.
        Nothing is created, stored or logged for it; a channel where conversion is off gets no reply.
        `readers` are the channel's member ids when the platform told us (else the whole workspace);
        `own_clocks`: the platform shows each instant in its reader's zone (Discord), so no zone lines."""
        with self.db.session() as session:
            workspace = find_workspace(session, who.platform, who.workspace_id)
            if workspace is None or not who.channel:
                return ConversionAnswer()
            author = conversion.author_of(session, workspace, who.user_id, tz_hint=who.tz, locale_hint=who.locale)
            return conversion.message_said(session, workspace, who.channel, text, author=author, sent_at=sent_at,
                                           message_ref=message_ref, readers=readers, own_clocks=own_clocks)

    def conversion_replied(self, who: Identity, message_ref: str, reply_ref: str | None) -> None:
        """The adapter posted (or, with None, deleted) the thread reply to a message in `who.channel`."""
        with self.db.session() as session:
            workspace = find_workspace(session, who.platform, who.workspace_id)
            if workspace is not None and who.channel:
                conversion.reply_posted(session, workspace, who.channel, message_ref, reply_ref)

    def message_deleted(self, who: Identity, message_ref: str) -> str | None:
        """A message in `who.channel` was deleted: the ref of our thread reply to delete, if there is one."""
        with self.db.session() as session:
            workspace = find_workspace(session, who.platform, who.workspace_id)
            if workspace is None or not who.channel:
                return None
            return conversion.message_deleted(session, workspace, who.channel, message_ref)

    def read_times_for(self, who: Identity, text: str, *, sent_at: datetime, author_id: str | None,
                       author_tz: str | None = None) -> Reply:
        """A reader (`who`) asked what a message's times are for them: a private reply in their zone and language."""
        def run(ctx: Context) -> Reply:
            author = conversion.author_of(ctx.session, ctx.workspace, author_id, tz_hint=author_tz,
                                          locale_hint=ctx.tr.locale_id if author_id == who.user_id else None)
            return conversion.private_reading(text, author=author, sent_at=sent_at, reader=ctx.member, tr=ctx.tr)
        return self._run(who, run, "action", "read_times")

    # --- workspaces: installed, removed -----------------------------------------------------------
    def workspace_removed(self, platform: str, external_id: str, at: datetime | None = None) -> None:
        """The app was removed (uninstalled, kicked, token revoked): rituals stop and the data waits out
        the grace period. Workspaces are never created here, only on first contact."""
        with self.db.session() as session:
            installations.mark_removed(session, platform, external_id, at or self.now())

    def workspace_returned(self, platform: str, external_id: str) -> None:
        """The app is back in a workspace removed earlier: its data is theirs again and rituals resume."""
        with self.db.session() as session:
            installations.mark_removed(session, platform, external_id, None)

    def save_installation(self, platform: str, external_id: str, name: str, *, secret: str, installed_at: datetime,
                          enterprise_id: str | None = None, bot_user_id: str | None = None) -> None:
        """An OAuth install: the workspace (created if new, renamed when the platform gave a name) and its
        credentials, `secret` already encrypted by the caller. A reinstall replaces them."""
        with self.db.session() as session:
            workspace = ensure_workspace(session, platform, external_id, name)
            if name:
                workspace.name = name[:200]
            installations.save_installation(session, workspace, secret=secret, installed_at=installed_at,
                                            enterprise_id=enterprise_id, bot_user_id=bot_user_id)

    def installation_secret(self, platform: str, external_id: str) -> str | None:
        """The stored (encrypted) credentials of a workspace's installation, None when not installed."""
        with self.db.session() as session:
            found = installations.find_installation(session, platform, external_id)
            return found.secret if found is not None else None

    def delete_installation(self, platform: str, external_id: str) -> bool:
        with self.db.session() as session:
            return installations.delete_installation(session, platform, external_id)

    # --- platform plumbing: OAuth states, webhook retries and replays -----------------------------
    def issue_oauth_state(self, platform: str, state: str, expires_at: datetime, *, now: datetime | None = None) -> None:
        """Store a one-time OAuth state; with `now` (the issuer's clock), expired ones are dropped."""
        with self.db.session() as session:
            installations.issue_state(session, platform, state, expires_at, now)

    def consume_oauth_state(self, platform: str, state: str, now: datetime) -> bool:
        """True once for a state that was issued and has not expired."""
        with self.db.session() as session:
            return installations.consume_state(session, platform, state, now)

    def first_seen(self, platform: str, key: str, now: datetime, *, forget_old: bool = False) -> bool:
        """Record a webhook request key (a signature, an event id); True only the first time, on every
        replica. With `forget_old`, keys older than any platform retries and expired OAuth states are
        dropped in the same go."""
        with self.db.session() as session:
            first = installations.first_seen(session, platform, key, now)
            if forget_old:
                installations.forget_seen(session, now)
                installations.forget_expired_states(session, now)
            return first

    def now(self) -> datetime:
        return self.clock.now()


def _refusal(text: str, tr: Translator, zone_known: bool) -> Reply:
    """A request that changed nothing, answered in the reader's language."""
    return Reply(text=text, error=True, rtl=tr.rtl, locale=tr.locale_id, zone_known=zone_known)


def _first_line(error: BaseException) -> str:
    """A driver error without the SQL and parameters SQLAlchemy appends (they may hold what a member typed)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]


def _command_label(text: str) -> str:
    """The top-level command a line asks for, if it is one we have: a metric label must never be free text."""
    first = text.split(None, 1)[0].casefold() if text.strip() else "help"
    return first if any(path[0] == first for path in COMMANDS) else "unknown"
