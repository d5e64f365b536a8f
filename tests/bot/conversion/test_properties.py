"""Whatever people type, the detector answers without raising, and every answer points into the message."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.conversion import detect_times

WORDS = ["3pm", "15:00", "at", "um", "Uhr", "h", "à", "a las", "às", "tomorrow", "morgen", "demain", "mañana", "明日",
         "कल", "غدًا", "CET", "IST", "PT", "UTC+5:30", "GMT-3", "Tokyo", "time", "in", "London", "-", "–", "to", "bis",
         "between", "and", "12", "0", "24", "99", "1:1", "noon", "midnight", "midi", "正午", "15時", "午後", "बजे",
         "शाम", "الساعة", "مساءً", "`", "```", ">", "\n", "http://x.y/15:00", "v1.2.3", "10.0.0.1", "Friday", "lundi",
         "25.03.", "2026-03-29", "March", "29", "02:30", "de la tarde", "du soir", "12am", "(", ")", "my", "your",
         "3月", "日", "〜", "から", "Europe/Berlin", "Z", "2026-10-25T02:30", "+01:00", "next", "24:00", "٣"]
ZONES = st.sampled_from(["Europe/Berlin", "America/New_York", "Asia/Kolkata", None, "Pacific/Chatham",
                         "Australia/Lord_Howe", "UTC", "Not/AZone"])
LOCALES = st.sampled_from(["en", "de", "es", "fr", "pt_BR", "ja", "hi", "ar", None, "xx", "pt-BR"])
WHEN = st.integers(0, 2 * 365 * 24 * 60).map(lambda m: datetime(2026, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=m))
TEXT = st.one_of(st.lists(st.sampled_from(WORDS), max_size=10).map(" ".join),
                 st.lists(st.sampled_from(WORDS), max_size=6).map("".join), st.text(max_size=80))


@settings(max_examples=400, deadline=None)
@given(text=TEXT, zone=ZONES, locale=LOCALES, at=WHEN)
def test_any_text_gives_well_formed_answers(text: str, zone: str | None, locale: str | None, at: datetime) -> None:
    for t in detect_times(text, zone=zone, locale=locale, at=at):
        assert 0 <= t.start < t.end <= len(text)
        assert text[t.start:t.end] == t.text
        assert (t.utc is None) == (t.note is not None)
        t.to_json()
