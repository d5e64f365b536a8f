"""The standup CSV: exactly the rows the standups page shows for the same filters, one row per answer day.

Columns: date, channel, user id, name, status (answered | skipped), submitted (the reader's local
time, ISO 8601 with offset), edits, then question and answer pairs. A cell that a spreadsheet would
run as a formula (starting with =, +, -, @, tab or carriage return) is prefixed with an apostrophe.
"""
from __future__ import annotations

import csv
import io
from typing import Sequence

from bot.reports.standups import StandupEntry
from bot.time import to_local

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
BASE_COLUMNS = ["date", "channel", "user_id", "name", "status", "submitted", "edits"]


def cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def header(width: int) -> list[str]:
    columns = list(BASE_COLUMNS)
    for i in range(1, width + 1):
        columns += [f"question_{i}", f"answer_{i}"]
    return columns


def entry_row(entry: StandupEntry, zone: str, width: int) -> list[str]:
    submitted = entry.row.submitted_at
    row = [entry.day.isoformat(), entry.standup.channel, entry.member.user_id, entry.member.display_name,
           "skipped" if entry.skipped else "answered",
           to_local(submitted, zone).replace(microsecond=0).isoformat() if submitted else "", str(entry.row.edits)]
    for i in range(width):
        row += [entry.questions[i] if i < len(entry.questions) else "", entry.answers[i] if i < len(entry.answers) else ""]
    return [cell(v) for v in row]


def standups_csv(entries: Sequence[StandupEntry], zone: str) -> str:
    width = max([len(e.questions) for e in entries] + [len(e.answers) for e in entries] + [3])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header(width))
    for entry in entries:
        writer.writerow(entry_row(entry, zone, width))
    return out.getvalue()
