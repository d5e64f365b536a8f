"""The `meridian` command: the composition root that wires settings, database, core, scheduler and adapters.

Each subcommand is a small function; every one has --help. The larger ones (simulate, serve, the
operator's config/doctor/db copy, export and purge) live in their own modules of this package and are
added by their `register` functions, so this file stays a table of contents.
"""
from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path
from typing import Callable, Sequence

from alembic.util.exc import CommandError
from sqlalchemy.exc import SQLAlchemyError

from bot.config import ConfigError, Settings
from bot.core import Meridian
from bot.store import Database, UnknownRevisionError

Subcommand = Callable[[argparse.Namespace], int]


def settings_from(args: argparse.Namespace) -> Settings:
    return Settings.from_env(database_url=getattr(args, "db", None))


def open_database(args: argparse.Namespace, settings: Settings | None = None) -> Database:
    """The database named by --db / MERIDIAN_DATABASE_URL, with pending migrations applied."""
    settings = settings or settings_from(args)
    return Database(settings.database_url)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy database URL (default: MERIDIAN_DATABASE_URL, "
                        "else a SQLite file in your data directory)")


# --- shell ---------------------------------------------------------------------------------------

def cmd_shell(args: argparse.Namespace) -> int:
    from adapters.console.shell import ConsoleShell
    from bot.demo import seed_demo

    demo_dir = None
    if args.demo and not args.db:
        # The demo never writes into the database `meridian serve` would use, and every run starts afresh.
        demo_dir = tempfile.TemporaryDirectory(prefix="meridian-demo-")
        args.db = f"sqlite:///{Path(demo_dir.name) / 'demo.db'}"
    settings = settings_from(args)
    db = open_database(args, settings)
    if args.demo:
        with db.session() as session:
            seed_demo(session, args.workspace)
    user = args.user or ("amara" if args.demo else "me")
    shell = ConsoleShell(Meridian(db, settings=settings), user_id=user, workspace=args.workspace, locale=args.locale)
    if sys.stdin.isatty():
        intro = f"Meridian shell — you are '{user}' in workspace '{args.workspace}'. Type /help, or quit."
        if args.demo:
            intro += "\nDemo team loaded: try /time, /when 3pm tomorrow @hana, /tz set Kathmandu."
        shell.say(intro)
    try:
        return shell.run(sys.stdin)
    finally:
        db.dispose()
        if demo_dir is not None:
            demo_dir.cleanup()


# --- import --------------------------------------------------------------------------------------

def cmd_import(args: argparse.Namespace) -> int:
    from bot.teamfile import ImportError_, import_file

    db = open_database(args)
    try:
        with db.session() as session:
            result = import_file(session, Path(args.file), platform=args.platform, workspace_external_id=args.workspace)
    except ImportError_ as error:
        print(f"Nothing was imported from {args.file}:", file=sys.stderr)
        for line in error.errors:
            print(f"  {line}", file=sys.stderr)
        return 2
    print(f"Imported {args.file}: {result.created} members created, {result.updated} updated, "
          f"{result.away_added} time-off periods added.")
    return 0


# --- db ------------------------------------------------------------------------------------------

def cmd_db_upgrade(args: argparse.Namespace) -> int:
    db = open_database(args)  # opening applies pending migrations
    print(f"Database is up to date ({db.engine.url.render_as_string(hide_password=True)}).")
    return 0


# --- wiring --------------------------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="meridian", description="Meridian: a team bot for time zones, holidays and cultures.")
    parser.add_argument("--log-level", default=None, help="DEBUG, INFO, WARNING or ERROR")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    shell = sub.add_parser("shell", help="Run the bot in this terminal (no tokens needed)",
                           description="Read slash-command lines from stdin and print the bot's replies.")
    shell.add_argument("--user", help="your member id (default: 'me', or 'amara' with --demo)")
    shell.add_argument("--workspace", default="default", help="console workspace id (default: %(default)s)")
    shell.add_argument("--demo", action="store_true", help="start with the demo team, in a throwaway database unless --db names one")
    shell.add_argument("--locale", help="language to answer in when your profile has none")
    add_db_option(shell)
    shell.set_defaults(func=cmd_shell)

    importer = sub.add_parser("import", help="Load or update a workspace from a team file (TOML, or CSV of members)",
                              description="Validate the whole file, then import it; on any error nothing is imported.")
    importer.add_argument("file", help="team file (.toml) or member list (.csv)")
    importer.add_argument("--workspace", default="default", help="workspace id (default: %(default)s)")
    importer.add_argument("--platform", default="console", choices=("console", "slack", "discord"),
                          help="platform of the workspace (default: %(default)s)")
    add_db_option(importer)
    importer.set_defaults(func=cmd_import)

    db = sub.add_parser("db", help="Database maintenance", description="Database maintenance.")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_sub.add_parser("upgrade", help="Apply pending migrations", description="Apply pending Alembic migrations.")
    add_db_option(upgrade)
    upgrade.set_defaults(func=cmd_db_upgrade)

    for register in _registrations():
        register(sub, db_sub)
    return parser


def _registrations() -> list[Callable[[argparse._SubParsersAction, argparse._SubParsersAction], None]]:  # type: ignore[type-arg]
    """Subcommands contributed by the other modules of this package."""
    from operations import admin, calendars, data_rights, detect_times, serve, simulate_cli

    return [simulate_cli.register, serve.register, admin.register, data_rights.register, detect_times.register,
            calendars.register]


def _log_level(flag: str | None) -> str:
    """--log-level, else MERIDIAN_LOG_LEVEL; a bad setting must not crash here (`meridian doctor` explains it)."""
    try:
        wanted = (flag or Settings.from_env().log_level).upper()
    except ConfigError:
        return "INFO"
    return wanted if isinstance(logging.getLevelName(wanted), int) else "INFO"


DATABASE_PROBLEM = 1


def _database_urls(args: argparse.Namespace) -> list[str]:
    """The databases a subcommand used: --to (`db copy`'s target), then --db or the configured one."""
    try:
        configured: str | None = settings_from(args).database_url
    except ConfigError:
        configured = getattr(args, "db", None)
    return [url for url in (getattr(args, "to", None), configured) if url]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=_log_level(args.log_level), stream=sys.stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        return int(args.func(args) or 0)
    except ConfigError as error:
        print(f"Configuration error: {error}", file=sys.stderr)
        return 2
    except (SQLAlchemyError, UnknownRevisionError, CommandError) as error:
        # Unreachable, a malformed --db, a database a newer Meridian migrated: one line and the fix, never
        # a traceback. The exit code is `meridian doctor`'s for a failed check.
        from operations.doctor import explain_database_error

        print(explain_database_error(error, _database_urls(args)), file=sys.stderr)
        return DATABASE_PROBLEM
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
