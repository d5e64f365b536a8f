"""The buttons and forms of /meet: booking one of the fair times /meet find offered, and the .ics import form.

A "Book option n" button carries its slot in its value (start, minutes, weekly, attendees), so
booking needs no state kept between the offer and the click; an old or forged value is refused.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Sequence

from bot.meetings.booking import create_meeting
from bot.meetings.fair_slots import Slot
from bot.meetings.ics_import import import_ics
from bot.meetings.messages import booked_reply
from bot.meetings.models import WEEKLY
from bot.models import Member
from bot.reply import Form, FormField, Reply
from bot.router import Context, UserError, action
from bot.text import one_line
from bot.time import TimeError, iso_z, parse_instant


def slot_value(slot: Slot, members: Sequence[Member], weekly: bool) -> str:
    """What a "Book option n" button carries: 'start|minutes|weekly|id,id,…'."""
    ids = ",".join(m.user_id for m in members)
    return f"{iso_z(slot.start)}|{int((slot.end - slot.start).total_seconds() // 60)}|{int(weekly)}|{ids}"


def _decode_slot(ctx: Context, value: str) -> tuple[datetime, timedelta, bool, list[Member]]:
    try:
        start_text, minutes, weekly, ids = value.split("|", 3)
        start = parse_instant(start_text)
        duration = timedelta(minutes=int(minutes))
    except (ValueError, TimeError):
        raise UserError(ctx.tr._("That button is no longer active.")) from None
    members = ctx.members_from(f"@{i}" for i in ids.split(",") if i)
    return start, duration, weekly == "1", members


@action("meet.book")
def meet_book(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    _decode_slot(ctx, value)
    return Reply(form=Form("meet.book.save", ctx.tr._("Book the meeting"),
                           (FormField("title", ctx.tr._("Title"), max_length=200),), value=value,
                           submit_label=ctx.tr._("Book")))


@action("meet.book.save")
def meet_book_save(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    start, duration, weekly, members = _decode_slot(ctx, value)
    title = one_line(fields.get("title"), 200)
    if not title:
        raise UserError(ctx.tr._("The meeting needs a title."))
    if start <= ctx.now():
        raise UserError(ctx.tr._("That time has already passed. Run /meet find again."))
    meeting = create_meeting(ctx.session, ctx.workspace, title=title, start=start, tz=ctx.member.tz, duration=duration,
                             members=members, organizer=ctx.member, repeat=WEEKLY if weekly else None, now=ctx.now())
    return booked_reply(ctx.tr, meeting, ctx.member, ctx.now())


@action("meet.import")
def meet_import_save(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    result = import_ics(ctx, fields.get("ics", ""))
    ctx.replan()
    return result
