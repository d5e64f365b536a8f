"""The maintained date/time parsers, scored on the conversion corpus the way Meridian's detector is.

Not part of `python -m bench`: the libraries are not Meridian dependencies. Run it in a throwaway venv:

    uv venv /tmp/evalvenv && uv pip install --python /tmp/evalvenv/bin/python \\
        dateparser datefinder ctparse recognizers-text-suite "emoji<1.0" babel pytz tzdata
    PYTHONPATH=. /tmp/evalvenv/bin/python -m bench.conversion_libraries [meridian dateparser ...]

Each library gets the author's zone, language and send time where its API takes them, and is given the
benefit of the doubt: only results that contain a clock time are counted (a date alone is dropped), a
naive result is read in the author's zone, and its span is where its matched words are in the message.
The findings are in docs/CONVERSION.md ("Libraries").
"""
from __future__ import annotations

import re
import statistics
import sys
import time as clock
from datetime import datetime
from typing import Callable

from bot.time import GapPolicy, OverlapPolicy, iso_z, localize, parse_instant, to_local, to_utc
from tests.support.conversion_corpus import evaluate, load, meridian_detector

_CLOCKISH = re.compile(r"\d|noon|midnight|midi|minuit|mediod|meio-dia|正午", re.I)
_LANG = {"pt_BR": "pt"}


def _instant(value: datetime, zone: str | None) -> str | None:
    if value.tzinfo is not None:
        return iso_z(to_utc(value))
    if not zone:
        return None
    return iso_z(localize(value.replace(tzinfo=None), zone, gap=GapPolicy.FORWARD, overlap=OverlapPolicy.FIRST))


def _local_base(item: dict) -> datetime:
    return to_local(parse_instant(item["at"]), item["zone"] or "UTC").replace(tzinfo=None)


def _span(text: str, words: str, cursor: int) -> tuple[int, int]:
    start = text.find(words, cursor)
    if start < 0:
        start = text.find(words)
    return (start, start + len(words)) if start >= 0 else (0, len(text))


def dateparser_detector() -> Callable[[dict], list[dict]]:
    from dateparser.search import search_dates

    def detect(item: dict) -> list[dict]:
        lang = _LANG.get(item["locale"], item["locale"])
        settings = {"RELATIVE_BASE": _local_base(item), "TIMEZONE": item["zone"] or "UTC",
                    "RETURN_AS_TIMEZONE_AWARE": True}
        try:
            found = search_dates(item["text"], languages=[lang, "en"] if lang != "en" else ["en"],
                                 settings=settings) or []
        except Exception:
            found = []
        out, cursor = [], 0
        for words, value in found:
            if not _CLOCKISH.search(words):
                continue
            start, end = _span(item["text"], words, cursor)
            cursor = end
            out.append({"text": words, "start": start, "end": end, "utc": _instant(value, item["zone"]),
                        "zone": item["zone"], "note": None})
        return out
    return detect


def datefinder_detector() -> Callable[[dict], list[dict]]:
    import datefinder

    def detect(item: dict) -> list[dict]:
        out = []
        try:
            for value, words, (start, end) in datefinder.find_dates(item["text"], source=True, index=True,
                                                                     base_date=_local_base(item)):
                if _CLOCKISH.search(words):
                    out.append({"text": words, "start": start, "end": end, "utc": _instant(value, item["zone"]),
                                "zone": item["zone"], "note": None})
        except Exception:
            pass
        return out
    return detect


def recognizers_detector() -> Callable[[dict], list[dict]]:
    import warnings

    warnings.simplefilter("ignore")
    from recognizers_date_time import Culture, recognize_datetime

    cultures = {"en": Culture.English, "es": Culture.Spanish, "fr": Culture.French, "pt_BR": Culture.Portuguese,
                "ja": Culture.Japanese}

    def detect(item: dict) -> list[dict]:
        culture = cultures.get(item["locale"], Culture.English)
        out = []
        try:
            results = recognize_datetime(item["text"], culture, reference=_local_base(item))
        except Exception:
            results = []
        for r in results:
            if r.type_name.split(".")[-1] not in ("time", "datetime", "timerange", "datetimerange"):
                continue
            values = (r.resolution or {}).get("values", [])
            utc = None
            if len(values) == 1:
                v = values[0]
                raw = v.get("value") or v.get("start")
                if raw:
                    if len(raw) == 8:          # a time alone: today
                        raw = f"{_local_base(item).date().isoformat()} {raw}"
                    utc = _instant(datetime.fromisoformat(raw), item["zone"])
            out.append({"text": r.text, "start": r.start, "end": r.end + 1, "utc": utc, "zone": item["zone"],
                        "note": None if utc else "ambiguous"})
        return out
    return detect


def ctparse_detector() -> Callable[[dict], list[dict]]:
    from ctparse import ctparse
    from ctparse.types import Interval, Time

    def detect(item: dict) -> list[dict]:
        try:
            parse = ctparse(item["text"], ts=_local_base(item), timeout=1.0)
        except Exception:
            parse = None
        if parse is None:
            return []
        res = parse.resolution
        start = res.start if isinstance(res, Interval) else res
        if not isinstance(start, Time) or start.hour is None or start.year is None:
            return []
        value = datetime(start.year, start.month, start.day, start.hour, start.minute or 0)
        return [{"text": item["text"], "start": 0, "end": len(item["text"]), "utc": _instant(value, item["zone"]),
                 "zone": item["zone"], "note": None}]
    return detect


LIBRARIES: dict[str, Callable[[], Callable[[dict], list[dict]]]] = {
    "meridian": lambda: meridian_detector, "dateparser": dateparser_detector, "datefinder": datefinder_detector,
    "recognizers-text": recognizers_detector, "ctparse": ctparse_detector,
}


def timed(detector: Callable[[dict], list[dict]]) -> tuple[Callable[[dict], list[dict]], list[float]]:
    times: list[float] = []

    def run(item: dict) -> list[dict]:
        began = clock.perf_counter()
        out = detector(item)
        times.append(clock.perf_counter() - began)
        return out
    return run, times


def main(argv: list[str] | None = None) -> int:
    wanted = set(argv if argv is not None else sys.argv[1:]) or set(LIBRARIES)
    items = load()
    print(f"{'library':18} {'precision':>9} {'recall':>7} {'wrong instant':>13} {'detections':>10} "
          f"{'p50 ms':>7} {'p99 ms':>7}")
    for name, make in LIBRARIES.items():
        if name not in wanted:
            continue
        try:
            detector = make()
        except Exception as error:                 # not installed here
            print(f"{name:18} not available ({type(error).__name__}: {error})")
            continue
        detector({"text": "warm up at 3pm", "zone": "UTC", "locale": "en", "at": "2026-03-23T09:15:00Z"})
        run, times = timed(detector)
        total, per_locale = evaluate(run, items)
        ordered = sorted(times)
        p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
        print(f"{name:18} {total.precision:9.3f} {total.recall:7.3f} {total.wrong_instant:13d} {total.detections:10d} "
              f"{statistics.median(times) * 1000:7.2f} {p99 * 1000:7.2f}")
        for locale, score in per_locale.items():
            print(f"    {locale:6} precision {score.precision:.3f} recall {score.recall:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
