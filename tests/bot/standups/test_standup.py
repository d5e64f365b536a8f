"""Standups in the core: filing answers under each member's own date, editing, skipping, status and
report, the summary's reasons, settings and the team file's [standup] table. Both databases."""
from __future__ import annotations

from datetime import date, datetime, time, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot import holidays
from bot.config import Settings
from bot.core import ActionRequest, Meridian
from bot.i18n import Translator
from bot.models import Member, Occurrence, Workspace
from bot.reply import Reply
from bot.standups import messages, timing
from bot.standups.models import Standup, StandupAnswer
from bot.teamfile import ImportError_, import_file, parse_toml
from tests.conftest import plain, shell_as

TEAM = Path(__file__).parents[2] / "data" / "standup-team.toml"


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def load_team(core: Meridian) -> Meridian:
    with core.db.session() as session:
        import_file(session, TEAM, platform="console", workspace_external_id="default")
    return core


@pytest.fixture
def team(core: Meridian) -> Meridian:
    """The seven-member standup team, on SQLite and on PostgreSQL."""
    return load_team(core)


@pytest.fixture
def sqlite_team(sqlite_db, clock) -> Meridian:  # type: ignore[no-untyped-def]
    """The same team on SQLite only, for the many cases that do not depend on the engine."""
    return load_team(Meridian(sqlite_db, clock=clock, settings=Settings.from_env({})))


def submit(shell, reply: Reply, *answers: str) -> Reply:  # type: ignore[no-untyped-def]
    """Fill the reply's form like a person would, one value per field."""
    assert reply.form is not None, reply.as_text()
    fields = {field.name: text for field, text in zip(reply.form.fields, answers)}
    result = shell.core.handle_action(ActionRequest(shell.who, reply.form.action, reply.form.value, fields))
    shell.last = result
    return result


def rows(core: Meridian) -> list[tuple[str, date, list[str] | None, bool, int]]:
    with core.db.session() as session:
        found = session.execute(select(Member.user_id, StandupAnswer.day, StandupAnswer.answers, StandupAnswer.skipped,
                                       StandupAnswer.edits).join(Member, Member.id == StandupAnswer.member_id)
                                .order_by(StandupAnswer.id))
        return [tuple(r) for r in found]  # type: ignore[misc]


def member(session, user_id: str) -> Member:  # type: ignore[no-untyped-def]
    return session.scalar(select(Member).where(Member.user_id == user_id))


# --- which day an answer belongs to ------------------------------------------------------------------

@pytest.mark.parametrize("user, instant, expected", [
    # Auckland's Monday morning is Monday, although UTC still says Sunday.
    ("mia", utc(2026, 3, 22, 19, 0), date(2026, 3, 23)),
    # Sunday evening in Auckland: for Monday (the evening before).
    ("mia", utc(2026, 3, 22, 7, 0), date(2026, 3, 23)),
    # Friday evening in Auckland: for Monday, over the weekend.
    ("mia", utc(2026, 3, 27, 5, 30), date(2026, 3, 30)),
    # A late answer in the afternoon still counts for today.
    ("mia", utc(2026, 3, 24, 3, 0), date(2026, 3, 24)),
    # Monday 19:00 in San Francisco is Tuesday in UTC, and the answer is for Tuesday: the next working day.
    ("sam", utc(2026, 3, 24, 2, 0), date(2026, 3, 24)),
    # Monday 16:00 in San Francisco, inside working hours: still Monday.
    ("sam", utc(2026, 3, 23, 23, 0), date(2026, 3, 23)),
    # Thursday evening in Riyadh (weekend Friday-Saturday): for Sunday.
    ("omar", utc(2026, 3, 26, 16, 0), date(2026, 3, 29)),
    # Monday evening in San Francisco before Cesar Chavez Day (Tuesday): for Wednesday.
    ("sam", utc(2026, 3, 31, 2, 0), date(2026, 4, 1)),
])
def test_answers_are_filed_under_the_members_own_working_day(sqlite_team, user, instant, expected) -> None:  # type: ignore[no-untyped-def]
    with sqlite_team.db.session() as session:
        assert timing.answer_day(member(session, user), instant) == expected


