"""`meridian calendars sync [--workspace W]`: read every connected calendar now and print what changed.

For admins (a member says their vacation does not show) and for tests. The scheduler's
`calendar_poll` does the same on its own schedule; this does not wait for it. Output names members
and dates only: never a feed address, never an event's title.
"""
from __future__ import annotations

import argparse

from sqlalchemy import select

from bot.calendars.sync import SyncResult, feeds_of, sync_feed
from bot.models import Workspace
from bot.time import Clock, SystemClock
from operations.cli import add_db_option, open_database, settings_from


def register(sub: argparse._SubParsersAction, db_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    calendars = sub.add_parser("calendars", help="Members' calendar feeds", description="Members' calendar feeds.")
    calendars_sub = calendars.add_subparsers(dest="calendars_command", metavar="ACTION", required=True)
    sync = calendars_sub.add_parser(
        "sync", help="Read every connected calendar now and print what changed",
        description="Fetch every member's calendar feed now (conditional requests, the same safety rules as the "
                    "scheduler), store its time off and busy hours, and print per member what changed. "
                    "Exits 1 when a feed failed.")
    sync.add_argument("--workspace", metavar="ID", help="only this workspace (Slack team id, Discord guild id or console name)")
    add_db_option(sync)
    sync.set_defaults(func=cmd_sync)


def describe(result: SyncResult) -> str:
    """One line per member: 'amara: +2026-12-21..2026-12-24, -2026-11-02..2026-11-02; 14 busy blocks'."""
    who = result.member.display_name
    if result.error:
        return f"{who}: failed ({result.error})"
    if result.unchanged:
        return f"{who}: unchanged (not modified)"
    changes = [f"+{start}..{end}" for start, end in result.added] + [f"-{start}..{end}" for start, end in result.removed]
    return f"{who}: {', '.join(changes) or 'no change in time off'}; {result.busy_blocks} busy blocks"


def run_sync(args: argparse.Namespace, clock: Clock | None = None) -> tuple[list[str], bool]:
    settings = settings_from(args)
    db = open_database(args, settings)
    now = (clock or SystemClock()).now()
    lines, failed = [], False
    with db.session() as session:
        workspace_id = None
        if args.workspace:
            workspace_id = session.scalar(select(Workspace.id).where(Workspace.external_id == args.workspace))
            if workspace_id is None:
                return [f"No workspace {args.workspace!r}."], True
        for feed in feeds_of(session, workspace_id):
            result = sync_feed(session, feed, settings, now)
            failed = failed or result.error is not None
            lines.append(describe(result))
    return lines or ["No calendar is connected."], failed


def cmd_sync(args: argparse.Namespace) -> int:
    lines, failed = run_sync(args)
    print("\n".join(lines))
    return 1 if failed else 0
