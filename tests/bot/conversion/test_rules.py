"""One rule at a time: what the detector reads, how it reads it, and what it leaves alone."""
from __future__ import annotations

import logging
from datetime import datetime, timezone

import pytest

from tests.bot.conversion.conftest import MONDAY, SUMMER, iso

# --------------------------------------------------------------------------- clocks

@pytest.mark.parametrize("text, expected", [
    ("meet at 3pm", "2026-03-23T14:00Z"),
    ("meet at 3 pm", "2026-03-23T14:00Z"),
    ("meet at 3:30 p.m.", "2026-03-23T14:30Z"),
    ("meet at 15:00", "2026-03-23T14:00Z"),
    ("meet at 09:00", "2026-03-23T08:00Z"),
    ("meet at 12pm", "2026-03-23T11:00Z"),
    ("meet at 12am", "2026-03-22T23:00Z"),
    ("meet at 7.30pm", "2026-03-23T18:30Z"),
    ("see you at 8 tonight", "2026-03-23T19:00Z"),
    ("at 4 in the afternoon", "2026-03-23T15:00Z"),
])
def test_clock_forms(one, text: str, expected: str) -> None:
    assert iso(one(text)) == expected


def test_noon_and_midnight(one) -> None:
    assert iso(one("lunch at noon")) == "2026-03-23T11:00Z"
    # "at midnight" is the end of the day, not its start
    assert iso(one("deploy at midnight")) == "2026-03-23T23:00Z"
    assert iso(one("freeze until midnight on Friday")) == "2026-03-27T23:00Z"


def test_a_bare_number_is_never_a_time(find) -> None:
    assert find("we were 15 at the offsite") == []
    assert find("at 3 we start") == []
    assert find("call 3") == []


def test_hours_without_am_or_pm_follow_the_authors_clock(one) -> None:
    # a 24-hour locale reads 9:30 as 09:30; a 12-hour one does not guess
    assert iso(one("standup 9:30", zone="Europe/Berlin", locale="en")) == "2026-03-23T08:30Z"
    assert iso(one("standup 9:30", zone="Europe/London", locale="en")) == "2026-03-23T09:30Z"
    unread = one("standup 9:30", zone="America/New_York", locale="en")
    assert unread.utc is None and unread.note.startswith("am_or_pm") and unread.zone == "America/New_York"
    # 13-23 and zero-padded hours are 24-hour everywhere
    assert iso(one("standup 14:30", zone="America/New_York")) == "2026-03-23T18:30Z"
    assert iso(one("standup 09:30", zone="America/New_York")) == "2026-03-23T13:30Z"


# --------------------------------------------------------------------------- days

@pytest.mark.parametrize("text, expected", [
    ("3pm today", "2026-03-23T14:00Z"),
    ("3pm tomorrow", "2026-03-24T14:00Z"),
    ("tomorrow at 3pm", "2026-03-24T14:00Z"),
    ("Friday 3pm", "2026-03-27T14:00Z"),
    ("on Monday at 3pm", "2026-03-23T14:00Z"),           # today is a Monday: today
    ("next Monday at 3pm", "2026-03-30T13:00Z"),         # the first one after today (after the EU DST change)
    ("Fri 10am", "2026-03-27T09:00Z"),
    ("March 25 at 10:00", "2026-03-25T09:00Z"),
    ("25 March at 10:00", "2026-03-25T09:00Z"),
    ("2026-03-26 15:00", "2026-03-26T14:00Z"),
    ("2026-03-26T15:00Z", "2026-03-26T15:00Z"),
    ("2026-03-26T15:00+05:30", "2026-03-26T09:30Z"),
])
def test_days(one, text: str, expected: str) -> None:
    assert iso(one(text)) == expected


def test_the_day_is_counted_in_the_zone_the_time_is_read_in(one) -> None:
    # Monday 18:15 in Tokyo, 02:15 in Los Angeles: "3pm Tokyo time" is Monday in Tokyo
    assert iso(one("3pm Tokyo time", zone="America/Los_Angeles")) == "2026-03-23T06:00Z"


# --------------------------------------------------------------------------- ranges

@pytest.mark.parametrize("text, start, end", [
    ("free 3–4pm", "2026-03-23T14:00Z", "2026-03-23T15:00Z"),
    ("free 3-4pm", "2026-03-23T14:00Z", "2026-03-23T15:00Z"),
    ("free between 2 and 3pm", "2026-03-23T13:00Z", "2026-03-23T14:00Z"),
    ("free from 2 to 3pm", "2026-03-23T13:00Z", "2026-03-23T14:00Z"),
    ("free 11-1pm", "2026-03-23T10:00Z", "2026-03-23T12:00Z"),
    ("free 10am–noon", "2026-03-23T09:00Z", "2026-03-23T11:00Z"),
    ("on call 11pm-1am", "2026-03-23T22:00Z", "2026-03-24T00:00Z"),
    ("blocked 14:00–15:30 CET", "2026-03-23T13:00Z", "2026-03-23T14:30Z"),
    ("tomorrow 9-10am ET", "2026-03-24T13:00Z", "2026-03-24T14:00Z"),
])
def test_ranges_give_both_ends(find, text: str, start: str, end: str) -> None:
    found = find(text)
    assert [iso(t) for t in found] == [start, end]
    assert [t.part for t in found] == ["from", "until"]
    assert found[0].end <= found[1].start


