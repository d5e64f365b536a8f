"""`meridian detect-times`: the time detector's public contract (bot/conversion), as JSON lines on stdin/stdout."""
from __future__ import annotations

import argparse
import sys

from bot.conversion.cli_contract import run


def register(sub: argparse._SubParsersAction, _db_sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser(
        "detect-times", help="Find the clock times in chat messages (JSON lines on stdin, one answer line each)",
        description="Reads JSON lines {\"text\", \"zone\", \"locale\", \"at\"} on stdin and writes one line "
                    "{\"times\": [{\"text\", \"start\", \"end\", \"utc\", \"zone\", \"note\"}]} per message. "
                    "See docs/CONVERSION.md.")
    parser.set_defaults(func=lambda _args: run(sys.stdin, sys.stdout))
