"""The standup's forms and buttons: the answer form (which is also how answers are edited), the
Answer/Skip buttons of a prompt, and the setup form; plus the checks they share with the commands
(is this member a participant, may this day still be answered or skipped)."""
from __future__ import annotations

from datetime import date, timedelta
from typing import Iterable

from bot import availability
from bot.i18n import Translator
from bot.reply import Button, Form, FormField, Reply
from bot.router import Context, UserError, action, row_id
from bot.standups.messages import button_value, channel_label, config_lines, off_reason, question_texts
from bot.standups.models import (
    DEFAULT_REMINDER_MINUTES, DEFAULT_TIME, Standup, StandupAnswer, entry_for, standup_in, takes_part,
)
from bot.standups.rituals import refresh_summary_if_posted
from bot.standups.settings import MAX_ANSWER_LENGTH, MAX_QUESTION_LENGTH, MAX_QUESTIONS, parse_questions, parse_reminder
from bot.standups.timing import answer_day
from bot.text import channel_name, one_line
from bot.time import parse_clock

LATE_ANSWER_DAYS = 7         # how far back a forgotten standup may still be answered
SKIP_AHEAD_DAYS = 90         # how far ahead a day may be skipped


def answer_form(tr: Translator, standup: Standup, day: date, entry: StandupAnswer | None) -> Form:
    """The answer modal, pre-filled when the member already answered (that is how answers are edited)."""
    editing = entry is not None and entry.answered
    questions = question_texts(tr, entry.questions if editing else standup.questions)  # type: ignore[union-attr]
    previous = list(entry.answers or []) if editing else []  # type: ignore[union-attr]
    fields = tuple(FormField(f"a{i}", q, previous[i] if i < len(previous) else "", multiline=True, required=i == 0,
                             max_length=MAX_ANSWER_LENGTH) for i, q in enumerate(questions))
    return Form("standup.answer", tr._("Standup · {date}", date=tr.weekday_date(day)), fields, button_value(standup, day),
                submit_label=tr._("Save") if editing else tr._("Submit"))


def setup_form(tr: Translator, channel: str, existing: Standup | None) -> Form:
    """`/standup setup`'s form, showing the channel's current settings (or the defaults)."""
    current = existing or Standup(channel=channel, prompt_time=DEFAULT_TIME, reminder_minutes=DEFAULT_REMINDER_MINUTES)
    who = "everyone" if current.participants is None else " ".join("@" + u for u in current.participants)
    fields = (
        FormField("time", tr._("Prompt time (each member's local time)"), current.prompt_time.strftime("%H:%M"), max_length=10),
        FormField("questions", tr._("Questions, one per line (at most {n})", n=MAX_QUESTIONS),
                  "\n".join(question_texts(tr, current.questions)), multiline=True, max_length=1200),
        FormField("participants", tr._("Participants: “everyone” or @names"), who, max_length=1500),
        FormField("reminder", tr._("Reminder after (e.g. 2h, 90m or off)"),
                  f"{current.reminder_minutes}m" if current.reminder_minutes else "off", max_length=10),
        FormField("summary", tr._("Summary channel"), "#" + current.summary_target, max_length=81),
    )
    return Form("standup.setup", tr._("Standup in {channel}", channel=channel_label(channel)), fields, channel,
                submit_label=tr._("Save"))


# --- checks shared with the commands ---------------------------------------------------------------------

def require_participant(ctx: Context, standup: Standup) -> None:
    if not takes_part(standup, ctx.member):
        raise UserError(ctx.tr._("You are not a participant of the standup in {channel}.", channel=channel_label(standup.channel)))


def check_day(ctx: Context, day: date, next_day: date | None, *, planning: bool = False) -> None:
    """Answers go to a working day from a week ago up to the next one; skips are planned from today on
    (skipping a day that is over changes nothing anyone will see) up to further ahead."""
    tr = ctx.tr
    latest = max(ctx.today(), next_day or ctx.today())
    earliest = ctx.today() - timedelta(days=LATE_ANSWER_DAYS)
    if planning:
        latest = ctx.today() + timedelta(days=SKIP_AHEAD_DAYS)
        earliest = ctx.today()
    if not earliest <= day <= latest:
        raise UserError(tr._("Pick a day from {first} to {last}.", first=tr.date(earliest), last=tr.date(latest)))
    off = availability.day_off(ctx.member, day, tr.locale_id)
    if off is not None:
        raise UserError(tr._("{date} is not one of your working days ({reason}).", date=tr.weekday_date(day),
                             reason=off_reason(tr, ctx.member, day, off)))


def questions_or_error(ctx: Context, lines: Iterable[str]) -> list[str]:
    questions = parse_questions(lines)
    if questions is None:
        raise UserError(ctx.tr._("Give between 1 and {n} questions, each at most {limit} characters.",
                                 n=MAX_QUESTIONS, limit=MAX_QUESTION_LENGTH))
    return questions


def participants_or_error(ctx: Context, words: list[str]) -> list[str] | None:
    if not words or (len(words) == 1 and words[0].casefold() in {"everyone", "all", "@everyone"}):
        return None
    return [m.user_id for m in ctx.members_from(words)]