def test_and_is_a_range_only_after_between(find) -> None:
    assert [t.text for t in find("I have 2 and 3pm meetings")] == ["3pm"]


# --------------------------------------------------------------------------- zones

@pytest.mark.parametrize("text, zone", [
    ("3pm CET", "Europe/Berlin"), ("3pm PT", "America/Los_Angeles"), ("3pm ET", "America/New_York"),
    ("3pm EST", "America/New_York"), ("3pm JST", "Asia/Tokyo"), ("3pm UTC", "UTC"), ("15:00Z", "UTC"),
    ("3pm Tokyo time", "Asia/Tokyo"), ("3pm in London", "Europe/London"), ("3pm London", "Europe/London"),
    ("3pm (CET)", "Europe/Berlin"), ("3pm America/Sao_Paulo", "America/Sao_Paulo"), ("3pm UK time", "Europe/London"),
    ("3pm Eastern", "America/New_York"), ("Tokyo: 15:00", "Asia/Tokyo"), ("3pm NYC", "America/New_York"),
])
def test_zones_written_after_the_time(one, text: str, zone: str) -> None:
    t = one(text, zone="Asia/Kolkata")
    assert t.zone == zone and t.utc is not None


def test_a_written_offset(one) -> None:
    t = one("15:00 UTC+5:30", zone="Europe/Berlin")
    assert (iso(t), t.zone) == ("2026-03-23T09:30Z", "UTC+05:30")
    assert iso(one("3pm GMT-3")) == "2026-03-23T18:00Z"


def test_ambiguous_abbreviations_are_not_guessed(one) -> None:
    t = one("call at 3pm IST", zone="Europe/Berlin")
    assert t.utc is None and t.zone is None
    assert t.note.startswith("ambiguous_zone") and "Asia/Kolkata" in t.note and "Europe/Dublin" in t.note
    for abbr in ("CST", "BST", "AST"):
        assert one(f"call at 3pm {abbr}", zone="Europe/Berlin").note.startswith("ambiguous_zone")


def test_an_ambiguous_abbreviation_is_read_in_the_authors_own_zone(one) -> None:
    assert one("call at 3pm IST", zone="Asia/Kolkata").zone == "Asia/Kolkata"
    assert one("call at 3pm IST", zone="Europe/Dublin").zone == "Europe/Dublin"
    assert one("call at 3pm CST", zone="America/Chicago").zone == "America/Chicago"


def test_abbreviations_whose_zones_agree_are_read(one) -> None:
    # MST is Denver or Phoenix: the same in winter, an hour apart in summer
    winter = one("call at 3pm MST", zone="Europe/Berlin", at=datetime(2026, 1, 14, 9, tzinfo=timezone.utc))
    assert iso(winter) == "2026-01-14T22:00Z"
    summer = one("call at 3pm MST", zone="Europe/Berlin", at=SUMMER)
    assert summer.utc is None and summer.note.startswith("ambiguous_zone")
    assert one("3pm CET", at=SUMMER).zone == "Europe/Berlin"     # Berlin and Paris always agree


def test_abbreviations_must_be_capitals(find) -> None:
    # French "et" (and), "est" (is): never zones
    assert [t.zone for t in find("à 15h et 16h", locale="fr", zone="Europe/Paris")] == ["Europe/Paris"] * 2
    assert find("la réunion de 15h est annulée", locale="fr", zone="Europe/Paris")[0].zone == "Europe/Paris"


def test_my_time_and_your_time(one) -> None:
    assert one("3pm my time", zone="Asia/Tokyo").zone == "Asia/Tokyo"
    yours = one("3pm your time", zone="Asia/Tokyo")
    assert yours.utc is None and yours.note.startswith("reader_zone")
    local = one("lands 6:45pm local time")
    assert local.utc is None and local.note.startswith("local_time")


def test_a_first_name_after_a_time_is_not_a_zone(one) -> None:
    # Casey is an Antarctic zone; bare, only big cities count
    assert one("at 3pm Casey presents", zone="Europe/Berlin").zone == "Europe/Berlin"


def test_a_message_without_the_authors_zone(one) -> None:
    assert one("3pm CET", zone=None).zone == "Europe/Berlin"
    unknown = one("3pm", zone=None)
    assert unknown.utc is None and unknown.note.startswith("no_zone")


