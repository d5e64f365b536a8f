"""Operator subcommands: `meridian config`, `meridian doctor` and `meridian db copy`.

Registered through `operations.cli._registrations`; the work itself lives in `operations/doctor.py`
and `operations/dbcopy.py`, so this file stays a table of contents.
"""
from __future__ import annotations

import argparse
import json
import sys

from bot.config import Settings, environment_markdown


def register(sub: argparse._SubParsersAction, db_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    config = sub.add_parser(
        "config", help="Print the settings in effect (secrets only as set/unset)",
        description="Print the configuration Meridian reads from the environment, with every secret shown "
                    "only as (set) or (unset). With --markdown, print the README's table of variables instead.")
    config.add_argument("--markdown", action="store_true", help="print the table of every variable (name, default, meaning)")
    config.set_defaults(func=cmd_config)

    doctor = sub.add_parser(
        "doctor", help="Check configuration, database, migrations and platform credentials",
        description="Check the settings, that the database answers and its migrations are applied, that stored "
                    "tokens can be decrypted, and that the Slack and Discord credentials are complete and work. "
                    "Says what is wrong and how to fix it; exits 1 when something must be fixed. Changes nothing.")
    doctor.add_argument("--offline", action="store_true", help="do not contact Slack (shape checks only)")
    doctor.add_argument("--db", metavar="URL", help="database URL to check (default: MERIDIAN_DATABASE_URL)")
    doctor.set_defaults(func=cmd_doctor)

    copy = db_sub.add_parser(
        "copy", help="Copy a workspace (or everything) to another database, e.g. SQLite to PostgreSQL",
        description="Copy every row of one workspace, or of all of them, from this database (--db, else "
                    "MERIDIAN_DATABASE_URL) to the database at --to, which is migrated first. Ids are kept; "
                    "the copy is one transaction, so on any error nothing is written. A workspace the target "
                    "already has, or ids it already uses, are refused. Stop Meridian before copying.")
    copy.add_argument("--to", required=True, metavar="URL", help="target database, e.g. postgresql+psycopg://user:pw@host/meridian")
    copy.add_argument("--workspace", metavar="ID", help="only this workspace: its id, platform:external_id "
                      "(slack:T0123) or external id (default: every workspace)")
    copy.add_argument("--db", metavar="URL", help="source database (default: MERIDIAN_DATABASE_URL, else the SQLite file "
                      "in your data directory)")
    copy.set_defaults(func=cmd_db_copy)


def cmd_doctor(args: argparse.Namespace) -> int:
    from operations.doctor import FAIL, diagnose, render

    findings = diagnose(database_url=args.db, online=not args.offline)
    print(render(findings))
    return 1 if any(f.level == FAIL for f in findings) else 0


def cmd_db_copy(args: argparse.Namespace) -> int:
    from operations.dbcopy import CopyError, copy_database
    from bot.store import Database

    source = Database(Settings.from_env(database_url=args.db).database_url)     # migrated: same schema
    target = Database(args.to)
    shown = {name: db.engine.url.render_as_string(hide_password=True) for name, db in (("from", source), ("to", target))}
    try:
        report = copy_database(source.engine, target.engine, args.workspace)
    except CopyError as error:
        print(f"Nothing was copied: {error}", file=sys.stderr)
        return 1
    finally:
        source.dispose()
        target.dispose()
    names = ", ".join(f"{platform}:{external} (id {id_})" for id_, platform, external in report.workspaces) or "none"
    print(f"Copied {len(report.workspaces)} workspace(s) from {shown['from']} to {shown['to']}: {names}")
    width = max(len(name) for name in report.counts)
    for table, rows in report.counts.items():
        print(f"  {table:<{width}}  {rows:>8}")
    if report.skipped:
        print(f"  not copied (no workspace data; rebuilt by themselves): {', '.join(report.skipped)}")
    print(f"{report.total} rows in one transaction; the target's count matched the source in every table.")
    print("Next: point MERIDIAN_DATABASE_URL at the target, with the same MERIDIAN_SECRET_KEY, and start Meridian there.")
    return 0


def cmd_config(args: argparse.Namespace) -> int:
    if args.markdown:
        print(environment_markdown())
        return 0
    print(json.dumps(Settings.from_env().redacted(), indent=2, default=str))
    return 0