def skip_day(ctx: Context, standup: Standup, day: date) -> Reply:
    """Files a skip for the member's `day` (`/standup skip` and the Skip button)."""
    tr = ctx.tr
    row = entry_for(ctx.session, standup, ctx.member, day)
    if row is not None and row.answered:
        raise UserError(tr._("You already answered for {date}; there is nothing to skip.", date=tr.weekday_date(day)))
    if row is None:
        ctx.session.add(StandupAnswer(workspace_id=ctx.workspace.id, standup_id=standup.id, member_id=ctx.member.id,
                                      day=day, skipped=True, submitted_at=ctx.now()))
    else:
        row.skipped = True
    ctx.session.flush()
    ctx.replan()
    refresh_summary_if_posted(ctx.session, ctx.workspace, standup, day, ctx.now())
    return Reply(text=tr._("Skipped: no standup for you on {date} in {channel}.", date=tr.weekday_date(day),
                           channel=channel_label(standup.channel)))


def _parse_value(ctx: Context, value: str) -> tuple[Standup, date]:
    standup_id, _, day_text = value.partition(":")
    try:
        found = row_id(standup_id)
        standup = ctx.session.get(Standup, found) if found is not None else None
        day = date.fromisoformat(day_text)
    except ValueError:
        standup, day = None, date.min
    if standup is None or standup.workspace_id != ctx.workspace.id or not standup.active:
        raise UserError(ctx.tr._("That standup no longer exists."))
    require_participant(ctx, standup)
    return standup, day


# --- actions ---------------------------------------------------------------------------------------------

@action("standup.setup")
def standup_setup_submit(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    ctx.require_admin()
    tr = ctx.tr
    channel = channel_name(value)
    if channel is None:
        raise UserError(tr._("“{value}” is not a channel name.", value=one_line(value, 40)))
    prompt_time = parse_clock(fields.get("time", "") or "09:30")
    questions = questions_or_error(ctx, (fields.get("questions") or "").splitlines())
    people = participants_or_error(ctx, (fields.get("participants") or "everyone").replace(",", " ").split())
    reminder = parse_reminder(fields.get("reminder") or "off")
    summary = channel_name(fields.get("summary") or channel)
    if summary is None:
        raise UserError(tr._("“{value}” is not a channel name.", value=one_line(fields.get("summary"), 40)))
    standup = standup_in(ctx.session, ctx.workspace, channel)
    if standup is None:
        standup = Standup(workspace_id=ctx.workspace.id, channel=channel)
        ctx.session.add(standup)
    standup.prompt_time, standup.reminder_minutes, standup.active = prompt_time, reminder, True
    standup.questions = None if questions == question_texts(tr, None) else questions
    standup.participants = people
    standup.summary_channel = None if summary == channel else summary
    ctx.session.flush()
    ctx.replan()
    return Reply(title=tr._("The standup in {channel} is set up.", channel=channel_label(channel)),
                 text="\n".join(config_lines(ctx.session, tr, standup)))


@action("standup.open")
def standup_open(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    standup, day = _parse_value(ctx, value)
    check_day(ctx, day, answer_day(ctx.member, ctx.now()))
    return Reply(form=answer_form(ctx.tr, standup, day, entry_for(ctx.session, standup, ctx.member, day)))


@action("standup.answer")
def standup_answer_submit(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    """Files (or edits) the answers for the form's day; an already posted summary is then updated."""
    tr = ctx.tr
    standup, day = _parse_value(ctx, value)
    check_day(ctx, day, answer_day(ctx.member, ctx.now()))
    row = entry_for(ctx.session, standup, ctx.member, day)
    editing = row is not None and row.answered
    asked = row.questions if editing else standup.questions  # type: ignore[union-attr]
    count = len(question_texts(tr, asked))
    answers = [(fields.get(f"a{i}") or "").strip() for i in range(count)]
    if not any(answers):
        raise UserError(tr._("Your answers are empty; nothing was saved."))
    if any(len(a) > MAX_ANSWER_LENGTH for a in answers):
        raise UserError(tr._("An answer is longer than {limit} characters.", limit=tr.number(MAX_ANSWER_LENGTH)))
    now = ctx.now()
    if row is None:
        row = StandupAnswer(workspace_id=ctx.workspace.id, standup_id=standup.id, member_id=ctx.member.id, day=day)
        ctx.session.add(row)
    if editing:
        row.edits += 1
        row.updated_at = now
    else:
        row.questions, row.submitted_at = asked, now
    row.answers, row.skipped = answers, False
    ctx.session.flush()
    refresh_summary_if_posted(ctx.session, ctx.workspace, standup, day, now)
    text = (tr._("Your answers for {date} are updated.", date=tr.weekday_date(day)) if editing else
            tr._("Thanks! Your answers are filed for {date} in {channel}.", date=tr.weekday_date(day),
                 channel=channel_label(standup.channel)))
    return Reply(text=text, buttons=[Button(tr._("Edit"), "standup.open", button_value(standup, day))])


@action("standup.skip")
def standup_skip_button(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    standup, day = _parse_value(ctx, value)
    check_day(ctx, day, answer_day(ctx.member, ctx.now()))
    return skip_day(ctx, standup, day)
