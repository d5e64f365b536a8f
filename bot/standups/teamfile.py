"""The team file's `[standup]` table: one standup, in the workspace's channel unless it names another."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from bot.models import Workspace
from bot.standups.models import DEFAULT_REMINDER_MINUTES, DEFAULT_TIME, Standup, standup_in
from bot.standups.settings import MAX_QUESTION_LENGTH, MAX_QUESTIONS, parse_questions, parse_reminder
from bot.teamfile import Checker, Section, register_section
from bot.text import channel_name
from bot.time import TimeError, parse_clock

_TEAMFILE_KEYS = ("channel", "time", "participants", "questions", "reminder", "summary_channel")


def _validate_section(raw: Any, check: Checker) -> None:
    if not isinstance(raw, dict):
        check.error("standup", "must be a table: [standup]")
        return
    for key in raw:
        if key not in _TEAMFILE_KEYS:
            check.error(f"standup.{key}", f"is not a standup field (known: {', '.join(_TEAMFILE_KEYS)})")
    for key in ("channel", "summary_channel"):
        text = check.text(f"standup.{key}", raw.get(key), 81)
        if text is not None and channel_name(text) is None:
            check.error(f"standup.{key}", f"is not a channel name: {text!r}")
    if "time" in raw:
        check.clock("standup.time", raw["time"])
    check.member_list("standup.participants", raw.get("participants"))
    if raw.get("participants") == []:
        check.error("standup.participants", "must name at least one member (leave it out for everyone)")
    questions = raw.get("questions")
    if questions is not None and (not isinstance(questions, list) or not all(isinstance(q, str) for q in questions)
                                  or parse_questions(questions) is None):
        check.error("standup.questions", f"must be a list of 1 to {MAX_QUESTIONS} questions of at most {MAX_QUESTION_LENGTH} characters")
    reminder = raw.get("reminder")
    if reminder is not None:
        if isinstance(reminder, bool) or not isinstance(reminder, (int, str)):
            check.error("standup.reminder", "must be a delay like \"2h\", \"90m\" or \"off\"")
        else:
            try:
                parse_reminder(str(reminder))
            except TimeError:
                check.error("standup.reminder", f"must be a delay like \"2h\", \"90m\" or \"off\": {reminder!r}")


def _apply_section(session: Session, workspace: Workspace, raw: Any) -> None:
    channel = channel_name(raw.get("channel") or workspace.channel or "general") or "general"
    standup = standup_in(session, workspace, channel)
    if standup is None:
        standup = Standup(workspace_id=workspace.id, channel=channel, prompt_time=DEFAULT_TIME,
                          reminder_minutes=DEFAULT_REMINDER_MINUTES)
        session.add(standup)
    standup.active = True
    if "time" in raw:
        standup.prompt_time = parse_clock(raw["time"])
    if "participants" in raw:
        standup.participants = [str(p).strip() for p in raw["participants"]]
    if "questions" in raw:
        standup.questions = parse_questions(raw["questions"])
    if "reminder" in raw:
        standup.reminder_minutes = parse_reminder(str(raw["reminder"]))
    if "summary_channel" in raw:
        summary = channel_name(raw["summary_channel"])
        standup.summary_channel = None if summary == channel else summary
    session.flush()


register_section(Section("standup", _validate_section, _apply_section))
