"""Operator subcommands: `meridian config`, `meridian doctor` and `meridian db copy`.

Registered through `adapters.cli._registrations`; the work itself lives in `adapters/doctor.py`
and `adapters/dbcopy.py`, so this file stays a table of contents.
"""
from __future__ import annotations

import argparse
import json

from bot.config import Settings, environment_markdown


def register(sub: argparse._SubParsersAction, db_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    config = sub.add_parser(
        "config", help="Print the settings in effect (secrets only as set/unset)",
        description="Print the configuration Meridian reads from the environment, with every secret shown "
                    "only as (set) or (unset). With --markdown, print the README's table of variables instead.")
    config.add_argument("--markdown", action="store_true", help="print the table of every variable (name, default, meaning)")
    config.set_defaults(func=cmd_config)


def cmd_config(args: argparse.Namespace) -> int:
    if args.markdown:
        print(environment_markdown())
        return 0
    print(json.dumps(Settings.from_env().redacted(), indent=2, default=str))
    return 0
