"""`meridian export --workspace ID` and `meridian db purge`: a workspace's data out, an uninstalled one's gone.

The work lives in `bot.privacy` (platform-free); this module only parses arguments and writes files.
Registered through `operations.cli._registrations`.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from bot.time.clock import SystemClock
from bot.config import Settings
from bot.models import Workspace
from bot.privacy import export_workspace, purge_uninstalled
from bot.store import Database

from operations.cli import add_db_option


def register(sub: argparse._SubParsersAction, db_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    export = sub.add_parser(
        "export", help="Write every row of one workspace as JSON (data portability)",
        description="Write one workspace's data (members, time off, standups and answers, coffee rounds, meetings, "
                    "due work and sent-message records) as one JSON document: {\"format\", \"exported_at\", "
                    "\"workspace\", \"tables\": {table: [rows]}}. Dates and times are ISO 8601 (UTC with Z). "
                    "Platform tokens are never exported.")
    export.add_argument("--workspace", required=True, metavar="ID",
                        help="the Slack team id, Discord guild id or console workspace name")
    export.add_argument("--platform", choices=("slack", "discord", "console"),
                        help="the workspace's platform (needed only when the id exists on several)")
    export.add_argument("--out", metavar="FILE", help="write to FILE (default: standard output)")
    add_db_option(export)
    export.set_defaults(func=cmd_export)

    purge = db_sub.add_parser(
        "purge", help="Delete the data of workspaces uninstalled longer ago than the grace period",
        description="Delete every workspace whose app was uninstalled more than MERIDIAN_UNINSTALL_GRACE_DAYS "
                    "days ago, with all its data. `meridian serve` does this by itself every hour; this runs it now.")
    add_db_option(purge)
    purge.set_defaults(func=cmd_purge)


def cmd_export(args: argparse.Namespace) -> int:
    settings = Settings.from_env(database_url=args.db)
    db = Database(settings.database_url)
    try:
        with db.session() as session:
            query = select(Workspace).where(Workspace.external_id == args.workspace)
            if args.platform:
                query = query.where(Workspace.platform == args.platform)
            found = list(session.scalars(query))
            if len(found) != 1:
                known = ", ".join(f"{w.platform}:{w.external_id}" for w in session.scalars(
                    select(Workspace).order_by(Workspace.platform, Workspace.external_id))) or "none"
                problem = "is on several platforms; add --platform" if found else "does not exist"
                print(f"Nothing was exported: workspace {args.workspace!r} {problem} (known: {known}).", file=sys.stderr)
                return 2
            document = export_workspace(session, found[0], SystemClock().now())
    finally:
        db.dispose()
    text = json.dumps(document, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    if not args.out:
        sys.stdout.write(text)
        return 0
    _write_private(Path(args.out), text)
    rows = sum(len(rows) for rows in document["tables"].values())
    print(f"Exported {rows} rows of {found[0].platform} workspace {args.workspace} to {args.out}.", file=sys.stderr)
    return 0


def _write_private(path: Path, text: str) -> None:
    """Personal data: readable by the owner only, and never a half-written file (write, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def cmd_purge(args: argparse.Namespace) -> int:
    settings = Settings.from_env(database_url=args.db)
    db = Database(settings.database_url)
    try:
        with db.session() as session:
            gone = purge_uninstalled(session, SystemClock().now(), timedelta(days=settings.uninstall_grace_days))
    finally:
        db.dispose()
    for platform, external_id in gone:
        print(f"Deleted {platform} workspace {external_id} (uninstalled more than {settings.uninstall_grace_days} days ago).")
    if not gone:
        print(f"No workspace was uninstalled more than {settings.uninstall_grace_days} days ago; nothing deleted.")
    return 0
