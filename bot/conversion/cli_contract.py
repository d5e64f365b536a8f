"""`meridian detect-times`: the detector's public contract, JSON lines in, JSON lines out.

Each input line is one message: `{"text": …, "zone": "Europe/Berlin", "locale": "de", "at": "2026-03-23T09:15:00Z"}`
(`zone`: the author's IANA zone; `locale`: theirs, default "en"; `at`: when it was sent, ISO 8601 UTC).
Each output line answers the input line at the same position:

    {"times": [{"text": "3pm CET", "start": 14, "end": 21, "utc": "2026-03-24T14:00:00Z",
                "zone": "Europe/Berlin", "note": null}]}

`utc` is null when the instant would be a guess (an ambiguous abbreviation, am or pm unknown, a DST gap
or overlap, "your time"); `note` then says why. A line that is not such an object is answered with
`{"times": [], "error": "…"}` and the exit status is 1; a blank line is answered `{"times": []}`, so
output line N always answers input line N. Nothing is logged: the messages are members' words.
"""
from __future__ import annotations

import json
from typing import IO

from bot.conversion.detect import detect_times
from bot.time import TimeError, parse_instant


def answer(line: str) -> dict[str, object]:
    """The output object for one input line; raises ValueError for a malformed one."""
    try:
        message = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON: {error.msg}") from None
    if not isinstance(message, dict):
        raise ValueError("not a JSON object")
    text, zone, locale, at = (message.get(k) for k in ("text", "zone", "locale", "at"))
    if not isinstance(text, str):
        raise ValueError("'text' must be a string")
    if zone is not None and not isinstance(zone, str):
        raise ValueError("'zone' must be an IANA zone name or null")
    if locale is not None and not isinstance(locale, str):
        raise ValueError("'locale' must be a string or null")
    if not isinstance(at, str):
        raise ValueError("'at' must be an ISO 8601 UTC instant, e.g. 2026-03-23T09:15:00Z")
    try:
        sent = parse_instant(at)
    except TimeError:
        raise ValueError(f"'at' is not an ISO 8601 instant with a zone: {at[:40]}") from None
    times = detect_times(text, zone=zone or None, locale=locale or "en", at=sent)
    return {"times": [t.to_json() for t in times]}


def run(stdin: IO[str], stdout: IO[str]) -> int:
    """Answer every line of `stdin` on `stdout`, one JSON line each, in order; 1 if any line was malformed."""
    status = 0
    for line in stdin:
        if not line.strip():
            stdout.write('{"times": []}\n')
            continue
        try:
            out = answer(line)
        except ValueError as error:
            out = {"times": [], "error": str(error)}
            status = 1
        stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        stdout.flush()
    return status
