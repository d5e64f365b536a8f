"""The one door into the core. Adapters turn platform events into these requests and render the Reply.

    adapter ──CommandRequest──▶ Meridian.handle ──▶ router ──▶ capability handler ──▶ Reply ──▶ adapter

Each request is one unit of work: committed when the handler succeeds, rolled back when it raises,
so bad input never changes anything.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session

from bot import features  # noqa: F401  (registers every command, action and table)
from bot.time.clock import Clock, SystemClock
from bot.config import Settings
from bot.i18n import Translator
from bot.observe import NO_OBSERVER, Observer
from bot.reply import Reply
from bot.members import Identity, apply_platform_hints, ensure_member, ensure_workspace
from bot.router import (ACTIONS, COMMANDS, Args, Context, UserError, explain_time_error, resolve, split_words)
from bot.store import Database
from bot.text import clean_input, one_line
from bot.time import TimeError

log = logging.getLogger(__name__)


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
        started, outcome = time.perf_counter(), "ok"
        try:
            with self.db.session() as session:
                ctx = self.context(session, who)
                tr = ctx.tr
                reply = body(ctx)
                reply.rtl = reply.rtl or tr.rtl
                return reply
        except UserError as error:
            outcome = "rejected"
            return Reply(text=error.message, error=True, rtl=tr.rtl)
        except TimeError as error:
            outcome = "rejected"
            return Reply(text=explain_time_error(tr, error), error=True, rtl=tr.rtl)
        except (OperationalError, InterfaceError) as error:
            # The database is down, unreachable or locked: not a bug, and retrying later will work.
            outcome = "unavailable"
            log.warning("database unavailable: %s", _first_line(error.orig or error),
                        extra={"platform": who.platform, "workspace": who.workspace_id})
            return Reply(text=tr._("I can't reach my database right now, so nothing was changed. Please try again in a minute."),
                         error=True, rtl=tr.rtl)
        except Exception:
            outcome = "error"
            log.exception("command failed", extra={"platform": who.platform, "workspace": who.workspace_id})
            return Reply(text=tr._("Something went wrong on my side and nothing was changed. Please try again."),
                         error=True, rtl=tr.rtl)
        finally:
            self.observer.command_handled(kind, label, time.perf_counter() - started, outcome)

    # --- identities --------------------------------------------------------------------------
    def context(self, session: Session, who: Identity) -> Context:
        workspace = ensure_workspace(session, who.platform, who.workspace_id, who.workspace_name)
        member = ensure_member(session, workspace, who)
        tr = Translator(member.locale or who.locale or workspace.locale)
        return Context(session=session, workspace=workspace, member=member, clock=self.clock, tr=tr,
                       settings=self.settings, channel=who.channel, platform_admin=who.is_admin)

    def observe_profile(self, who: Identity) -> None:
        """A platform told us about a member (Slack users.info, user_change): update what they did not set."""
        with self.db.session() as session:
            workspace = ensure_workspace(session, who.platform, who.workspace_id, who.workspace_name)
            member = ensure_member(session, workspace, who)
            apply_platform_hints(member, who)
            workspace.needs_replan = True

    def now(self) -> datetime:
        return self.clock.now()


def _first_line(error: BaseException) -> str:
    """A driver error without the SQL and parameters SQLAlchemy appends (they may hold what a member typed)."""
    return (str(error).strip().splitlines() or [type(error).__name__])[0][:300]


def _command_label(text: str) -> str:
    """The top-level command a line asks for, if it is one we have: a metric label must never be free text."""
    first = text.split(None, 1)[0].casefold() if text.strip() else "help"
    return first if any(path[0] == first for path in COMMANDS) else "unknown"