# --- answering, the evening before, and editing ---------------------------------------------------------

def test_answering_the_evening_before_files_for_the_next_working_day(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 24, 2, 0))          # Monday 19:00 in San Francisco, Tuesday in UTC
    sam = shell_as(team, "sam")
    form = sam.command("/standup answer")
    assert not form.error, form.text
    assert form.form is not None and form.form.value.endswith(":2026-03-24")
    assert [f.label for f in form.form.fields] == ["What did you do since your last standup?",
                                                   "What will you do today?", "Is anything in your way?"]
    done = submit(sam, form, "Shipped the importer", "Review the DST tests", "")
    assert not done.error and "Tue, Mar 24" in done.text
    assert rows(team) == [("sam", date(2026, 3, 24), ["Shipped the importer", "Review the DST tests", ""], False, 0)]
    report = plain(shell_as(team, "mia").command("/standup report 2026-03-24").as_text())
    assert "Sam Rivera" in report and "Shipped the importer" in report
    assert "Not answered yet" in report and "Sam Rivera" not in report.split("Not answered yet")[1]


def test_answers_can_be_edited_and_the_form_shows_them(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 23, 9, 0))           # Monday 10:00 in Munich
    lena = shell_as(team, "lena")
    submit(lena, lena.command("/standup answer"), "Urlaubsplanung", "Tests", "")
    again = lena.command("/standup answer")
    assert [f.value for f in again.form.fields] == ["Urlaubsplanung", "Tests", ""]  # type: ignore[union-attr]
    edited = submit(lena, again, "Urlaubsplanung", "Tests und Review", "Nichts")
    assert not edited.error
    assert rows(team) == [("lena", date(2026, 3, 23), ["Urlaubsplanung", "Tests und Review", "Nichts"], False, 1)]
    report = shell_as(team, "mia").command("/standup report 2026-03-23").as_text()
    assert "Lena Huber (edited)" in report and "Tests und Review" in report and "Nichts" in report


def test_the_prompt_button_opens_the_form_for_the_prompted_day(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 23, 8, 30))          # Lena's Monday prompt
    with team.db.session() as session:
        item = session.scalar(select(Standup))
        ws = session.get(Workspace, item.workspace_id)
        prompt = messages.prompt_reply(messages.reader(member(session, "lena"), ws), item, date(2026, 3, 23))
    assert "Mo., 23. März" in prompt.title  # type: ignore[operator]  (Lena reads German formats)
    lena = shell_as(team, "lena")
    lena.last = prompt
    opened = lena.press(1)
    assert opened.form is not None and opened.form.value.endswith(":2026-03-23")
    assert not submit(lena, opened, "Tickets", "", "").error
    reopened = lena.press(1)                    # the reply's Edit button reopens it, filled in
    assert reopened.form is not None and reopened.form.fields[0].value == "Tickets"


def test_empty_or_foreign_answers_change_nothing(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 23, 9, 0))
    lena = shell_as(team, "lena")
    form = lena.command("/standup answer")
    assert submit(lena, form, "", "  ", "").error
    forged = ActionRequest(lena.who, "standup.answer", "999:2026-03-23", {"a0": "x"})
    assert team.handle_action(forged).error
    too_early = ActionRequest(lena.who, "standup.answer", form.form.value.split(":")[0] + ":2026-01-02", {"a0": "x"})  # type: ignore[union-attr]
    assert team.handle_action(too_early).error
    assert lena.command("/standup answer 2026-03-28").error     # a Saturday: not her working day
    assert rows(team) == []


# --- skip, status, report, summary --------------------------------------------------------------------------

