"""/convert and the channel thread replies, through the core's door (the adapters' tests drive the same calls)."""
from __future__ import annotations

from datetime import datetime, timezone

from bot.core import CommandRequest, Meridian
from bot.members import Identity
from tests.conftest import plain

SENT = datetime(2026, 3, 23, 9, 15, tzinfo=timezone.utc)    # a Monday


def who(user: str = "amara", channel: str | None = "general", **hints: str) -> Identity:
    return Identity(platform="console", workspace_id="default", user_id=user, channel=channel, **hints)  # type: ignore[arg-type]


def say(core: Meridian, text: str, *, user: str = "amara", channel: str = "general", ref: str = "m1"):  # type: ignore[no-untyped-def]
    return core.message_said(who(user, channel), text, sent_at=SENT, message_ref=ref)


def test_a_channel_where_it_is_off_never_sees_a_conversion(demo: Meridian) -> None:
    assert say(demo, "let's sync at 3pm CET tomorrow").reply is None
    demo.handle(CommandRequest(who(channel="other"), "/convert on"))
    assert say(demo, "let's sync at 3pm CET tomorrow").reply is None
    assert "off" in demo.handle(CommandRequest(who(), "/convert status")).text


def test_on_a_time_gets_one_reply_grouping_the_members_zones(demo: Meridian) -> None:
    assert "on" in demo.handle(CommandRequest(who(), "/convert on")).text
    answer = say(demo, "let's sync at 3pm CET tomorrow")
    assert answer.previous_ref is None and answer.reply is not None and not answer.reply.ephemeral
    [section] = answer.reply.sections
    assert section.title == "3pm CET tomorrow"
    text = plain(answer.reply.as_text())
    assert "Tue, Mar 24, 3:00 PM · Berlin and Lagos" in text    # one line: both at UTC+1 until the 29th
    assert "Tue, Mar 24, 7:00 AM · Los Angeles" in text
    assert len(section.lines) <= 9                              # a few lines, however many zones


def test_nothing_to_say_means_no_reply(demo: Meridian) -> None:
    demo.handle(CommandRequest(who(), "/convert on"))
    assert say(demo, "the build took 15 minutes, v3.2.1 is out").reply is None
    assert say(demo, "call at 3pm IST").reply is None       # ambiguous: not guessed in a channel


def test_edits_find_the_reply_and_deletes_forget_it(demo: Meridian) -> None:
    demo.handle(CommandRequest(who(), "/convert on"))
    assert say(demo, "sync at 3pm CET").reply is not None
    demo.conversion_replied(who(), "m1", "r1")
    edited = say(demo, "sync at 4pm CET")
    assert edited.previous_ref == "r1" and "4pm CET" == edited.reply.sections[0].title  # type: ignore[union-attr]
    assert say(demo, "sync later, no time yet").previous_ref == "r1"
    assert demo.message_deleted(who(), "m1") == "r1"
    assert demo.message_deleted(who(), "m1") is None


def test_convert_off_stops_it(demo: Meridian) -> None:
    demo.handle(CommandRequest(who(), "/convert on"))
    demo.handle(CommandRequest(who(user="lena"), "/convert off"))
    assert say(demo, "sync at 3pm CET").reply is None


def test_convert_text_reads_it_for_the_asker(demo: Meridian) -> None:
    reply = demo.handle(CommandRequest(who(), "/convert let's sync at 3pm CET tomorrow and at 9:30 IST"))
    text = plain(reply.as_text())
    assert "3pm CET tomorrow → " in text and ", 3:00 PM" in text      # Lagos is an hour behind Berlin in March
    assert "9:30 IST → not converted" in text


def test_a_private_reading_is_in_the_readers_zone_and_language(demo: Meridian) -> None:
    demo.handle(CommandRequest(who(user="lena"), "/profile locale de"))
    reply = demo.read_times_for(who(user="lena"), "sync at 3pm ET", sent_at=SENT, author_id="amara")
    assert "20:00" in plain(reply.as_text()) and reply.locale == "de"     # EDT (UTC-4) to CET (UTC+1)


def test_message_text_reaches_neither_the_log_nor_the_database(demo: Meridian, caplog) -> None:  # type: ignore[no-untyped-def]
    import logging

    from sqlalchemy import inspect, text

    secret = "Project Nightingale sync at 3pm CET tomorrow"
    caplog.set_level(logging.DEBUG)
    demo.handle(CommandRequest(who(), "/convert on"))
    answer = demo.message_said(who(), secret, sent_at=SENT, message_ref="m9")
    demo.conversion_replied(who(), "m9", "r9")
    demo.read_times_for(who(user="lena"), secret, sent_at=SENT, author_id="amara")
    assert answer.reply is not None and "Nightingale" not in caplog.text
    with demo.db.engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            rows = connection.execute(text(f'SELECT * FROM "{table}"')).fetchall()
            assert not any("Nightingale" in str(value) for row in rows for value in row), table
