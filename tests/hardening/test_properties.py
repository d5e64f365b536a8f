"""Property tests: whatever anyone types, Meridian answers clearly and bad input changes nothing.

Every registered command path (bot.router.COMMANDS, so a new command is covered the day it is
registered) and every button/form action (bot.router.ACTIONS) gets hypothesis-generated input:
random unicode with control characters, bidi marks, emoji and quotes, overlong lines, and
plausible words (dates, times, durations, @mentions, #channels, zones) in random order. It runs
through the real core on a workspace that has data in every table, as an admin and as a member.

The promises: never the "Something went wrong" answer of an unhandled exception; always a
non-empty reply; and when the reply is an error, not one row of the database changed. Commands
that legitimately accept anything (free-text notes) may succeed and change what they should.

The team-file importer (TOML and CSV) gets random and malformed files: it imports, or raises
ImportError_ whose every error names its place, and then nothing at all was written.
"""
from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any, Iterator

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.time.clock import SimulatedClock
from bot.config import Settings
from bot.core import ActionRequest, CommandRequest, Meridian
from bot.router import ACTIONS, COMMANDS
from bot.store import Database
from bot.teamfile import CSV_COLUMNS, ImportError_, import_file
from tests.conftest import DEFAULT_NOW
from tests.hardening.team import load_rich_team, who

GENERIC_FAILURE = "Something went wrong on my side"
EXAMPLES = 25
# Inputs that broke parsers before (tried on every command and button before the random ones):
# superscript digits pass str.isdigit() but not int(), huge numbers overflow integer columns.
KNOWN_BAD = ["", "²", "1²", "99999999999999999999", "2147483648", "-1", '"', "\u202e@ravi", "@nobody", "#nope", "x" * 2100]
PROPERTY = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                           HealthCheck.data_too_large])

# --- what people (and attackers) type --------------------------------------------------------------

TRICKY = ["\u202e", "\u200f", "\u2066", "\u200b", "\ufeff", "\x00", "\x1b[31m", "\r\n", "\t", "😀", "👩🏽‍💻", "🇩🇪",
          '"', "“", "”", "„", "«", "'", "\\", "`", "*", "_", "~", "|", "<@U1>", "<!channel>", "@everyone", "@here",
          "%s", "{name}", "{0}", "{", "}", "\u0301", "ﷺ", "ǅ", "İ", "ß", "\U0010ffff", "\ud7ff", "--", "-", "+", "0",
          "؟", "١٢:٣٠", "１５：００", "Ⅻ", "²", "①", "٣", "߅"]
WORDS = ["today", "tomorrow", "yesterday", "mon", "fri", "sun-thu", "mon,tue", "weekday", "2026-03-30", "2026-02-30",
         "2026-13-01", "9999-12-31", "0001-01-01", "1970-01-01", "03/30", "25:00", "09:30", "9:30am", "3pm", "24:00",
         "00:00", "12am", "1h", "90m", "1h30m", "0m", "-5", "1e9", "99999999999999999999", "NaN", "inf", "2", "3",
         "until", "weekly", "within", "days", "chart", "first", "second", "all", "none", "default", "everyone",
         "add", "remove", "on", "off", "time", "questions", "participants", "reminder", "summary", "channel", "day",
         "cadence", "overlap", "size", "name", "notes", "pronouns", "edit", "clear", "#standup", "#coffee", "#nope",
         "#", "@amara", "@ravi", "@lena", "@nobody", "@", "@@", "Europe/Berlin", "Kathmandu", "Asia/Kolkata",
         "UTC+5:45", "Etc/GMT+12", "America/Nowhere", "DE", "DE-BY", "BY", "xx", "ZZ", "us", "ja", "pt_BR", "klingon",
         "09:00-17:00", "17:00-09:00", "22:00-06:00", "1", "10", "1440", "1441", "2147483648",
         "99999999999999999999", "²", "1²", "٣"]

