"""A standup's settings as people type them — in `/standup config`, the setup form and the team file —
with their limits, so the three ways of setting up a standup accept exactly the same values."""
from __future__ import annotations

from typing import Iterable

from bot.text import one_line
from bot.time import parse_duration

MAX_QUESTIONS = 5            # a Discord modal holds at most five text inputs
MAX_QUESTION_LENGTH = 200
MAX_ANSWER_LENGTH = 1500


def parse_questions(lines: Iterable[str]) -> list[str] | None:
    """Non-empty lines as questions; None when there are none, or too many or too long ones."""
    questions = [one_line(q, MAX_QUESTION_LENGTH + 1).strip() for q in lines if q and q.strip()]
    if not questions or len(questions) > MAX_QUESTIONS or any(len(q) > MAX_QUESTION_LENGTH for q in questions):
        return None
    return questions


def parse_reminder(text: str) -> int:
    """'2h', '90m', '45' -> minutes; 'off' / 'none' / '0' -> 0. Raises TimeError('bad_duration')."""
    if text.strip().casefold() in {"off", "none", "no", "0"}:
        return 0
    return int(parse_duration(text).total_seconds() // 60)
