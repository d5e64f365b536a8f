"""Standup rituals: `meridian simulate` over the March 2026 DST changes and a Bavarian-only holiday,
and the real engine delivering prompts, the one reminder and a summary that grows with late answers."""
from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import select

from operations.cli import main
from adapters.console.sender import ConsoleSender
from bot.time import to_local, to_utc
from bot.time.clock import SimulatedClock
from bot.core import ActionRequest, Meridian
from bot.models import Member, Occurrence, Workspace
from bot.standups.rituals import PROMPT, REMINDER, SUMMARY
from bot.teamfile import import_file
from scheduler.engine import Engine
from scheduler.simulate import run_until
from tests.conftest import shell_as

TEAM = Path(__file__).parents[2] / "data" / "standup-team.toml"
ZONES = {"mia": "Pacific/Auckland", "jack": "Australia/Lord_Howe", "ravi": "Asia/Kathmandu", "omar": "Asia/Riyadh",
         "lena": "Europe/Berlin", "sofia": "America/Sao_Paulo", "sam": "America/Los_Angeles"}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def days(*spec: str) -> set[date]:
    """'2026-03-23..27' ranges and single ISO dates."""
    out: set[date] = set()
    for item in spec:
        if ".." in item:
            first, last_day = item.split("..")
            start = date.fromisoformat(first)
            out |= {start.replace(day=d) for d in range(start.day, int(last_day) + 1)}
        else:
            out.add(date.fromisoformat(item))
    return out


def simulate(capsys: pytest.CaptureFixture[str], start: str, length: int) -> list[dict]:
    """The real `meridian simulate`, its JSON lines parsed."""
    assert main(["simulate", "--team", str(TEAM), "--start", start, "--days", str(length)]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def prompts_by_member(records: list[dict]) -> dict[str, dict[date, dict]]:
    found: dict[str, dict[date, dict]] = defaultdict(dict)
    for record in records:
        if record["kind"] == "standup_prompt":
            local = datetime.fromisoformat(record["local_time"])
            assert local.date() not in found[record["to"]], f"two prompts on one day: {record}"
            found[record["to"]][local.date()] = record
    return found


def test_simulate_prompts_everyone_at_0930_local_on_their_own_working_days_across_dst(capsys) -> None:  # type: ignore[no-untyped-def]
    # 14 days from Sunday noon UTC: Munich starts DST on Mar 29 (San Francisco did on Mar 8), Auckland and
    # Lord Howe end theirs on Apr 5; Eid al-Fitr in Riyadh, Ram Navami in Kathmandu, Cesar Chavez Day in
    # California, Good Friday in four of the seven calendars; Sofia is away Mar 25-26 (team file).
    records = simulate(capsys, "2026-03-22T12:00Z", 14)
    prompts = prompts_by_member(records)
    expected = {
        "mia": days("2026-03-23..27", "2026-03-30..31", "2026-04-01..02"),
        "jack": days("2026-03-23..27", "2026-03-30..31", "2026-04-01..02"),
        "ravi": days("2026-03-23..26", "2026-03-30..31", "2026-04-01..03"),
        "omar": days("2026-03-25..26", "2026-03-29..31", "2026-04-01..02", "2026-04-05"),
        "lena": days("2026-03-23..27", "2026-03-30..31", "2026-04-01..02"),
        "sofia": days("2026-03-23..24", "2026-03-27", "2026-03-30..31", "2026-04-01..02"),
        "sam": days("2026-03-23..27", "2026-03-30", "2026-04-01..03"),
    }
    assert {user: set(found) for user, found in prompts.items()} == expected
    for user, found in prompts.items():
        for day, record in found.items():
            local = datetime.fromisoformat(record["local_time"])
            at = datetime.fromisoformat(record["at"].replace("Z", "+00:00"))
            assert (local.hour, local.minute) == (9, 30), record
            assert local == at and record["local_time"] == to_local(at, ZONES[user]).isoformat(), record
    # DST, hard numbers: Munich before and after Mar 29; Kathmandu's +05:45 never moves.
    assert prompts["lena"][date(2026, 3, 27)]["at"] == "2026-03-27T08:30:00Z"
    assert prompts["lena"][date(2026, 3, 30)]["at"] == "2026-03-30T07:30:00Z"
    assert prompts["sam"][date(2026, 3, 23)]["at"] == "2026-03-23T16:30:00Z"
    assert prompts["mia"][date(2026, 3, 23)]["at"] == "2026-03-22T20:30:00Z"   # Monday in Auckland, Sunday in UTC
    assert prompts["ravi"][date(2026, 3, 30)]["local_time"] == "2026-03-30T09:30:00+05:45"
    # Each day's summary says who is off and why; nobody on a holiday is missing.
    summaries = {r["text"].split("\n")[0]: r["text"] for r in records if r["kind"] == "standup_summary"}
    monday = summaries["Standup in #standup for Mon, Mar 23"]
    assert "Omar Al-Harbi — public holiday: Eid al-Fitr" in monday
    assert "Omar" not in monday.split("Not answered yet")[1]
    assert "Sam Rivera — public holiday: Cesar Chavez Day" in summaries["Standup in #standup for Tue, Mar 31"]
    assert "Sofia Almeida — away until Mar 26, 2026" in summaries["Standup in #standup for Wed, Mar 25"]


def test_simulate_skips_the_bavarian_only_epiphany_for_munich_alone(capsys) -> None:  # type: ignore[no-untyped-def]
    records = simulate(capsys, "2026-01-04T12:00Z", 4)
    prompts = prompts_by_member(records)
    assert set(prompts["lena"]) == {date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 8)}   # not Jan 6: Epiphany in Bavaria
    assert prompts["lena"][date(2026, 1, 5)]["at"] == "2026-01-05T08:30:00Z"     # winter time, UTC+1
    assert date(2026, 1, 6) in prompts["sam"] and date(2026, 1, 6) in prompts["ravi"]
    assert prompts["sam"][date(2026, 1, 6)]["at"] == "2026-01-06T17:30:00Z"      # PST, UTC-8
    tuesday = next(r["text"] for r in records if r["kind"] == "standup_summary" and "Tue, Jan 6" in r["text"])
    assert "Lena Huber — public holiday: Epiphany" in tuesday
    assert "Lena" not in tuesday.split("Not answered yet")[1]