def test_skip_status_and_the_reasons_people_are_off(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 23, 12, 0))          # Monday: Eid (observed) in Riyadh
    lena, mia = shell_as(team, "lena"), shell_as(team, "mia")
    submit(lena, lena.command("/standup answer"), "A", "B", "C")
    assert not shell_as(team, "jack").command("/standup skip 2026-03-23").error
    status = plain(mia.command("/standup status 2026-03-23").text)
    assert "Answered: Lena Huber" in status
    assert "Jack Wilson (skipped this standup)" in status
    assert "Omar Al-Harbi (public holiday: Eid al-Fitr Holiday (observed) (date estimated))" in status
    pending = status.split("Not answered yet: ")[1].split("\n")[0]
    assert "Omar" not in pending and "Jack" not in pending and "Lena" not in pending
    assert shell_as(team, "lena").command("/standup skip 2026-03-23").error   # already answered


def test_summary_names_who_is_on_holiday_and_why_never_as_missing(team) -> None:  # type: ignore[no-untyped-def]
    assert holidays.holiday_on("DE", None, date(2026, 1, 6)) is None          # Epiphany is regional
    with team.db.session() as session:
        item = session.scalar(select(Standup))
        summary = messages.summary_reply(session, item, date(2026, 1, 6), Translator("en"))
        german = messages.summary_reply(session, item, date(2026, 1, 6), Translator("de"))
    off = dict(summary.sections[-2].lines[i].split(" — ") for i in range(len(summary.sections[-2].lines)))
    assert summary.sections[-2].title == "Off"
    assert off == {"Lena Huber": "public holiday: Epiphany"}
    assert summary.sections[-1].title == "Not answered yet" and "Lena" not in summary.sections[-1].lines[0]
    assert any("Heilige Drei Könige" in line for s in german.sections for line in s.lines)


def test_report_keeps_history_and_late_answers_reach_a_posted_summary(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 23, 20, 0))          # after Monday's summary (18:30 UTC): Sam answers late
    sam = shell_as(team, "sam")
    assert not submit(sam, sam.command("/standup answer 2026-03-23"), "Late but here", "", "").error
    with team.db.session() as session:
        updates = list(session.scalars(select(Occurrence).where(Occurrence.kind == "standup_summary")))
    assert [(o.recipient, o.key, o.payload["update"]) for o in updates] == [("#standup", "2026-03-23~1", True)]  # type: ignore[index]
    # A second edit while that update waits adds nothing: the pending update reads the latest answers.
    submit(sam, sam.command("/standup answer 2026-03-23"), "Late but here (edited)", "", "")
    with team.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Occurrence)) == 1
    clock.set(utc(2026, 3, 30, 12, 0))          # a week later, the history is still there
    assert "Late but here (edited)" in shell_as(team, "mia").command("/standup report 2026-03-23").as_text()


def test_answers_before_the_summary_do_not_enqueue_updates(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 23, 17, 0))          # Monday 10:00 in San Francisco, summary at 18:30 UTC
    sam = shell_as(team, "sam")
    submit(sam, sam.command("/standup answer"), "On time", "", "")
    with team.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Occurrence)) == 0


# --- settings ----------------------------------------------------------------------------------------------------

def test_config_commands_change_settings_for_admins_only(team) -> None:  # type: ignore[no-untyped-def]
    mia = shell_as(team, "mia")
    assert shell_as(team, "sam").command("/standup config time 10:00").error
    assert not mia.command("/standup config time 10:15").error
    assert not mia.command('/standup config questions "What shipped?" "What is next?"').error
    assert not mia.command("/standup config participants @lena @sam").error
    assert not mia.command("/standup config participants add @omar").error
    assert not mia.command("/standup config reminder 90m").error
    assert not mia.command("/standup config summary #standup-notes").error
    shown = plain(mia.command("/standup config").text)
    assert "Prompt time: 10:15 AM" in shown and "Lena Huber, Sam Rivera, and Omar Al-Harbi" in shown
    assert "90 minutes after the prompt" in shown and "#standup-notes" in shown and "2. What is next?" in shown
    with team.db.session() as session:
        item = session.scalar(select(Standup))
        assert (item.prompt_time, item.participants, item.reminder_minutes, item.summary_channel) == (
            time(10, 15), ["lena", "sam", "omar"], 90, "standup-notes")
        assert session.scalar(select(Workspace.needs_replan))
    assert not mia.command("/standup config questions default").error
    assert not mia.command("/standup config reminder off").error
    assert "Reminder: off" in mia.command("/standup").text


