"""Async standups that follow each member's own clock and calendar.

Each participant of a channel's standup is asked by DM at the standup's time in their own zone, on
their own working days; answers are filed under the member's own local date, and one summary per
standup day goes to the channel, edited in place when late answers arrive. History is kept.

Job modules: `models` (tables and queries), `timing` (when a day's prompt, reminder and summary
fall: the one computation, for rituals and commands alike), `settings` (what people type for
questions and the reminder), `messages` (what the standup says), `commands` and `forms` (`/standup`,
the answer and setup forms, the buttons), `teamfile` (`[standup]`), `rituals` (prompt, reminder, summary).
"""
from bot.standups.models import Standup

__all__ = ["Standup"]
