"""Finding time expressions in (masked) text: clocks, then the range, day, part of day and zone around them.

Pure text work: nothing here knows what instant an expression means (that is `read.py`). A `Found`
records what was written and where; an expression with too little evidence of being a clock time
("at 4", "15.30", "2h") is kept only when its surroundings make it one ("at 4 CET", "um 15.30",
"à 2h du matin") and dropped when they unmake it ("won 21:15", "in 1:30", "2h de réunion").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Iterator, Pattern

from bot.conversion.lexicon import LANGUAGES, NIGHT, Language, alternation, month_words, weekday_words

LATIN = r"A-Za-zÀ-ɏ"
_LB = rf"(?<![{LATIN}\d_:：.,/+])"          # a clock starts here: not inside a word, number, time or path
_RB = rf"(?![{LATIN}\d_])"                   # and ends here
_AMPM_CORE = r"[AaPp]\.?\s?[Mm]\.?"
_AMPM = rf"(?P<ap>{_AMPM_CORE})(?![A-Za-z])"
_WORD_L = r"(?<!\w)"
_WORD_R = r"(?!\w)"


@dataclass
class Clock:
    start: int
    end: int
    hour: int
    minute: int = 0
    meridiem: str | None = None       # "am" | "pm" written with the clock
    daypart: str | None = None        # AM | PM | NIGHT from words around it
    marker: str = ""                  # "colon", "dot", "ampm", "uhr", "h", "ji", "baje", "saa", "oclock", "prep",
                                      # "daypart", "noon", "midnight", "iso", "bare"
    padded: bool = False              # "09:00": written as a 24-hour clock
    on: date | None = None            # ISO: the date written with it
    offset_minutes: int | None = None  # ISO: the offset written with it (Z is 0)
    weak: bool = False                # needs help from its surroundings to count as a time
    lang: str = "en"


@dataclass
class DateRef:
    start: int
    end: int
    kind: str                          # "rel" | "weekday" | "md" (month 0: "the 25th") | "vague" ("next week")
    days: int = 0                      # rel: days after today
    weekday: int = 0
    strictly_next: bool = False
    month: int = 0
    day: int = 0
    year: int | None = None


@dataclass
class ZoneRef:
    start: int
    end: int
    kind: str                          # "names" (candidate zones) | "offset" | "mine" | "yours" | "local"
    label: str = ""
    zones: tuple[str, ...] = ()
    offset_minutes: int = 0


@dataclass
class Found:
    clocks: list[Clock]
    start: int
    end: int
    date: DateRef | None = None
    zone: ZoneRef | None = None
    instant_utc: bool = False          # an ISO instant with Z or an offset
    signals: set[str] = field(default_factory=set)


# --------------------------------------------------------------------------- patterns per language set

_STRONG_PREPS = {
    "de": ("um", "gegen", "ab"),
    "es": ("a las", "a la", "desde las", "hasta las", "sobre las", "hacia las", "a eso de las", "como a las",
           "entre las", "de las"),
    "pt": ("às", "as", "a partir das", "até as", "até às", "depois das", "antes das", "lá pelas", "por volta das",
           "das", "pelas"),
    "fr": ("à", "vers", "dès", "jusqu'à", "à partir de"),
    "ar": ("الساعة", "الساعه"),
}


@dataclass(frozen=True)
class Patterns:
    clocks: tuple[tuple[str, Pattern[str]], ...]
    prep_left: Pattern[str]
    gap_left: Pattern[str]
    strong_prep_left: Pattern[str]
    noon_prep_left: Pattern[str]
    duration_left: Pattern[str]
    veto_left: Pattern[str]
    units_right: Pattern[str]
    daypart_right: Pattern[str]
    daypart_left: Pattern[str]
    daypart_words: dict[str, str]
    range_mid: Pattern[str]
    range_and_mid: Pattern[str]
    range_intro_left: Pattern[str]
    bare_left: Pattern[str]
    dates: tuple[tuple[str, str, Pattern[str]], ...]     # (language, kind, pattern)
    zone_phrases: Pattern[str]
    zone_phrase_kinds: dict[str, tuple[str, str]]        # folded phrase -> (kind, zone)
    place_forms: tuple[Pattern[str], ...]
    langs: tuple[str, ...]


def _words(words: object) -> str:
    return alternation(words)


@lru_cache(maxsize=32)
def patterns(langs: tuple[str, ...]) -> Patterns:
    chosen = [LANGUAGES[c] for c in langs]
    clocks: list[tuple[str, Pattern[str]]] = []
    # 1. ISO: 2026-03-25T15:00Z, 2026-03-25 15:00
    clocks.append(("iso", re.compile(
        r"(?<![\w:.-])(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?:T|\s+)(?P<h>\d{2}):(?P<m>\d{2})(?::\d{2}(?:\.\d+)?)?"
        r"(?P<off>Z|[+-]\d{2}:?\d{2})?(?![\w:])")))
    # 2. Latin digits with minutes and/or a marker: 15:30, 3pm, 3:30 p.m., 15 Uhr, 15h30, 3 o'clock
    markers = [rf"\s?{_AMPM}"]
    if "de" in langs:
        markers.append(r"(?P<uhr>\s?Uhr(?:\s?(?P<um>\d{2})(?!\d))?(?![\w]))")
    markers.append(r"(?P<hm>\s?(?:h|hs|hrs)(?:\s?(?P<hmm>\d{2})(?!\d))?(?![\w]))")
    markers.append(r"(?P<oc>\s?o['’]?\s?clock(?![\w]))")
    clocks.append(("latin", re.compile(
        _LB + r"(?P<h>\d{1,2})(?:(?P<sep>[:：.])(?P<m>\d{2})(?P<z>Z)?)?(?:" + "|".join(markers) + r")?"
        + rf"(?![{LATIN}\d_:：]|[.,]\d)")))
    # 3. Japanese: 15時, 午後3時半, 15時30分 (never 15時間: hours)
    if "ja" in langs:
        clocks.append(("ja", re.compile(
            r"(?P<pre>午前|午後|朝の?|夜の?|夕方の?|昼の?|深夜)?\s?(?<![\d])(?P<h>\d{1,2})\s?時"
            r"(?:\s?(?P<m>\d{1,2})\s?分|(?P<half>半))?(?!間)")))
    # 4. Hindi: 3 बजे, शाम 4 बजे, साढ़े 3 बजे, 3 बजकर 30 मिनट
    if "hi" in langs:
        clocks.append(("hi", re.compile(
            r"(?:(?P<frac>साढ़े|सवा|पौने)\s?)?(?<!\d)(?P<h>\d{1,2})(?:[:.](?P<m>\d{2}))?\s?"
            r"(?:बजे|बज\s?कर|बजकर)(?:\s?(?P<m2>\d{1,2})\s?मिनट)?")))
    # 5. A preposition that only ever introduces a clock, then a bare hour: um 15, a las 16, às 15, الساعة 3
    strong_preps: list[str] = []      # prepositions that only ever introduce a clock time
    bare_preps: list[str] = []        # ... and that are written before a bare hour ("um 15", not "à 15")
    for lang in chosen:
        own = list(_STRONG_PREPS.get(lang.code, ()))
        strong_preps += own
        if lang.code != "fr":
            bare_preps += own
    if bare_preps:
        clocks.append(("prep", re.compile(
            rf"(?<!\w)(?P<prep>{_words(bare_preps)})\s*(?<![\d])(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?"
            rf"(?:\s?{_AMPM})?(?![\d:：]|[.,]\d|\s?(?:%|h\b|hs\b|Uhr|uhr|°))")))
    # 6. A bare hour followed by a part of the day: "4 de la tarde", "8 tonight", "3 مساءً", "9 in the morning"
    dayparts_after: dict[str, str] = {}
    for lang in chosen:
        dayparts_after.update({k.casefold(): v for k, v in lang.dayparts_after.items()})
    if dayparts_after:
        clocks.append(("daypart", re.compile(
            rf"(?<![\w:.,/+\-])(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?\s*(?P<dp>{_words(dayparts_after)})(?!\w)",
            re.I)))
    # 7. noon and midnight words
    noon = [w for lang in chosen for w in lang.noon]
    midnight = [w for lang in chosen for w in lang.midnight]
    clocks.append(("noon", re.compile(rf"(?<![\w])(?:(?P<noon>{_words(noon)})|(?P<midnight>{_words(midnight)}))"
                                      rf"(?![\w])", re.I)))
    if "ja" in langs:
        clocks.append(("noon", re.compile(r"(?P<noon>正午)|(?P<midnight>深夜0時|午前0時|夜中の12時)")))

    preps = [p for lang in chosen for p in lang.preps]
    noon_preps = [p for lang in chosen for p in lang.noon_preps]
    duration = [p for lang in chosen for p in lang.duration_preps]
    veto = [p for lang in chosen for p in lang.veto_before]
    units = [u for lang in chosen for u in lang.units_after]
    dayparts_before: dict[str, str] = {}
    for lang in chosen:
        dayparts_before.update({k.casefold(): v for k, v in lang.dayparts_before.items()})
    daypart_words = {**dayparts_before, **dayparts_after}
    range_to = [w for lang in chosen for w in lang.range_to]
    range_and = [w for lang in chosen for w in lang.range_and]
    range_intro = [w for lang in chosen for w in lang.range_intro] + ["zwischen"]
    prep_re = _words(preps)

    dates: list[tuple[str, str, Pattern[str]]] = []
    for lang in chosen:
        dates.extend(_date_patterns(lang))
    dates.append(("en", "iso", re.compile(r"(?<![\w.-])(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})(?![\w])")))

    phrase_kinds: dict[str, tuple[str, str]] = {}
    for lang in chosen:
        for w in lang.my_time:
            phrase_kinds[w.casefold()] = ("mine", "")
        for w in lang.your_time:
            phrase_kinds[w.casefold()] = ("yours", "")
        for w in lang.local_time:
            phrase_kinds[w.casefold()] = ("local", "")
        for w, z in lang.zone_words.items():
            phrase_kinds[w.casefold()] = ("names", z)
    boundary_l = "" if langs == ("ja",) else r"(?<![A-Za-zÀ-ɏ])"
    zone_phrases = re.compile(boundary_l + rf"(?P<phrase>{_words(phrase_kinds)})(?![A-Za-zÀ-ɏ])", re.I)
    place = (r"(?P<place>[A-ZÀ-Ý][\w'’.-]*(?:\s+(?:de|del|da|do|dos|of|la|el|los|las|am)?\s*[A-ZÀ-Ý][\w'’.-]*){0,2})")
    place_ar = r"(?P<place>[\u0621-\u064A]+(?:\s[\u0621-\u064A]+)?)"
    forms: list[Pattern[str]] = []
    for lang in chosen:
        for form in lang.place_time:
            forms.append(re.compile(form.format(place=place_ar if lang.code == "ar" else place)))

    return Patterns(
        clocks=tuple(clocks),
        prep_left=re.compile(rf"(?<!\w)(?:{prep_re})[\s,]*$", re.I),
        gap_left=re.compile(rf"^[\s,]*(?:(?:{_GAP_WORDS}|{prep_re})\s*)*$", re.I),
        strong_prep_left=re.compile(rf"(?<!\w)(?:{_words(strong_preps or ['@'])})\s*$", re.I),
        noon_prep_left=re.compile(rf"(?<!\w)(?:{_words(noon_preps or ['at'])})\s*$", re.I),
        duration_left=re.compile(rf"(?<!\w)(?:{_words(duration)})\s*$", re.I),
        veto_left=re.compile(rf"(?<!\w)(?:{_words([v for v in veto if v.isascii()])})(?:\W+\w+){{0,3}}\W*$"
                             rf"|(?:{_words([v for v in veto if not v.isascii()])})[^\n]{{0,12}}$", re.I),
        units_right=re.compile(rf"^\s*(?:{_words(units)})(?!\w)", re.I),
        daypart_right=re.compile(rf"^[ \t]*(?:,\s*)?(?P<dp>{_words(dayparts_after)})(?!\w)", re.I),
        daypart_left=re.compile(rf"(?<!\w)(?P<dp>{_words(dayparts_before)})(?:\s+(?:at|um|à|a las|às|de|um ca\.))?"
                                r"[\s,の]*$", re.I),
        daypart_words=daypart_words,
        range_mid=re.compile(rf"^\s*(?P<to>{_words(range_to)})\s*$", re.I),
        range_and_mid=re.compile(rf"^\s*(?:{_words(range_and)})\s*$", re.I),
        range_intro_left=re.compile(rf"(?<!\w)(?:{_words(range_intro)})(?:\s+(?:las|la|as|the|les|الساعة))?\s*$", re.I),
        bare_left=re.compile(
            rf"(?:(?<![\w:.,/+\-])(?P<intro>{_words(range_intro)})\s+)?(?:(?:{_words(['las', 'as', 'the'])})\s+)?"
            rf"(?<![\w:.,/+\-])(?P<h>\d{{1,2}})(?:[:.](?P<m>\d{{2}}))?(?:\s?(?P<ap>{_AMPM_CORE})(?![A-Za-z]))?"
            rf"\s*(?P<to>{_words(range_to + range_and)})\s*$", re.I),
        dates=tuple(dates),
        zone_phrases=zone_phrases,
        zone_phrase_kinds=phrase_kinds,
        place_forms=tuple(forms),
        langs=langs,
    )


def _date_patterns(lang: Language) -> Iterator[tuple[str, str, Pattern[str]]]:
    left, right = ("", "") if lang.code == "ja" else (_WORD_L, _WORD_R)
    rel = {**{w: 0 for w in lang.today}, **{w: 1 for w in lang.tomorrow}, **{w: 2 for w in lang.day_after},
           **{w: -1 for w in lang.yesterday}, **{w: 0 for w in lang.tonight}}
    rel = {k: v for k, v in rel.items() if k not in ("ce", "esta")}
    if rel:
        yield lang.code, "rel", re.compile(rf"{left}(?P<rel>{_words(rel)}){right}", re.I)
    weekdays = weekday_words(lang.code)
    prefix = _words(lang.weekday_prefix) if lang.weekday_prefix else r"(?!x)x"
    nxt = _words(lang.next_words) if lang.next_words else r"(?!x)x"
    after = _words(lang.next_after) if lang.next_after else r"(?!x)x"
    yield lang.code, "weekday", re.compile(
        rf"{left}(?:(?P<prefix>{prefix})\s+)?(?:(?P<next>{nxt})\s*)?(?P<wd>{_words(weekdays)})"
        rf"(?:-feira)?{right}(?:\s+(?P<after>{after}){right})?", re.I)
    if lang.code == "en":
        yield "en", "weekday", re.compile(
            r"(?<!\w)(?:(?P<prefix>on|this)\s+)?(?:(?P<next>next)\s+)?"
            r"(?P<wd>Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\.?(?!\w)")
    months = month_words(lang.code)
    for form in lang.month_day:
        yield lang.code, "md", re.compile(left + form.format(month=_words(months)) + (right if "mn" not in form else ""),
                                          re.I)
    if lang.code == "ja":
        yield "ja", "md", re.compile(r"(?:(?P<y>\d{4})年)?(?P<mn>\d{1,2})月(?P<d>\d{1,2})日(?:\s?[（(][月火水木金土日][)）])?")
    if lang.day_of_month:
        yield lang.code, "md", re.compile(left + lang.day_of_month + right, re.I)
    if lang.vague_days:
        yield lang.code, "vague", re.compile(rf"{left}(?P<vague>{_words(lang.vague_days)}){right}", re.I)


# --------------------------------------------------------------------------- clocks

def _clock_candidates(masked: str, p: Patterns) -> list[Clock]:
    found: list[Clock] = []
    for kind, pattern in p.clocks:
        for m in pattern.finditer(masked):
            clock = _clock_from(kind, m, masked, p)
            if clock is not None:
                found.append(clock)
    # keep the longest of overlapping candidates
    found.sort(key=lambda c: (c.start, -(c.end - c.start)))
    kept: list[Clock] = []
    for clock in found:
        if kept and clock.start < kept[-1].end:
            if clock.end - clock.start > kept[-1].end - kept[-1].start:
                kept[-1] = clock
            continue
        kept.append(clock)
    return kept


def _num(text: str | None) -> int:
    return int(text) if text else 0


def _clock_from(kind: str, m: re.Match[str], masked: str, p: Patterns) -> Clock | None:
    g = m.groupdict()
    if kind == "iso":
        clock = Clock(m.start(), m.end(), _num(g["h"]), _num(g["m"]), marker="iso", padded=True)
        try:
            clock.on = date(int(g["y"]), int(g["mo"]), int(g["d"]))
        except ValueError:
            return None
        off = g.get("off")
        if off:
            sign = -1 if off.startswith("-") else 1
            digits = off.lstrip("+-").replace(":", "")
            clock.offset_minutes = 0 if off == "Z" else sign * (int(digits[:2]) * 60 + int(digits[2:]))
        return clock if clock.hour <= 23 and clock.minute <= 59 else None
    if kind == "noon":
        if g.get("noon"):
            return Clock(m.start(), m.end(), 12, 0, marker="noon", weak=m.group(0) != "正午")
        return Clock(m.start(), m.end(), 0, 0, marker="midnight", weak=not m.group(0).endswith("時"))
    hour = _num(g.get("h"))
    minute = _num(g.get("m"))
    clock = Clock(m.start(), m.end(), hour, minute)
    h_text = g.get("h") or ""
    clock.padded = len(h_text) == 2 and h_text.startswith("0")
    if kind == "latin":
        sep, ap = g.get("sep"), g.get("ap")
        if g.get("uhr") is not None:
            clock.marker, clock.lang = "uhr", "de"
            if g.get("um"):
                if sep:
                    return None
                clock.minute = _num(g["um"])
        elif g.get("hm") is not None:
            clock.marker, clock.lang = "h", "fr"
            if not sep and not g.get("hmm") and not any(c in p.langs for c in ("fr", "es", "pt", "de")):
                return None             # English "15h" is fifteen hours; "15:30h" and "15h30" are times
            if g.get("hmm"):
                if sep:
                    return None
                clock.minute = _num(g["hmm"])
            if g["hm"].strip() in ("hrs", "hs") and not sep and not g.get("hmm"):
                clock.weak = True
            if not sep and not g.get("hmm") and hour <= 12:
                clock.weak = True       # "2h": often two hours
        elif ap:
            if "de" in p.langs and ap == "am" and re.match(r"\s*[A-ZÄÖÜ\d]", masked[m.end():]):
                return None             # German "um 3 am Freitag": "am" is "on the"
            clock.marker = "ampm"
            clock.meridiem = "pm" if ap[0] in "pP" else "am"
            if not 1 <= hour <= 12:
                return None
        elif g.get("oc"):
            clock.marker = "oclock"
            if sep:
                return None
        elif sep:
            clock.marker = "dot" if sep == "." else "colon"
            if sep == ".":
                clock.weak = True
        else:
            return None                 # a number alone is never a time
        if g.get("z"):
            if clock.marker != "colon":
                return None
            clock.offset_minutes = 0    # "03:00Z"
        if sep and not g.get("m"):
            return None
    elif kind == "ja":
        clock.marker, clock.lang = "ji", "ja"
        if g.get("half"):
            clock.minute = 30
        pre = (g.get("pre") or "").rstrip("の")
        clock.daypart = p.daypart_words.get(pre) if pre else None
        if pre == "深夜":
            clock.daypart = NIGHT
            if hour in (0, 12) and not clock.minute:
                clock.marker, clock.hour = "midnight", 0
    elif kind == "hi":
        clock.marker, clock.lang = "baje", "hi"
        frac = g.get("frac")
        if g.get("m2"):
            clock.minute = _num(g["m2"])
        if frac == "साढ़े":
            clock.minute = 30
        elif frac == "सवा":
            clock.minute = 15
        elif frac == "पौने":
            clock.hour, clock.minute = (hour - 1) % 12 or 12, 45
    elif kind == "prep":
        prep = g["prep"].casefold()
        clock.start = m.start("h")
        clock.marker = "prep"
        clock.lang = "ar" if prep.startswith("ال") else "x"
        if clock.lang == "ar":
            clock.start = m.start()
        if m.group("m"):
            clock.marker = "colon" if ":" in m.group(0) else "dot"
        if g.get("ap"):
            if not 1 <= hour <= 12:
                return None
            clock.meridiem = "pm" if g["ap"][0] in "pP" else "am"
        elif clock.lang != "ar" and hour <= 12 and not m.group("m"):
            clock.weak = True           # "a las 4", "um 3": am or pm? kept only with more evidence
    elif kind == "daypart":
        dp = p.daypart_words.get(re.sub(r"\s+", " ", g["dp"].casefold()))
        clock.marker, clock.daypart = "daypart", dp
        if g.get("m"):
            clock.marker = "colon" if ":" in m.group(0) else "dot"
        if not 1 <= hour <= 12:
            return None
        clock.end = m.start("dp")
        clock.end = len(masked[:clock.end].rstrip())
    if clock.hour > 24 or clock.minute > 59 or (clock.hour == 24 and clock.minute):
        return None
    if clock.hour == 24:
        clock.hour, clock.marker, clock.weak = 0, "midnight", False     # "24:00": the end of the day
    return clock


# --------------------------------------------------------------------------- around the clocks

_GAP_WORDS = (r"at|on|um|am|à|a|a las|a la|às|as|le|el|de|no|na|pelas|@|の|、|,|-|–|—|von|from|between|zwischen|entre"
              r"|entre las|das|desde|desde las|de las|को|من|بين")
_GAP_RIGHT = re.compile(r"^[ \t]*(?:(?:sharp|on|am|le|el|de|no|na|の)\s+)*$", re.I)


_NEEDS_INTRO = frozenset({"and", "und", "y", "y las", "et", "e", "&", "و", "à", "a", "as", "às", "a las"})


def scan(masked: str, langs: tuple[str, ...]) -> list[Found]:
    """Every time expression in `masked` (text already cleared of code, links, quotes and the like)."""
    p = patterns(langs)
    clocks = _clock_candidates(masked, p)
    if not clocks:
        return []
    dates = _dates(masked, p)
    found: list[Found] = []
    i = 0
    while i < len(clocks):
        clock = clocks[i]
        f = Found([clock], clock.start, clock.end)
        # a range with the next clock: "2pm-3pm", "14:00 bis 15:00", "de 14h à 15h"
        if i + 1 < len(clocks):
            nxt = clocks[i + 1]
            mid = masked[clock.end:nxt.start]
            if p.range_mid.match(mid) or (p.range_and_mid.match(mid) and p.range_intro_left.search(
                    masked[max(0, clock.start - 15):clock.start])):
                f.clocks.append(nxt)
                f.end = nxt.end
                if clock.on is not None and nxt.on is None:
                    nxt.on = clock.on       # "2026-10-25T01:00Z to 03:00Z"
                    if nxt.offset_minutes is None:
                        nxt.offset_minutes = clock.offset_minutes
                f.signals.add("range")
                i += 1
        # a range from a bare number: "3-4pm", "between 2 and 3pm", "von 14 bis 15 Uhr", "14〜15時"
        if len(f.clocks) == 1 and clock.marker not in ("iso", "noon", "midnight"):
            left = masked[max(0, clock.start - 30):clock.start]
            bare = p.bare_left.search(left)
            short = bare.group("to").casefold() if bare else ""
            if bare and (short not in _NEEDS_INTRO or bare.group("intro")):
                # "and", "à", "a", "e", "y" make a range only after "between", "de", "entre"...: "le 2 à 15h" is not one
                base = clock.start - len(left)
                first = Clock(base + bare.start("h"), base + bare.end("m") if bare.group("m") else base + bare.end("h"),
                              int(bare.group("h")), _num(bare.group("m")), marker=clock.marker, lang=clock.lang,
                              weak=clock.weak,
                              padded=bare.group("h").startswith("0") and len(bare.group("h")) == 2)
                if bare.group("ap"):
                    first.meridiem = "pm" if bare.group("ap")[0] in "pP" else "am"
                    first.end = base + bare.end("ap")
                if first.hour <= 23 and first.minute <= 59 and (not found or found[-1].end <= first.start):
                    f.clocks.insert(0, first)
                    f.start = first.start
                    f.signals.add("range")
        _extend(f, masked, p, dates, clocks[i + 1].start if i + 1 < len(clocks) else None)
        if _keep(f, masked, p):
            found.append(f)
        i += 1
    return found


def _extend(f: Found, masked: str, p: Patterns, dates: list[DateRef], nxt_start: int | None = None) -> None:
    last = f.clocks[-1]
    first = f.clocks[0]
    pos = f.end
    # a part of the day after: "4 de la tarde" (already in the clock), "3 in the afternoon", "8 tonight"
    dp = p.daypart_right.match(masked[pos:pos + 40])
    if dp and last.daypart is None and last.meridiem is None:
        word = re.sub(r"\s+", " ", dp.group("dp").casefold())
        for c in f.clocks:
            if c.meridiem is None and c.daypart is None:
                c.daypart = p.daypart_words.get(word)
        if word in ("tonight", "ce soir", "esta noche", "hoje à noite", "hoje a noite", "الليلة"):
            f.date = f.date or DateRef(pos + dp.start("dp"), pos + dp.end("dp"), "rel", days=0)
        f.end = pos + dp.end()
        pos = f.end
        f.signals.add("daypart")
    # zone and date after, in either order: "3pm CET tomorrow", "15 Uhr morgen (MEZ)"
    for _ in range(2):
        if f.zone is None:
            zone = _zone_after(masked, pos, p)
            if zone is not None:
                f.zone = zone
                f.end = pos = zone.end
                f.signals.add("zone")
                continue
        if f.date is None:
            d = _date_after(masked, pos, dates)
            if d is not None and nxt_start is not None and nxt_start >= d.end and p.gap_left.match(
                    masked[d.end:nxt_start]):
                d = None                    # "18:00 … mañana a las 15:00": the day is the next time's
            if d is not None:
                f.date = d
                f.end = pos = d.end
                f.signals.add("date")
                continue
        break
    # what stands before: a part of the day, a day, a zone ("tomorrow morning at 9", "明日の午後3時", "日本時間15時")
    left_start = max(0, f.start - 60)
    left = masked[left_start:f.start]
    if first.daypart is None and first.meridiem is None:
        dpl = p.daypart_left.search(left)
        if dpl:
            word = re.sub(r"\s+", " ", dpl.group("dp").casefold())
            value = p.daypart_words.get(word)
            for c in f.clocks:
                if c.meridiem is None and c.daypart is None:
                    c.daypart = value
            f.signals.add("daypart")
            if word in ("tonight", "heute abend", "ce soir", "esta noche", "hoje à noite", "الليلة"):
                f.date = f.date or DateRef(left_start + dpl.start(), left_start + dpl.end("dp"), "rel", days=0)
            left = left[:dpl.start()]
            f.start = left_start + dpl.start()
    if f.date is None:
        d = _date_before(masked, f.start, dates, p)
        if d is not None:
            f.date = d
            f.start = d.start
            f.signals.add("date")
    if f.zone is None:
        zone = _zone_before(masked, f.start, p)
        if zone is not None:
            f.zone = zone
            f.start = zone.start
            f.signals.add("zone")
    if first.marker == "iso":
        f.signals.add("iso")
    before = masked[max(0, first.start - 30):first.start]
    if p.prep_left.search(before) or (first.marker in ("noon", "midnight") and p.noon_prep_left.search(before)):
        f.signals.add("prep")


def _keep(f: Found, masked: str, p: Patterns) -> bool:
    """Is there enough evidence that this is a clock time, and nothing that says it is not?"""
    first, last = f.clocks[0], f.clocks[-1]
    before = masked[max(0, first.start - 40):first.start]
    after = masked[last.end:last.end + 30]
    context = f.signals - {"range"}
    told = any(c.meridiem or c.daypart for c in f.clocks)
    # what unmakes a time: a duration ("in 1:30", "dans 2h"), a unit after, a score or ratio before
    if not (told or f.zone or f.date) and p.duration_left.search(before):
        return False
    if last.marker not in ("ampm", "iso") and not f.zone and p.units_right.match(after) and "date" not in context:
        return False
    if not (first.meridiem or f.zone) and p.veto_left.search(before):
        return False
    if all(c.weak for c in f.clocks):
        strong_prep = bool(p.strong_prep_left.search(before))
        if first.marker == "h":          # "2h": two hours, unless "à 2h", "2h du matin", "de 9h à 11h"
            return told or strong_prep or "range" in f.signals
        if first.marker == "dot":        # "15.30": a price or a decimal, unless "um 15.30", "3.30pm", "15.30 CET"
            return told or strong_prep or f.zone is not None
        if first.marker in ("noon", "midnight"):
            return bool(context & {"prep", "date", "zone"})
        if first.marker == "prep":       # "a las 4": a time, am or pm unknown; "um 3 Ecken": not one
            return told or bool(f.zone or f.date) or not re.match(r"[ \t]+[A-ZÄÖÜ]", masked[last.end:last.end + 3])
        return told or bool(context & {"zone", "date", "prep"})
    if any(c.marker in ("ampm", "uhr", "ji", "baje", "iso", "oclock", "h", "prep", "noon", "midnight") for c in
           f.clocks) or told:
        return True
    if context & {"zone", "date", "daypart", "prep", "iso"}:
        return True
    if "range" in f.signals and any(c.marker == "colon" for c in f.clocks):
        return True
    if all(c.marker == "colon" for c in f.clocks):
        # a bare 14:30 with nothing around it: meeting times fall on five-minute marks; 3:16 is a verse
        return all(c.minute % 5 == 0 for c in f.clocks)
    return False


# --------------------------------------------------------------------------- dates

def _dates(masked: str, p: Patterns) -> list[DateRef]:
    out: list[DateRef] = []
    for code, kind, pattern in p.dates:
        for m in pattern.finditer(masked):
            ref = _date_from(code, kind, m)
            if ref is not None:
                out.append(ref)
    out.sort(key=lambda d: (d.start, -(d.end - d.start)))
    kept: list[DateRef] = []
    for d in out:
        if kept and d.start < kept[-1].end:
            continue
        kept.append(d)
    return kept


def _date_from(code: str, kind: str, m: re.Match[str]) -> DateRef | None:
    lang = LANGUAGES[code]
    g = m.groupdict()
    if kind == "rel":
        word = re.sub(r"\s+", " ", g["rel"].casefold())
        days = 0
        for words, value in ((lang.tomorrow, 1), (lang.day_after, 2), (lang.yesterday, -1)):
            if word in {w.casefold() for w in words}:
                days = value
        if code == "de" and word == "morgen" and m.group(0)[0] == "M" and _guten(m):
            return None
        return DateRef(m.start(), m.end(), "rel", days=days)
    if kind == "weekday":
        table = weekday_words(code)
        wd = table.get(g["wd"].casefold())
        if wd is None:
            wd = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5,
                  "sun": 6}.get(g["wd"].casefold())
        if wd is None:
            return None
        strictly = bool(g.get("next")) or bool(g.get("after"))
        return DateRef(m.start(), m.end(), "weekday", weekday=wd, strictly_next=strictly)
    if kind == "vague":
        return DateRef(m.start(), m.end(), "vague")
    if kind == "md":
        if g.get("mon"):
            month = month_words(code).get(g["mon"].casefold().rstrip("."))
        else:
            month = _num(g.get("mn"))
        day = _num(g.get("d"))
        year = g.get("y")
        if "mon" not in g and "mn" not in g:
            return DateRef(m.start(), m.end(), "md", month=0, day=day) if 1 <= day <= 31 else None
        if not month or not 1 <= month <= 12 or not 1 <= day <= 31:
            return None
        y = int(year) if year else None
        if y is not None and y < 100:
            y += 2000
        return DateRef(m.start(), m.end(), "md", month=month, day=day, year=y)
    if kind == "iso":
        try:
            d = date(int(g["y"]), int(g["mo"]), int(g["d"]))
        except ValueError:
            return None
        return DateRef(m.start(), m.end(), "md", month=d.month, day=d.day, year=d.year)
    return None


def _guten(m: re.Match[str]) -> bool:
    before = m.string[max(0, m.start() - 8):m.start()].casefold()
    return before.rstrip().endswith(("guten", "schönen", "einen"))


def _date_after(masked: str, pos: int, dates: list[DateRef]) -> DateRef | None:
    for d in dates:
        if d.start >= pos and d.start - pos <= 12 and _GAP_RIGHT.match(masked[pos:d.start]):
            return d
        if d.start > pos + 12:
            break
    return None


def _date_before(masked: str, start: int, dates: list[DateRef], p: Patterns) -> DateRef | None:
    best = None
    for d in dates:
        if d.end <= start and start - d.end <= 16 and p.gap_left.match(masked[d.end:start]):
            best = d
        if d.start >= start:
            break
    return best


# --------------------------------------------------------------------------- zones

_OFFSET = re.compile(r"^\s*\(?\s*(?P<tag>UTC|GMT|utc|gmt)\s?(?P<sign>[+\-−])\s?(?P<h>\d{1,2})(?::?(?P<m>\d{2}))?(?!\d)"
                     r"\s*\)?")
_IANA = re.compile(r"^\s*\(?\s*(?:in\s+)?(?P<iana>[A-Z][A-Za-z]+(?:/[A-Z][A-Za-z_\-]+){1,2})\)?")
_ABBR = re.compile(r"^\s*\(?\s*(?P<abbr>[A-Z]{1,5}|utc|gmt|Utc|Gmt)(?![A-Za-z])(?:\s*(?P<sign>[+\-−])\s?(?P<h>\d{1,2})"
                   r"(?::?(?P<m>\d{2}))?(?!\d))?\s*\)?")
_ATTACHED_Z = re.compile(r"^Z(?![A-Za-z\d])")


def _zone_after(masked: str, pos: int, p: Patterns) -> ZoneRef | None:
    from bot.conversion.zones import abbreviation_zones, major_city, place_zones

    rest = masked[pos:pos + 60]
    if not rest.strip():
        return None
    if _ATTACHED_Z.match(rest):
        return ZoneRef(pos, pos + 1, "names", "Z", ("UTC",))
    m = _OFFSET.match(rest)
    if m:
        return _offset_ref(m, pos)
    m = re.match(r"^[ \t]*\(?[ \t]*(?:(?:in|en|em|à|a|no|na|nach|im)\s+)?", rest)
    lead = m.end() if m else 0
    ph = p.zone_phrases.match(rest, lead)
    if ph:
        kind, zone_name = p.zone_phrase_kinds[re.sub(r"\s+", " ", ph.group("phrase").casefold())]
        return ZoneRef(pos + m.start() if m else pos, pos + _close(rest, ph.end()), kind, ph.group("phrase"),
                       (zone_name,) if zone_name else ())
    m = _IANA.match(rest)
    if m:
        from bot.time import all_zone_names

        if m.group("iana") in all_zone_names():
            return ZoneRef(pos, pos + m.end(), "names", m.group("iana"), (m.group("iana"),))
    for form in p.place_forms:
        fm = form.match(rest.lstrip(" \t("), 0)
        if fm:
            shift = len(rest) - len(rest.lstrip(" \t("))
            zones, used = place_zones(fm.group("place"))
            if zones:
                end = shift + fm.start("place") + used
                tail = rest[end:]
                t = re.match(r"^\s+(?:time|Zeit|hora|heure)\b", tail)
                if t:
                    end += t.end()
                if not form.pattern.endswith(r"\s+time\b") or t or fm.end() <= end:
                    return ZoneRef(pos, pos + _close(rest, end), "names", fm.group("place")[:used], zones)
    m = _ABBR.match(rest)
    if m:
        abbr = m.group("abbr")
        if m.group("sign") and abbr.upper() in ("UTC", "GMT"):
            return _offset_ref(m, pos)
        zones = abbreviation_zones(abbr)
        if zones:
            return ZoneRef(pos, pos + m.end(), "names", abbr.upper(), zones)
    m = re.match(r"^[ \t]*\(?[ \t]*(?P<city>[A-ZÀ-Ý][\w'’.-]*(?:\s[A-ZÀ-Ý][\w'’.-]*){0,2})", rest)
    if m:
        zones, used = major_city(m.group("city"))
        if zones:
            return ZoneRef(pos, pos + _close(rest, m.start("city") + used), "names", m.group("city")[:used], zones)
    return None


def _close(rest: str, end: int) -> int:
    """Swallow the closing parenthesis of '(CET)' and a trailing ' time'."""
    m = re.match(r"^[ \t]*\)", rest[end:])
    return end + (m.end() if m and "(" in rest[:end] else 0)


def _offset_ref(m: re.Match[str], pos: int) -> ZoneRef:
    sign = -1 if m.group("sign") in ("-", "−") else 1
    minutes = sign * (int(m.group("h")) * 60 + _num(m.group("m")))
    label = f"UTC{'+' if sign > 0 else '-'}{int(m.group('h')):02d}:{_num(m.group('m')):02d}"
    return ZoneRef(pos, pos + m.end(), "offset", label, offset_minutes=minutes)


def _zone_before(masked: str, start: int, p: Patterns) -> ZoneRef | None:
    from bot.conversion.zones import major_city

    left = masked[max(0, start - 40):start]
    base = start - len(left)
    # "日本時間15時", "日本時間の15時"
    for m in p.zone_phrases.finditer(left):
        if re.fullmatch(r"[\s:：の、,]*", left[m.end():]):
            kind, zone_name = p.zone_phrase_kinds[re.sub(r"\s+", " ", m.group("phrase").casefold())]
            if kind == "names" and (not re.match(r"[A-Za-z]", m.group("phrase")) or kind == "names"):
                return ZoneRef(base + m.start(), base + m.end(), kind, m.group("phrase"), (zone_name,))
    # "Tokyo time 3pm", "hora de Madrid: 16:00"
    m = re.search(r"(?<![\w])(?P<place>[A-ZÀ-Ý][\w'’.-]*(?:\s[A-ZÀ-Ý][\w'’.-]*){0,2})\s+time[ \t]*[:,]?[ \t]*$", left,
                  re.I)
    if m:
        from bot.conversion.zones import place_zones

        zones, used = place_zones(m.group("place"))
        if zones and used == len(m.group("place")):
            return ZoneRef(base + m.start(), base + m.end("place") + len(m.group(0)[len(m.group("place")):].rstrip(
                " \t:,")), "names", m.group("place"), zones)
    # "London 3pm / NYC 10am", "Tokyo: 15:00"
    m = re.search(r"(?<![\w])(?P<city>[A-ZÀ-Ý][\w'’.-]*(?:\s[A-ZÀ-Ý][\w'’.-]*){0,2})[ \t]*[:\-–]?[ \t]*$", left)
    if m:
        city = m.group("city")
        for cut in range(len(city.split())):
            candidate = " ".join(city.split()[cut:])
            zones, used = major_city(candidate)
            if zones and used == len(candidate):
                begin = base + m.start("city") + len(city) - len(candidate)
                return ZoneRef(begin, begin + used, "names", candidate, zones)
    return None