# --- next_due directly: the other DST changes -------------------------------------------------------------

@pytest.fixture
def team(core: Meridian) -> Meridian:
    with core.db.session() as session:
        import_file(session, TEAM, platform="console", workspace_external_id="default")
    return core


def next_prompts(core: Meridian, user: str, after: datetime, count: int, ritual=PROMPT) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    out = []
    with core.db.session() as session:
        workspace = session.scalar(select(Workspace))
        for _ in range(count):
            due = ritual.next_due(session, workspace, user, after)
            if due is None:
                break
            out.append((due.key.split("#")[0], to_utc(due.due_at).strftime("%m-%d %H:%M")))
            after = due.due_at
    return out


def test_next_due_follows_us_dst_and_the_30_minute_lord_howe_shift(team) -> None:  # type: ignore[no-untyped-def]
    assert next_prompts(team, "sam", utc(2026, 3, 5, 18, 0), 2) == [("2026-03-06", "03-06 17:30"), ("2026-03-09", "03-09 16:30")]
    # Lord Howe: +11 until Apr 5, then +10:30; Apr 6 is Easter Monday.
    assert next_prompts(team, "jack", utc(2026, 4, 1, 0, 0), 2) == [("2026-04-02", "04-01 22:30"), ("2026-04-07", "04-06 23:00")]
    assert next_prompts(team, "mia", utc(2026, 4, 1, 0, 0), 2) == [("2026-04-02", "04-01 20:30"), ("2026-04-07", "04-06 21:30")]


def test_reminders_fall_inside_working_hours_only(team) -> None:  # type: ignore[no-untyped-def]
    assert next_prompts(team, "lena", utc(2026, 3, 23, 0, 0), 1, REMINDER) == [("2026-03-23", "03-23 10:30")]
    lena = shell_as(team, "lena")
    lena.command("/profile hours 06:00-11:00")           # 09:30 + 2h is after her day ends
    assert next_prompts(team, "lena", utc(2026, 3, 23, 0, 0), 1, REMINDER) == []
    lena.command("/profile hours 12:00-20:00")           # prompted before her hours: reminded when they start
    assert next_prompts(team, "lena", utc(2026, 3, 23, 0, 0), 1, REMINDER) == [("2026-03-23", "03-23 11:00")]


# --- the real engine, step by step ---------------------------------------------------------------------------

def engine_for(core: Meridian, clock: SimulatedClock) -> tuple[Engine, ConsoleSender]:
    sender = ConsoleSender(clock=clock)
    engine = Engine(core.db, clock, {"console": sender}, settings=core.settings, replica_id="test",
                    rituals={r.kind: r for r in (PROMPT, REMINDER, SUMMARY)}, concurrency=1)
    return engine, sender


def answer(core: Meridian, user: str, when: str, *texts: str) -> None:
    shell = shell_as(core, user)
    form = shell.command(f"/standup answer {when}".strip())
    assert form.form is not None, form.text
    fields = {f.name: t for f, t in zip(form.form.fields, texts)}
    result = core.handle_action(ActionRequest(shell.who, form.form.action, form.form.value, fields))
    assert not result.error, result.text


def sent(sender: ConsoleSender, kind: str) -> list[tuple[str, str]]:
    return [(str(m.message.to), m.at.strftime("%m-%d %H:%M")) for m in sender.messages  # type: ignore[union-attr]
            if m.message.kind == kind]


def statuses(core: Meridian, kind: str) -> dict[tuple[str, str], tuple[str, str | None]]:
    with core.db.session() as session:
        return {(o.recipient, o.key.split("#")[0]): (o.status, o.detail)
                for o in session.scalars(select(Occurrence).where(Occurrence.kind == kind))}