@pytest.mark.parametrize("line", [
    "/standup config time 25:00", "/standup config reminder soon", "/standup config participants @ghost",
    "/standup config participants remove @mia @ravi @jack @omar @lena @sofia @sam",
    "/standup config questions " + " ".join(f'"Q{i}"' for i in range(6)), "/standup config summary #bad<name>",
    "/standup config time 09:00 #nowhere", "/standup config colour blue", "/standup answer 2026-02-30",
    "/standup report someday",
])
def test_bad_standup_input_changes_nothing(sqlite_team, line) -> None:  # type: ignore[no-untyped-def]
    team = sqlite_team

    def settings() -> tuple:
        with team.db.session() as session:
            item = session.scalar(select(Standup))
            return (item.prompt_time, item.questions, item.participants, item.reminder_minutes, item.summary_channel)

    before = settings()
    reply = shell_as(team, "mia").command(line)
    assert reply.error, line
    assert "Something went wrong" not in reply.text
    assert settings() == before


def test_setup_form_creates_a_standup_for_another_channel(team) -> None:  # type: ignore[no-untyped-def]
    mia = shell_as(team, "mia")
    form = mia.command("/standup setup #eng")
    assert form.form is not None and form.form.value == "eng"
    assert [f.name for f in form.form.fields] == ["time", "questions", "participants", "reminder", "summary"]
    done = submit(mia, form, "08:45", "Yesterday?\nToday?", "@ravi jack", "off", "#eng-log")
    assert not done.error, done.text
    with team.db.session() as session:
        eng = session.scalar(select(Standup).where(Standup.channel == "eng"))
        assert (eng.prompt_time, eng.questions, eng.participants, eng.reminder_minutes, eng.summary_channel) == (
            time(8, 45), ["Yesterday?", "Today?"], ["ravi", "jack"], 0, "eng-log")
    # With two standups, commands need to know which one.
    assert "several standups" in mia.command("/standup status").text
    assert "Ravi Shrestha" in mia.command("/standup status #eng").text
    assert shell_as(team, "sam").command("/standup setup #x").error    # admins only


def test_team_file_standup_table_is_validated_with_places() -> None:
    text = TEAM.read_text(encoding="utf-8").replace('time = "09:30"', 'time = "9.75"\nparticipants = ["mia", "zed"]\nmood = "happy"')
    with pytest.raises(ImportError_) as caught:
        parse_toml(text)
    errors = "\n".join(caught.value.errors)
    assert "standup.time: is not a time like 09:30" in errors
    assert "standup.participants[1]: names no member: 'zed'" in errors
    assert "standup.mood: is not a standup field" in errors
    assert all(e.startswith("line ") for e in caught.value.errors)


def test_team_file_import_is_idempotent_and_keeps_defaults(team) -> None:  # type: ignore[no-untyped-def]
    with team.db.session() as session:
        import_file(session, TEAM, platform="console", workspace_external_id="default")
    with team.db.session() as session:
        (item,) = session.scalars(select(Standup)).all()
        assert (item.channel, item.prompt_time, item.questions, item.participants, item.reminder_minutes) == (
            "standup", time(9, 30), None, None, 120)


def test_standup_skip_of_a_past_day_is_refused(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 24, 12, 0))          # Tuesday in Berlin
    lena = shell_as(team, "lena")
    reply = lena.command("/standup skip 2026-03-23")
    assert reply.error and "24.03.2026" in reply.text          # from today on, in her German
    assert not lena.command("/standup skip 2026-03-25").error