# --------------------------------------------------------------------------- DST

def test_a_time_in_a_dst_gap_is_reported_not_moved(one) -> None:
    t = one("batch job at 02:30 on Sunday", zone="Europe/Berlin")     # 29 March 2026: 02:00 -> 03:00
    assert t.utc is None and t.zone == "Europe/Berlin" and t.note.startswith("nonexistent_time")


def test_a_time_in_a_dst_overlap_is_reported_not_guessed(one) -> None:
    t = one("Sunday 02:30 the clocks go back", zone="Europe/Berlin",
            at=datetime(2026, 10, 23, 10, tzinfo=timezone.utc))      # 25 October 2026: 02:00-03:00 twice
    assert t.utc is None and t.zone == "Europe/Berlin" and t.note.startswith("ambiguous_time")


def test_abbreviations_mean_the_zones_wall_clock_all_year(one) -> None:
    # people write PST in July and mean Pacific time (PDT)
    assert iso(one("3pm PST", at=SUMMER)) == "2026-06-10T22:00Z"


# --------------------------------------------------------------------------- what is not a meeting time

@pytest.mark.parametrize("text", [
    "back in 15 minutes", "in 2 hours", "give me 5 min", "in 1:30 we land", "it took 1:30 to build",
    "upgrade to v2.10.3", "python 3.11", "release 10.15.7",
    "ping 2001:db8::10:30", "fe80::1:15 is the gateway", "server 192.168.1.15:8080", "mac 00:1a:2b:3c:4d:5e",
    "we won 3:1", "final score 21:15", "a 16:9 aspect ratio", "16:10 monitor", "odds are 2:1",
    "call +1 415 555 0130", "my number is 020 7946 0958", "(415) 555-0100",
    "14:02:11 WARN retry", "2026-03-23 10:32:07 ERROR boom", "[10:32] alice: 3pm?",
    "John 3:16", "Error at line 15:30", "skip to 12:30 in the video",
    "https://example.com/meet?at=15:00", "see docs.example.com/10:30", "price 12.30", "15 people", "2024",
])
def test_not_a_meeting_time(find, text: str) -> None:
    assert find(text) == []


def test_code_spans_and_blocks_are_ignored(find) -> None:
    assert find("run `at 3pm` now") == []
    assert find("```\nschedule.at('10:30')\n3pm\n```") == []
    assert [t.text for t in find("```\n10:30\n```\nreal meeting 3pm")] == ["3pm"]


def test_quotes_of_other_messages_are_ignored(find) -> None:
    assert find("> let's sync at 3pm\nsounds good") == []
    assert find("&gt; let's sync at 3pm\nsounds good") == []
    assert [t.text for t in find("> at 3pm?\nbetter 4pm")] == ["4pm"]


def test_platform_tokens_are_ignored(find) -> None:
    assert find("<t:1774274400:F> was posted by <@U123> in <#C42|general>") == []


def test_offsets_point_into_the_original_message(find) -> None:
    text = "`code` then > not a quote, and 3pm CET"
    (t,) = find(text)
    assert text[t.start:t.end] == t.text == "3pm CET"


# --------------------------------------------------------------------------- privacy

def test_message_text_is_never_logged(find, caplog: pytest.LogCaptureFixture) -> None:
    secret = "the merger call is at 3pm CET with ACME"
    with caplog.at_level(logging.DEBUG):
        find(secret)
        find("```\n" + secret + "\n```")
    assert not any("ACME" in r.getMessage() or "merger" in r.getMessage() for r in caplog.records)


def test_detect_times_is_pure(find) -> None:
    text = "sync tomorrow 3pm CET"
    assert find(text) == find(text)
    assert find(text, at=MONDAY)[0].utc != find(text, at=SUMMER)[0].utc


def test_a_day_of_the_month_alone(one) -> None:
    assert iso(one("3pm on the 25th")) == "2026-03-25T14:00Z"
    assert iso(one("am 25. um 15 Uhr", locale="de")) == "2026-03-25T14:00Z"
    assert iso(one("le 2 à 15h", locale="fr", zone="Europe/Paris")) == "2026-04-02T13:00Z"


def test_a_day_meant_but_not_named_is_not_guessed(one) -> None:
    for text, locale in (("next week at 3pm", "en"), ("nächste Woche um 15 Uhr", "de"),
                         ("la semana que viene a las 16:00", "es"), ("来週15時", "ja")):
        t = one(text, locale=locale)
        assert t.utc is None and t.note.startswith("vague_day"), text


def test_h_after_an_hour_is_a_clock_where_people_write_it_so(find) -> None:
    assert iso(find("um 14h", locale="de")[0]) == "2026-03-23T13:00Z"
    assert iso(find("15:30h", locale="en")[0]) == "2026-03-23T14:30Z"
    assert find("a 15h flight", locale="en") == []
