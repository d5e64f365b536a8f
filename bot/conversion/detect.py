"""`detect_times`: the clock times in a chat message, each read as an instant. Pure: text in, times out.

    detect_times("let's sync at 3pm CET tomorrow", zone="America/New_York", locale="en", at=sent_at)
    -> [DetectedTime(text='3pm CET tomorrow', start=14, end=30, utc=…14:00Z, zone='Europe/Berlin', note=None)]

Three steps, one module each: `ignore.mask` blanks what is never a meeting time (code, quotes, links,
addresses, versions, phone numbers, logs); `scan.scan` finds clock times and the range, day, part of
day and zone written around them, in English, the author's language and the non-Latin scripts;
`read.read` turns each into an instant with bot.time, or into None with a note when it would be a guess.
The message text is only read: nothing here stores, caches or logs it.
"""
from __future__ import annotations

import re
from datetime import datetime

from bot.conversion.ignore import mask
from bot.conversion.lexicon import languages_for
from bot.conversion.read import Context, DetectedTime, read, twelve_hour
from bot.conversion.scan import scan
from bot.time import ensure_aware

# No digit and none of these words: no time (most messages stop here).
_MAYBE = re.compile(r"\d|noon|midday|midnight|mediod|medianoche|midi|minuit|meio|meia|mitternacht|正午|深夜|आधी रात"
                    r"|منتصف", re.I)


def detect_times(text: str, *, zone: str | None, locale: str | None = "en", at: datetime) -> list[DetectedTime]:
    """Every clock time in `text`, read in `zone` (the author's IANA zone) as of `at` (when it was sent).

    `locale` is the author's (en, de, es, fr, pt_BR, ja, hi, ar): it picks the language read beside
    English and the scripts, and whether "9:30" is a 24-hour clock. Times whose instant would be a
    guess come back with `utc=None` and a `note`.
    """
    if not text or not _MAYBE.search(text):
        return []
    ensure_aware(at)
    masked = mask(text)
    if masked is not text and not _MAYBE.search(masked):
        return []
    ctx = Context(zone=zone or None, at=at, twelve_hour=twelve_hour(locale, zone or None))
    times: list[DetectedTime] = []
    for found in scan(masked, languages_for(locale)):
        times.extend(read(found, text, ctx))
    return times