noise = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
word = st.one_of(st.sampled_from(WORDS), st.sampled_from(TRICKY), noise.filter(lambda s: s.strip() != ""))
phrase = st.lists(word, max_size=8).map(" ".join)
overlong = st.tuples(st.sampled_from(["a", "é", "😀", " ", "\u202e", '"', "@ravi "]),
                     st.integers(1900, 2200)).map(lambda t: t[0] * (t[1] // len(t[0])))
quoted = st.lists(word, min_size=1, max_size=4).map(lambda ws: " ".join(f'"{w}"' for w in ws))
ARGS = st.one_of(word, st.lists(word, max_size=3).map(" ".join), phrase, noise, quoted, overlong)
ASKERS = st.sampled_from(["amara", "ravi"])          # an admin, and a member who is not one


# --- the workspace -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """A SQLite file holding the rich team (built once per module; each test works on a copy)."""
    directory = tmp_path_factory.mktemp("rich")
    path = directory / "rich.db"
    shutil.copy(sqlite_template, path)
    db = Database(f"sqlite:///{path}", migrate=False)
    load_rich_team(Meridian(db, clock=SimulatedClock(DEFAULT_NOW), settings=Settings.from_env({})), directory, "M")
    db.dispose()
    return path


@pytest.fixture
def rich(template: Path, tmp_path: Path) -> Iterator[tuple[Meridian, Path]]:
    path = tmp_path / "rich.db"
    shutil.copy(template, path)
    db = Database(f"sqlite:///{path}", migrate=False)
    yield Meridian(db, clock=SimulatedClock(DEFAULT_NOW), settings=Settings.from_env({})), path
    db.dispose()


def rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, read over a separate connection (what another process would see)."""
    connection = sqlite3.connect(path)
    try:
        names = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {name: sorted(connection.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr) for name in names}
    finally:
        connection.close()


def check_answer(reply_text: str, reply: Any, before: dict[str, Any], path: Path, what: str) -> None:
    assert GENERIC_FAILURE not in reply_text, f"{what} crashed"
    assert reply_text.strip() or reply.form is not None, f"{what} gave an empty answer"
    if reply.error:
        assert rows(path) == before, f"{what} was refused ({reply_text!r}) but changed the database"


# --- commands and actions ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_any_arguments_get_a_clear_answer_and_a_refusal_changes_nothing(rich, path: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
    core, db_path = rich
    name = " ".join(path)

    def typed(args: str, asker: str, slash: bool) -> None:
        before = rows(db_path)
        reply = core.handle(CommandRequest(who(asker), f"{'/' if slash else ''}{name} {args}"))
        check_answer(reply.as_text(), reply, before, db_path, f"/{name} {args!r} as {asker}")

    for bad in KNOWN_BAD:
        typed(f"{bad} {bad}" if len(bad) < 100 else bad, "amara", True)
    PROPERTY(given(args=ARGS, asker=ASKERS, slash=st.booleans())(typed))()


FIELD_NAMES = ["time", "questions", "participants", "reminder", "summary", "a0", "a1", "a2", "ics", "title",
               "name", "pronunciation", "pronouns", "languages", "notes", "date", "duration"]
VALUES = st.one_of(ARGS, st.integers(-3, 10**6).map(str), st.integers(2**31 - 2, 10**30).map(str),
                   st.sampled_from(["1:2026-03-25", "1:2026-13-40", "x:y", "99999999999999999999:2026-03-25",
                                    "2147483648:2026-03-25", "²:2026-03-25", "1:²", "amara", "-1", "²", "١"]))


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_any_button_value_or_form_gets_a_clear_answer_and_a_refusal_changes_nothing(rich, name: str) -> None:  # type: ignore[no-untyped-def]
    core, db_path = rich

    def pressed(value: str, fields: dict[str, str], asker: str) -> None:
        before = rows(db_path)
        reply = core.handle_action(ActionRequest(who(asker), name, value, fields))
        check_answer(reply.as_text(), reply, before, db_path, f"{name} value={value!r} fields={fields!r} as {asker}")

    for bad in KNOWN_BAD:
        pressed(bad, {}, "amara")
        pressed(f"{bad}:2026-03-25", {field: bad for field in FIELD_NAMES}, "amara")
    PROPERTY(given(value=VALUES, fields=st.dictionaries(st.one_of(st.sampled_from(FIELD_NAMES), noise), VALUES,
                                                        max_size=6), asker=ASKERS)(pressed))()


def test_an_unknown_command_or_button_is_refused_plainly(rich) -> None:  # type: ignore[no-untyped-def]
    core, db_path = rich

    @PROPERTY
    @given(line=ARGS)
    def unknown(line: str) -> None:
        before = rows(db_path)
        reply = core.handle_action(ActionRequest(who("ravi"), line, line))
        check_answer(reply.as_text(), reply, before, db_path, f"action {line!r}")
        assert reply.error or line in ACTIONS

    unknown()


# --- the team file -----------------------------------------------------------------------------------------

PLACE = re.compile(r"(line \d+[,:] |not valid TOML: .*(line \d+|end of document)|\[.+\] is not a part|"
                   r"(workspace|members|away|standup|coffee|meetings)\b)")


def toml_string(text: str) -> str:
    escaped = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else "\\\\" if c == "\\"
                      else '\\"' if c == '"' else c for c in text)
    return f'"{escaped}"'


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if value == value and abs(value) != float("inf") else "nan"
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_string(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, Raw):
        return value.text
    return toml_string(str(value))


class Raw:
    """A TOML literal written as is (a date, a time, or something malformed)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


SCALAR = st.one_of(st.sampled_from(WORDS), noise, st.integers(-10, 10**12), st.floats(allow_nan=False, width=32),
                   st.booleans(), st.sampled_from([Raw("2026-03-30"), Raw("2026-03-30T09:00:00"), Raw("09:30:00"),
                                                   Raw("2026-03-30T09:00:00Z"), Raw("[1, 2"), Raw("'''")]))
VALUE = st.recursive(SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(noise, inner, max_size=2),
                     max_leaves=6)
MEMBER_KEYS = ["id", "name", "tz", "country", "subdivision", "locale", "hours", "days", "admin"]
SECTION_KEYS = {
    "workspace": ["name", "locale", "channel", "id"],
    "standup": ["channel", "time", "participants", "questions", "reminder", "summary_channel"],
    "coffee": ["channel", "day", "cadence", "participants", "min_overlap_hours", "group_size", "enabled"],
}
MEMBER_IDS = st.sampled_from(["amara", "ravi", "lena", "nobody", "", " amara ", "x" * 65])


def table(keys: list[str]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(st.one_of(st.sampled_from(keys), noise.filter(str.strip)),
                           st.one_of(VALUE, MEMBER_IDS, st.lists(MEMBER_IDS, max_size=3)), max_size=len(keys) + 1)


@st.composite
def team_files(draw: st.DrawFn) -> str:
    members = draw(st.lists(table(MEMBER_KEYS), max_size=4))
    valid = draw(st.lists(st.sampled_from(["amara", "ravi", "lena"]), max_size=3, unique=True))
    members += [{"id": i, "name": i.title(), "tz": draw(st.sampled_from(["Africa/Lagos", "Kathmandu", "Mars/Base"]))}
                for i in valid]
    parts = []
    for section, keys in SECTION_KEYS.items():
        if draw(st.booleans()):
            body = draw(table(keys))
            parts.append(f"[{section}]\n" + "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in body.items()))
    for item in members:
        parts.append("[[members]]\n" + "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in item.items()))
    for array, keys in (("away", ["member", "from", "to", "note"]),
                        ("meetings", ["title", "start", "tz", "duration", "attendees", "remind_before", "repeat"])):
        for item in draw(st.lists(table(keys), max_size=2)):
            parts.append(f"[[{array}]]\n" + "".join(f"{toml_string(k)} = {toml_value(v)}\n" for k, v in item.items()))
    if draw(st.booleans()):
        parts.insert(draw(st.integers(0, len(parts))), draw(st.one_of(noise, st.sampled_from(
            ["[members]", "[[workspace]]", "x = ", "[unknown]\na = 1", "members = 3", "= 1", "[[away]]\n[[away]]"]))))
    return "\n".join(parts)


def names_a_place(error: str) -> bool:
    return bool(error.strip()) and PLACE.match(error) is not None


@st.composite
def csv_files(draw: st.DrawFn) -> str:
    header = draw(st.lists(st.one_of(st.sampled_from(CSV_COLUMNS), noise), min_size=0, max_size=9))
    rows_ = draw(st.lists(st.lists(st.one_of(st.sampled_from(WORDS), MEMBER_IDS, noise), max_size=len(header) + 2),
                          max_size=5))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows_)
    return out.getvalue()


@pytest.mark.parametrize("suffix, files", [(".toml", team_files()), (".csv", csv_files())], ids=["toml", "csv"])
def test_any_team_file_imports_or_is_refused_with_placed_errors_and_nothing_written(  # type: ignore[no-untyped-def]
        rich, suffix: str, files: st.SearchStrategy[str]) -> None:
    core, db_path = rich

    @PROPERTY
    @given(text=st.one_of(files, noise))
    def imported(text: str) -> None:
        path = db_path.parent / f"team{suffix}"
        path.write_text(text, encoding="utf-8")
        before = rows(db_path)
        try:
            with core.db.session() as session:
                import_file(session, path, workspace_external_id="default")
        except ImportError_ as refused:
            assert refused.errors and all(names_a_place(e) for e in refused.errors), refused.errors
            assert rows(db_path) == before

    imported()


# --- PostgreSQL checks lengths and ranges that SQLite lets through ----------------------------------------

LONG_TEXT = ["x" * 201, "😀" * 120, "9" * 40]


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_known_bad_and_overlong_inputs_are_answered_on_postgresql(core: Meridian, tmp_path: Path) -> None:
    """Every command and button with the inputs that broke parsers, and free text longer than its column."""
    load_rich_team(core, tmp_path, "M")
    crashed = []
    for path in sorted(COMMANDS):
        for bad in KNOWN_BAD + LONG_TEXT:
            reply = core.handle(CommandRequest(who("amara"), f"/{' '.join(path)} {bad}"))
            if GENERIC_FAILURE in reply.as_text():
                crashed.append(f"/{' '.join(path)} {bad[:30]!r}")
    for name in sorted(ACTIONS):
        for bad in KNOWN_BAD + LONG_TEXT:
            reply = core.handle_action(ActionRequest(who("amara"), name, f"{bad}:2026-03-25",
                                                     {field: bad for field in FIELD_NAMES}))
            if GENERIC_FAILURE in reply.as_text():
                crashed.append(f"{name} {bad[:30]!r}")
    assert crashed == []