async def test_one_reminder_goes_only_to_those_who_have_not_answered(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 23, 19, 0))               # Monday evening UTC: Tuesday starts in Auckland
    engine, sender = engine_for(team, clock)
    await run_until(engine, clock, utc(2026, 3, 23, 21, 0))
    assert sent(sender, "standup_prompt") == [("mia", "03-23 20:30")]
    answer(team, "mia", "", "Fixed the build", "Pairing with Jack", "")
    await run_until(engine, clock, utc(2026, 3, 24, 1, 0))
    assert sent(sender, "standup_prompt") == [("mia", "03-23 20:30"), ("jack", "03-23 22:30")]
    assert sent(sender, "standup_reminder") == [("jack", "03-24 00:30")]      # 11:30 on Lord Howe Island
    assert statuses(team, "standup_reminder")[("mia", "2026-03-24")] == ("skipped", "already answered")
    reminder = next(m.message for m in sender.messages if m.message.kind == "standup_reminder")
    assert reminder.reply.buttons[0].action == "standup.open" and "Tue, Mar 24" in (reminder.reply.title or "")


async def test_a_late_answer_is_added_to_the_posted_summary(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 23, 9, 0))                # Monday 10:00 in Munich
    engine, sender = engine_for(team, clock)
    answer(team, "lena", "", "Reviewed the PR", "Release notes", "")
    await run_until(engine, clock, utc(2026, 3, 23, 19, 0))
    (first,) = [m for m in sender.messages if m.message.kind == "standup_summary"]
    assert first.message.to == "#standup" and first.at == utc(2026, 3, 23, 18, 30)
    assert "Reviewed the PR" in first.message.reply.as_text() and "Sam Rivera" in first.message.reply.as_text()
    clock.set(utc(2026, 3, 23, 21, 0))               # Monday 14:00 in San Francisco: Sam answers late
    answer(team, "sam", "2026-03-23", "Late, but here", "", "Nothing")
    await run_until(engine, clock, utc(2026, 3, 23, 21, 5))
    updates = [m for m in sender.messages if m.message.kind == "standup_summary"][1:]
    assert len(updates) == 1
    update = updates[0]
    assert update.replaces == first.ref and update.message.update_key == first.message.update_key
    text = update.message.reply.as_text()
    assert "Late, but here" in text and "Reviewed the PR" in text
    assert "Sam" not in text.split("Not answered yet")[1]
    # The next day's summary is still planned once, at its own time.
    assert statuses(team, "standup_summary")[("#standup", "2026-03-24")][0] == "pending"


async def test_answer_the_evening_before_then_no_prompt_and_the_answer_in_the_summary(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 24, 2, 0))                # Monday 19:00 in San Francisco
    engine, sender = engine_for(team, clock)
    answer(team, "sam", "", "Wrote the migration", "Ship it", "")
    await run_until(engine, clock, utc(2026, 3, 24, 19, 0))
    assert "sam" not in [to for to, _ in sent(sender, "standup_prompt")]
    assert statuses(team, "standup_prompt")[("sam", "2026-03-24")] == ("skipped", "already answered")
    (summary,) = [m.message for m in sender.messages if m.message.kind == "standup_summary"]
    assert "Tue, Mar 24" in summary.reply.as_text() and "Wrote the migration" in summary.reply.as_text()


async def test_skip_and_away_days_get_no_prompt(team, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(utc(2026, 3, 23, 12, 0))
    engine, sender = engine_for(team, clock)
    await engine.tick()                              # planned: Lena's Tuesday prompt is pending
    assert not shell_as(team, "lena").command("/standup skip 2026-03-24").error
    assert not shell_as(team, "ravi").command("/away 2026-03-24 2026-03-24").error
    await run_until(engine, clock, utc(2026, 3, 25, 12, 0))
    prompted = defaultdict(list)
    for to, at in sent(sender, "standup_prompt"):
        prompted[to].append(at[:5])
    assert prompted["lena"] == ["03-25"] and prompted["ravi"] == ["03-25"]
    assert prompted["jack"] == ["03-23", "03-24"]    # Tuesday and Wednesday on Lord Howe Island
    tuesday = next(m.message.reply.as_text() for m in sender.messages
                   if m.message.kind == "standup_summary" and "Tue, Mar 24" in m.message.reply.as_text())
    assert "Lena Huber — skipped this standup" in tuesday and "Ravi Shrestha — away until Mar 24, 2026" in tuesday


def test_recipients_follow_participants(team) -> None:  # type: ignore[no-untyped-def]
    shell_as(team, "mia").command("/standup config participants @lena @sam")
    with team.db.session() as session:
        workspace = session.scalar(select(Workspace))
        assert list(PROMPT.recipients(session, workspace)) == ["lena", "sam"]
        assert list(SUMMARY.recipients(session, workspace)) == ["#standup"]
        assert PROMPT.next_due(session, workspace, "mia", utc(2026, 3, 23)) is None
        assert session.scalar(select(Member.user_id).where(Member.user_id == "mia")) == "mia"
