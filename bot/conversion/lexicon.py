"""The words of each supported language that the detector reads around a clock time.

One `Language` per locale: which words mark a time ("um", "à", "a las", "às"), name a day ("tomorrow",
"morgen", "明日"), a part of the day ("de la tarde", "午後", "शाम"), a zone ("heure de Paris", "日本時間"),
and which words veto a reading (durations, scores, units). Month and weekday names come from CLDR through
babel, so they are spelled as each language spells them; the rest is written out here.

Every message is read with English (the lingua franca of multinational teams), the author's language,
and the three languages whose scripts cannot be mistaken for another's (ja, hi, ar).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from babel.dates import get_day_names, get_month_names

# Part of day words resolve an hour written without am/pm: "morning" is before noon, the others after,
# and "night" is after noon from 6 on, before it from midnight to 5 ("2 at night").
AM, PM, NIGHT = "am", "pm", "night"


@dataclass(frozen=True)
class Language:
    code: str
    preps: tuple[str, ...] = ()                 # words right before a clock that mark it as a time
    today: tuple[str, ...] = ()
    tonight: tuple[str, ...] = ()               # today, after noon
    tomorrow: tuple[str, ...] = ()
    day_after: tuple[str, ...] = ()             # the day after tomorrow
    yesterday: tuple[str, ...] = ()
    weekday_prefix: tuple[str, ...] = ()        # "on", "am", "el", "le", "na"...
    next_words: tuple[str, ...] = ()            # "next Monday": the first one after today
    next_after: tuple[str, ...] = ()            # "lundi prochain", "segunda que vem"
    extra_weekdays: dict[str, int] = field(default_factory=dict)
    month_day: tuple[str, ...] = ()             # regex forms with (?P<d>) and (?P<mon>) (a month word)
    day_of_month: str = ""                      # "on the 25th": a regex with (?P<d>)
    vague_days: tuple[str, ...] = ()            # "next week": a day is meant, but not said
    dayparts_after: dict[str, str] = field(default_factory=dict)
    dayparts_before: dict[str, str] = field(default_factory=dict)
    noon: tuple[str, ...] = ()
    midnight: tuple[str, ...] = ()
    noon_preps: tuple[str, ...] = ()            # "at noon", "al mediodía", "à minuit", "ao meio-dia"
    range_intro: tuple[str, ...] = ()           # "between", "from"
    range_to: tuple[str, ...] = ()              # "to", "until"
    range_and: tuple[str, ...] = ()             # "and": only after a range_intro
    duration_preps: tuple[str, ...] = ()        # "in 1:30", "dans 2h", "por 2h": a duration, not a time
    units_after: tuple[str, ...] = ()           # "1:30 min", "2h de réunion"...
    veto_before: tuple[str, ...] = ()           # scores and ratios: "won 21:15", "ratio 16:10"
    my_time: tuple[str, ...] = ()
    your_time: tuple[str, ...] = ()
    local_time: tuple[str, ...] = ()            # whose local time? not guessed
    zone_words: dict[str, str] = field(default_factory=dict)    # "heure française" -> Europe/Paris
    place_time: tuple[str, ...] = ()            # regex forms with (?P<place>) ("hora de {place}")
    hour_marker: str = ""                       # regex after the hour: "Uhr", "h", "時", "बजे"
    twelve_hour: bool = False                   # does the language write hours 1-12 with a part of day?


EN = Language(
    code="en",
    day_of_month=r"(?:on\s+)?the\s+(?P<d>\d{1,2})(?:st|nd|rd|th)(?!\s+of\b)",
    vague_days=("next week", "this week", "later this week", "next month", "this month", "in two weeks",
                "in a week", "in 2 weeks", "in 3 days", "in two days", "in a few days", "some day", "one day",
                "over the weekend", "this weekend", "next weekend", "on the weekend", "at the weekend"),
    preps=("at", "@", "by", "from", "until", "till", "til", "before", "after", "around", "about", "circa", "ca",
           "starting", "starts", "start", "begins", "as of", "at around", "at about", "no later than", "latest by",
           "earliest", "between"),
    today=("today", "tdy"), tonight=("tonight", "tonite"), tomorrow=("tomorrow", "tmrw", "tmr", "tomorow"),
    day_after=("the day after tomorrow", "day after tomorrow"), yesterday=("yesterday",),
    weekday_prefix=("on", "this", "this coming", "coming"), next_words=("next",),
    month_day=(r"(?P<mon>{month})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?",
               r"(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{month})\.?(?:,?\s+(?P<y>\d{{4}}))?"),
    dayparts_after={"in the morning": AM, "in the afternoon": PM, "in the evening": PM, "at night": NIGHT,
                    "tonight": PM, "this morning": AM, "this afternoon": PM, "this evening": PM,
                    "tomorrow morning": AM, "tomorrow afternoon": PM, "tomorrow evening": PM, "tomorrow night": PM},
    dayparts_before={"morning": AM, "afternoon": PM, "evening": PM, "tonight": PM, "night": NIGHT},
    noon=("noon", "midday", "12 noon"), midnight=("midnight", "12 midnight"),
    noon_preps=("at", "by", "until", "till", "before", "after", "around", "from", "at around", "about", "til"),
    range_intro=("between", "from"), range_to=("-", "–", "—", "to", "until", "till", "til", "through", "thru"),
    range_and=("and", "&"),
    duration_preps=("in", "for", "within", "takes", "took", "lasts", "lasted", "every", "each", "only", "about another",
                    "another", "over", "under", "than", "spent", "spend", "ran", "run", "running", "of"),
    units_after=("min", "mins", "minute", "minutes", "sec", "secs", "second", "seconds", "hour", "hours", "hr", "hrs",
                 "h", "m", "s", "ms", "km", "mi", "miles", "/km", "/mi", "pace", "per", "x", "%", "ratio", "aspect",
                 "odds", "in the video", "into the video", "in the recording", "into the recording", "in the clip",
                 "in the talk", "in the podcast", "in the song", "in the track", "in the stream", "in the vod",
                 "mark", "timestamp", "monitor", "monitors", "display", "screen", "widescreen", "format", "crop",
                 "aspect ratio", "video", "to 1", "against", "win", "loss", "victory", "defeat", "at halftime",
                 "for the win", "final score", "scale"),
    veto_before=("score", "scored", "scores", "won", "win", "wins", "lost", "lose", "loses", "beat", "beats",
                 "lead", "leads", "leading", "final", "finals", "halftime", "half-time", "ratio", "aspect", "odds",
                 "result", "results", "draw", "tied", "record", "verse", "chapter", "john", "genesis", "psalm",
                 "matthew", "luke", "mark", "romans", "acts", "pace", "split", "splits", "lap", "ran", "finished in",
                 "time of", "runtime", "duration", "length", "took", "elapsed", "uptime", "eta", "line", "lines",
                 "col", "column", "row", "ln", "scale", "page", "pages"),
    my_time=("my time", "my tz", "my timezone", "my time zone", "for me"),
    your_time=("your time", "your tz", "your timezone", "your time zone", "your local time", "in your time zone",
               "in your timezone", "wherever you are", "for you"),
    local_time=("local time", "local", "local tz"),
    zone_words={"pacific time": "America/Los_Angeles", "pacific": "America/Los_Angeles",
                "eastern time": "America/New_York", "eastern": "America/New_York",
                "central time": "America/Chicago", "mountain time": "America/Denver",
                "central european time": "Europe/Berlin", "uk time": "Europe/London", "british time": "Europe/London",
                "london time": "Europe/London", "german time": "Europe/Berlin", "french time": "Europe/Paris",
                "paris time": "Europe/Paris", "spanish time": "Europe/Madrid", "spain time": "Europe/Madrid",
                "italian time": "Europe/Rome", "dutch time": "Europe/Amsterdam", "swiss time": "Europe/Zurich",
                "irish time": "Europe/Dublin", "polish time": "Europe/Warsaw", "india time": "Asia/Kolkata",
                "indian time": "Asia/Kolkata", "japan time": "Asia/Tokyo", "japanese time": "Asia/Tokyo",
                "korea time": "Asia/Seoul", "korean time": "Asia/Seoul", "china time": "Asia/Shanghai",
                "chinese time": "Asia/Shanghai", "singapore time": "Asia/Singapore", "israel time": "Asia/Jerusalem",
                "brazil time": "America/Sao_Paulo", "brasilia time": "America/Sao_Paulo",
                "nepal time": "Asia/Kathmandu", "gulf time": "Asia/Dubai", "uae time": "Asia/Dubai",
                "portugal time": "Europe/Lisbon", "portuguese time": "Europe/Lisbon",
                "east coast time": "America/New_York", "west coast time": "America/Los_Angeles",
                "east coast": "America/New_York", "west coast": "America/Los_Angeles",
                "new york time": "America/New_York", "nyc time": "America/New_York",
                "sf time": "America/Los_Angeles", "la time": "America/Los_Angeles"},
    place_time=(r"{place}\s+time\b", r"(?:in|for)\s+{place}"),
    twelve_hour=True,
)

DE = Language(
    code="de",
    day_of_month=r"am\s+(?P<d>\d{1,2})\.(?!\s*\d|\s*(?:[A-ZÄÖÜa-zäöü]{3,}))",
    vague_days=("nächste woche", "nächster woche", "diese woche", "kommende woche", "nächsten monat",
                "in zwei wochen", "in 2 wochen", "am wochenende", "irgendwann"),
    preps=("um", "gegen", "ab", "bis", "vor", "nach", "zwischen", "von", "ca", "ca.", "etwa", "so um", "um ca.",
           "spätestens um", "frühestens um", "bis spätestens"),
    today=("heute",), tonight=("heute abend", "heute nacht"), tomorrow=("morgen",), day_after=("übermorgen",),
    yesterday=("gestern",), weekday_prefix=("am", "diesen", "kommenden", "am kommenden", "diesen kommenden"),
    next_words=("nächsten", "nächste", "am nächsten"),
    month_day=(r"(?:am\s+)?(?P<d>\d{{1,2}})\.\s*(?P<mon>{month})\.?(?:\s+(?P<y>\d{{4}}))?",
               r"(?:am\s+)?(?P<d>\d{{1,2}})\.(?P<mn>\d{{1,2}})\.(?P<y>\d{{4}}|\d{{2}})?(?!\d)"),
    dayparts_after={"morgens": AM, "früh": AM, "vormittags": AM, "nachmittags": PM, "abends": PM, "nachts": NIGHT,
                    "in der früh": AM, "am morgen": AM, "am vormittag": AM, "am nachmittag": PM, "am abend": PM,
                    "in der nacht": NIGHT, "mittags": PM},
    dayparts_before={"früh": AM, "vormittag": AM, "nachmittag": PM, "abend": PM, "nacht": NIGHT,
                     "morgens": AM, "nachmittags": PM, "abends": PM},
    midnight=("mitternacht",), noon_preps=("um", "bis", "ab", "gegen", "vor", "nach"),
    range_intro=("zwischen", "von"), range_to=("-", "–", "—", "bis"), range_and=("und",),
    duration_preps=("in", "für", "seit", "innerhalb", "nach", "dauert", "dauerte", "insgesamt", "alle", "jede",
                    "jeden", "noch"),
    units_after=("min", "minuten", "minute", "sek", "sekunden", "std", "stunden", "stunde", "h", "km", "%", "x",
                 "prozent", "euro", "€", "mal", "tage", "tagen", "wochen", "leute", "personen", "zu", "für"),
    veto_before=("tor", "tore", "gewonnen", "verloren", "endstand", "halbzeit", "spielstand", "sieg", "niederlage",
                 "ergebnis", "verhältnis", "quote", "unentschieden", "stand", "steht", "führt", "seitenverhältnis",
                 "kapitel", "vers", "laufzeit", "dauer", "zeit von"),
    my_time=("meiner zeit", "meine zeit", "bei mir", "meiner zeitzone", "meiner ortszeit"),
    your_time=("deiner zeit", "eurer zeit", "ihrer zeit", "bei dir", "bei euch", "deiner zeitzone",
               "eurer zeitzone", "eurer ortszeit", "deiner ortszeit"),
    local_time=("ortszeit",),
    zone_words={"deutscher zeit": "Europe/Berlin", "deutsche zeit": "Europe/Berlin", "deutschen zeit": "Europe/Berlin",
                "berliner zeit": "Europe/Berlin", "wiener zeit": "Europe/Vienna", "schweizer zeit": "Europe/Zurich",
                "österreichischer zeit": "Europe/Vienna", "londoner zeit": "Europe/London",
                "britischer zeit": "Europe/London", "indischer zeit": "Asia/Kolkata", "japanischer zeit": "Asia/Tokyo",
                "new yorker zeit": "America/New_York", "mitteleuropäischer zeit": "Europe/Berlin",
                "mitteleuropäische zeit": "Europe/Berlin", "ostküstenzeit": "America/New_York",
                "westküstenzeit": "America/Los_Angeles"},
    place_time=(r"(?:Zeit\s+in|in)\s+{place}",),
    hour_marker=r"\s?Uhr(?:\s?(?P<um>\d{2})(?!\d))?(?!\w)",
)

ES = Language(
    code="es",
    day_of_month=r"el\s+(?:día\s+|dia\s+)?(?P<d>\d{1,2})(?!\s*(?:de\s|:|\.\d|\d|h|%))",
    vague_days=("la semana que viene", "la próxima semana", "la proxima semana", "esta semana",
                "el mes que viene", "el próximo mes", "el fin de semana", "este fin de semana"),
    preps=("a las", "a la", "desde las", "desde la", "hasta las", "hasta la", "sobre las", "hacia las",
           "antes de las", "después de las", "despues de las", "de las", "las", "la", "entre las", "tipo", "a eso de las",
           "como a las"),
    today=("hoy", "esta"), tonight=("esta noche", "hoy en la noche", "hoy por la noche"),
    tomorrow=("mañana", "manana"), day_after=("pasado mañana", "pasado manana"), yesterday=("ayer",),
    weekday_prefix=("el", "este", "el próximo", "el proximo", "este próximo"), next_words=("el próximo", "el proximo",
                                                                                          "próximo", "proximo"),
    next_after=("que viene", "próximo", "proximo"),
    month_day=(r"(?:el\s+)?(?P<d>\d{{1,2}})\s+de\s+(?P<mon>{month})(?:\s+(?:de\s+)?(?P<y>\d{{4}}))?",),
    dayparts_after={"de la mañana": AM, "de la manana": AM, "de la tarde": PM, "de la noche": NIGHT,
                    "de la madrugada": AM, "del mediodía": PM, "del mediodia": PM, "en la mañana": AM,
                    "en la tarde": PM, "en la noche": NIGHT, "por la mañana": AM, "por la tarde": PM,
                    "por la noche": NIGHT},
    dayparts_before={"por la mañana": AM, "por la manana": AM, "por la tarde": PM, "por la noche": NIGHT,
                     "en la mañana": AM, "en la tarde": PM, "en la noche": NIGHT, "esta tarde": PM,
                     "esta noche": PM, "esta mañana": AM},
    noon=("mediodía", "mediodia"), midnight=("medianoche",),
    noon_preps=("al", "a", "a la", "hasta el", "hasta la", "antes del", "antes de la", "después del", "despues del",
                "desde el", "desde la", "sobre el", "hacia el", "para el", "para la", "después de la"),
    range_intro=("entre", "de", "desde"), range_to=("-", "–", "—", "a", "hasta", "a las", "hasta las"),
    range_and=("y", "y las"),
    duration_preps=("en", "dentro de", "durante", "por", "hace", "cada", "tras", "lleva", "llevo", "llevamos",
                    "dura", "duró", "duro", "tardé", "tarde en", "tardó", "tardo", "tardamos", "tarda"),
    units_after=("min", "minutos", "minuto", "seg", "segundos", "horas", "hora", "hs de", "km", "%", "x", "euros",
                 "€", "veces", "días", "dias", "personas", "de reunión", "de reunion", "de trabajo", "de viaje"),
    veto_before=("ganó", "gano", "ganamos", "perdió", "perdio", "perdimos", "empate", "empataron", "marcador",
                 "resultado", "goles", "gol", "proporción", "relación", "cuota", "partido", "capítulo", "versículo",
                 "duración", "duracion"),
    my_time=("mi hora", "hora mía", "hora mia", "mi horario", "mi zona horaria"),
    your_time=("tu hora", "su hora", "tu horario", "tu zona horaria", "vuestra hora", "hora de ustedes"),
    local_time=("hora local",),
    zone_words={"hora española": "Europe/Madrid", "hora espanola": "Europe/Madrid", "hora peninsular": "Europe/Madrid",
                "hora de españa": "Europe/Madrid", "hora de espana": "Europe/Madrid",
                "hora de méxico": "America/Mexico_City", "hora de mexico": "America/Mexico_City",
                "hora del centro de méxico": "America/Mexico_City", "hora argentina": "America/Argentina/Buenos_Aires",
                "hora de argentina": "America/Argentina/Buenos_Aires", "hora de colombia": "America/Bogota",
                "hora colombiana": "America/Bogota", "hora de perú": "America/Lima", "hora de peru": "America/Lima",
                "hora de chile": "America/Santiago", "hora del este": "America/New_York",
                "hora del pacífico": "America/Los_Angeles", "hora del pacifico": "America/Los_Angeles"},
    place_time=(r"hora\s+(?:de|en)\s+{place}",),
    hour_marker=r"\s?(?:h|hs|hrs)(?:\s?(?P<um>\d{2})(?!\d))?(?!\w)",
)

FR = Language(
    code="fr",
    day_of_month=r"le\s+(?P<d>\d{1,2})(?:er)?(?!\s*(?:[a-zéû]{3,}|:|\.\d|\d|h|%))",
    vague_days=("la semaine prochaine", "cette semaine", "le mois prochain", "ce week-end", "le week-end",
                "dans deux semaines", "dans 2 semaines", "un de ces jours"),
    preps=("à", "a", "vers", "dès", "des", "avant", "après", "apres", "jusqu'à", "jusqu’à", "jusqu'a", "à partir de",
           "a partir de", "de", "entre", "pour", "sur les coups de", "aux alentours de", "autour de"),
    today=("aujourd'hui", "aujourd’hui", "aujourdhui", "ce"), tonight=("ce soir", "cette nuit"),
    tomorrow=("demain",), day_after=("après-demain", "apres-demain", "après demain"), yesterday=("hier",),
    weekday_prefix=("le", "ce"), next_words=(), next_after=("prochain",),
    month_day=(r"(?:le\s+)?(?P<d>\d{{1,2}})(?:er)?\s+(?P<mon>{month})\.?(?:\s+(?P<y>\d{{4}}))?",),
    dayparts_after={"du matin": AM, "de l'après-midi": PM, "de l’après-midi": PM, "de l'apres-midi": PM,
                    "du soir": PM, "de la nuit": NIGHT, "cet après-midi": PM, "ce soir": PM, "ce matin": AM},
    dayparts_before={"matin": AM, "après-midi": PM, "apres-midi": PM, "soir": PM, "ce matin": AM,
                     "cet après-midi": PM, "ce soir": PM},
    noon=("midi",), midnight=("minuit",),
    noon_preps=("à", "a", "vers", "avant", "après", "apres", "jusqu'à", "jusqu’à", "dès", "ce", "à partir de", "demain"),
    range_intro=("entre", "de"), range_to=("-", "–", "—", "à", "a", "jusqu'à", "jusqu’à"), range_and=("et",),
    duration_preps=("dans", "pendant", "durant", "depuis", "il y a", "en", "en moins de", "en plus de", "chaque",
                    "toutes les", "dure", "duré", "pour", "de plus de", "d'une durée de", "plus de", "moins de"),
    units_after=("min", "minutes", "minute", "sec", "secondes", "heures", "heure", "km", "%", "x", "euros", "€",
                 "fois", "jours", "personnes", "de réunion", "de reunion", "de travail", "de route", "de train",
                 "de vol", "de retard", "de décalage", "de decalage", "d'avance", "de sommeil", "par jour",
                 "par semaine"),
    veto_before=("gagné", "gagne", "perdu", "score", "victoire", "défaite", "match nul", "résultat", "resultat",
                 "ratio", "rapport", "cote", "mi-temps", "chapitre", "verset", "durée", "duree"),
    my_time=("mon heure", "heure de chez moi", "chez moi", "mon fuseau", "mon fuseau horaire", "pour moi"),
    your_time=("ton heure", "votre heure", "chez vous", "chez toi", "votre fuseau", "ton fuseau", "votre fuseau horaire",
               "pour vous", "pour toi"),
    local_time=("heure locale",),
    zone_words={"heure française": "Europe/Paris", "heure francaise": "Europe/Paris", "heure de paris": "Europe/Paris",
                "heure de france": "Europe/Paris", "heure de montréal": "America/Toronto",
                "heure du québec": "America/Toronto", "heure du quebec": "America/Toronto",
                "heure de l'est": "America/New_York", "heure belge": "Europe/Brussels",
                "heure suisse": "Europe/Zurich", "heure de tokyo": "Asia/Tokyo"},
    place_time=(r"heure\s+(?:de\s+|d['’]){place}", r"heure\s+(?:du|de la)\s+{place}"),
    hour_marker=r"\s?h(?:\s?(?P<um>\d{2})(?!\d))?(?!\w)",
)

PT = Language(
    code="pt",
    day_of_month=r"(?:no\s+)?dia\s+(?P<d>\d{1,2})(?!\s*(?:de\s|:|\.\d|\d|h|%))",
    vague_days=("semana que vem", "próxima semana", "proxima semana", "essa semana", "esta semana",
                "mês que vem", "mes que vem", "fim de semana", "no fim de semana"),
    preps=("às", "as", "a partir das", "a partir da", "até as", "até às", "ate as", "depois das", "antes das",
           "lá pelas", "la pelas", "por volta das", "por volta da", "das", "da", "à", "entre", "umas", "pelas"),
    today=("hoje",), tonight=("hoje à noite", "hoje a noite", "essa noite", "esta noite", "hj à noite"),
    tomorrow=("amanhã", "amanha", "amn"), day_after=("depois de amanhã", "depois de amanha"),
    yesterday=("ontem",), weekday_prefix=("na", "no", "nesta", "neste", "nessa", "nesse", "próxima", "proxima",
                                          "próximo", "proximo", "na próxima", "na proxima", "no próximo", "no proximo"),
    next_words=(), next_after=("que vem",),
    extra_weekdays={"segunda": 0, "terça": 1, "terca": 1, "quarta": 2, "quinta": 3, "sexta": 4, "seg": 0, "ter": 1,
                    "qua": 2, "qui": 3, "sex": 4},
    month_day=(r"(?:(?:no\s+)?dia\s+)?(?P<d>\d{{1,2}})\s+de\s+(?P<mon>{month})(?:\s+de\s+(?P<y>\d{{4}}))?",),
    dayparts_after={"da manhã": AM, "da manha": AM, "da tarde": PM, "da noite": NIGHT, "da madrugada": AM,
                    "de manhã": AM, "de tarde": PM, "de noite": NIGHT},
    dayparts_before={"de manhã": AM, "de manha": AM, "à tarde": PM, "a tarde": PM, "de tarde": PM, "à noite": PM,
                     "a noite": PM, "de noite": PM, "hoje à noite": PM},
    noon=("meio-dia", "meio dia", "meiodia"), midnight=("meia-noite", "meia noite"),
    noon_preps=("ao", "à", "a", "até", "ate", "até o", "até a", "até ao", "antes do", "antes da", "depois do", "depois da",
                "desde o", "desde a", "lá pelo", "por volta do", "por volta da", "perto do", "perto da"),
    range_intro=("entre", "das", "de"), range_to=("-", "–", "—", "às", "as", "a", "até", "ate"), range_and=("e",),
    duration_preps=("em", "daqui a", "daqui", "durante", "por", "há", "ha", "faz", "cada", "leva", "levou", "dura",
                    "durou", "mais de", "menos de"),
    units_after=("min", "minutos", "minuto", "seg", "segundos", "horas", "hora", "km", "%", "x", "reais", "r$",
                 "vezes", "dias", "pessoas", "de reunião", "de reuniao", "de trabalho", "de viagem", "de voo",
                 "de atraso", "de fuso"),
    veto_before=("venceu", "ganhou", "ganhamos", "perdeu", "perdemos", "placar", "empate", "empatou", "resultado",
                 "gols", "gol", "proporção", "razão", "partida", "capítulo", "versículo", "duração", "duracao"),
    my_time=("meu horário", "meu horario", "minha hora", "meu fuso", "no meu horário", "no meu horario", "pra mim"),
    your_time=("seu horário", "seu horario", "sua hora", "seu fuso", "no seu horário", "no seu horario",
               "teu horário", "no horário de vocês", "no horario de voces", "pra você", "pra voce"),
    local_time=("horário local", "horario local", "hora local"),
    zone_words={"horário de brasília": "America/Sao_Paulo", "horario de brasilia": "America/Sao_Paulo",
                "horário de brasilia": "America/Sao_Paulo", "hora de brasília": "America/Sao_Paulo",
                "hora de brasilia": "America/Sao_Paulo", "horário de lisboa": "Europe/Lisbon",
                "horario de lisboa": "Europe/Lisbon", "hora de lisboa": "Europe/Lisbon",
                "horário de portugal": "Europe/Lisbon", "hora de portugal": "Europe/Lisbon",
                "horário de são paulo": "America/Sao_Paulo", "hora de são paulo": "America/Sao_Paulo",
                "horário de sp": "America/Sao_Paulo", "brt": "America/Sao_Paulo"},
    place_time=(r"(?:horário|horario|hora)\s+(?:de|da|do)\s+{place}",),
    hour_marker=r"\s?(?:h|hs|hrs)(?:\s?(?P<um>\d{2})(?!\d))?(?!\w)",
)

JA = Language(
    code="ja",
    vague_days=("来週", "今週", "来月", "週末", "今度"),
    today=("今日", "きょう", "本日"), tonight=("今夜", "今晩", "今日の夜"), tomorrow=("明日", "あした", "あす"),
    day_after=("明後日", "あさって"), yesterday=("昨日", "きのう"), weekday_prefix=("次の", "今週の"),
    next_words=("来週の", "次の"),
    extra_weekdays={"月曜日": 0, "火曜日": 1, "水曜日": 2, "木曜日": 3, "金曜日": 4, "土曜日": 5, "日曜日": 6,
                    "月曜": 0, "火曜": 1, "水曜": 2, "木曜": 3, "金曜": 4, "土曜": 5, "日曜": 6},
    dayparts_before={"午前": AM, "午後": PM, "朝": AM, "夜": NIGHT, "夕方": PM, "昼": PM, "夜の": NIGHT, "朝の": AM,
                     "夕方の": PM, "深夜": AM},
    noon=("正午",),
    range_to=("-", "–", "—", "〜", "~", "～", "から"),
    units_after=("間", "分間", "時間"),
    veto_before=("スコア", "比率", "アスペクト比", "対", "勝", "負", "得点", "結果", "第"),
    my_time=("私の時間", "こちらの時間", "こっちの時間"), your_time=("そちらの時間", "あなたの時間", "皆さんの時間"),
    local_time=("現地時間",),
    zone_words={"日本時間": "Asia/Tokyo", "東京時間": "Asia/Tokyo", "ドイツ時間": "Europe/Berlin",
                "中央ヨーロッパ時間": "Europe/Berlin", "イギリス時間": "Europe/London", "英国時間": "Europe/London",
                "ロンドン時間": "Europe/London", "米国東部時間": "America/New_York", "アメリカ東部時間": "America/New_York",
                "東部時間": "America/New_York", "太平洋時間": "America/Los_Angeles", "米国太平洋時間": "America/Los_Angeles",
                "インド時間": "Asia/Kolkata", "シンガポール時間": "Asia/Singapore", "韓国時間": "Asia/Seoul",
                "中国時間": "Asia/Shanghai", "パリ時間": "Europe/Paris", "フランス時間": "Europe/Paris",
                "ニューヨーク時間": "America/New_York", "ブラジル時間": "America/Sao_Paulo"},
    hour_marker=r"\s?時(?:\s?(?P<um>\d{1,2})\s?分|(?P<half>半))?(?!間)",
)

HI = Language(
    code="hi",
    today=("आज",), tonight=("आज रात",), tomorrow=("कल",), day_after=("परसों",),
    weekday_prefix=("इस", "अगले"), next_words=("अगले",),
    extra_weekdays={"सोमवार": 0, "मंगलवार": 1, "बुधवार": 2, "गुरुवार": 3, "बृहस्पतिवार": 3, "शुक्रवार": 4,
                    "शनिवार": 5, "रविवार": 6},
    month_day=(r"(?P<d>\d{{1,2}})\s+(?P<mon>{month})",),
    dayparts_before={"सुबह": AM, "दोपहर": PM, "शाम": PM, "रात": NIGHT, "सुबह के": AM, "दोपहर के": PM, "शाम के": PM,
                     "रात के": NIGHT, "सुबह को": AM, "शाम को": PM, "रात को": NIGHT, "दोपहर को": PM},
    midnight=("आधी रात",),
    range_to=("-", "–", "—", "से"),
    units_after=("मिनट", "घंटे", "घंटा", "घंटों"),
    veto_before=("स्कोर", "रेशियो", "अनुपात", "नतीजा", "जीता", "हारा"),
    my_time=("मेरे समय", "मेरे टाइम"), your_time=("आपके समय", "आपके टाइम", "तुम्हारे समय"),
    zone_words={"भारतीय समय": "Asia/Kolkata", "भारतीय मानक समय": "Asia/Kolkata", "भारत के समय": "Asia/Kolkata"},
    hour_marker=r"\s?(?:बजे|बज कर|बजकर(?:\s?(?P<um>\d{1,2})\s?मिनट)?)(?!\w)",
    twelve_hour=True,
)

AR = Language(
    code="ar",
    preps=("الساعة", "الساعه", "في تمام الساعة", "عند الساعة", "في الساعة", "حوالي الساعة", "بعد الساعة",
           "قبل الساعة", "من الساعة", "حتى الساعة", "إلى الساعة"),
    today=("اليوم",), tonight=("الليلة", "هذا المساء"), tomorrow=("غدًا", "غدا", "غداً", "بكرة", "بكره", "غد"),
    day_after=("بعد غد",), yesterday=("أمس", "امس"),
    weekday_prefix=("يوم", "هذا", "القادم"), next_words=("يوم", "الأسبوع القادم يوم"),
    extra_weekdays={"الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2, "الخميس": 3,
                    "الجمعة": 4, "السبت": 5, "الأحد": 6, "الاحد": 6},
    month_day=(r"(?P<d>\d{{1,2}})\s+(?P<mon>{month})",),
    dayparts_after={"صباحًا": AM, "صباحا": AM, "صباحاً": AM, "ص": AM, "مساءً": PM, "مساء": PM, "مساءا": PM,
                    "م": PM, "ظهرًا": PM, "ظهرا": PM, "ظهراً": PM, "عصرًا": PM, "عصرا": PM, "ليلًا": NIGHT,
                    "ليلا": NIGHT, "ليلاً": NIGHT, "بعد الظهر": PM, "فجرًا": AM, "فجرا": AM},
    noon=("منتصف النهار",), midnight=("منتصف الليل",), noon_preps=("عند", "في", "حتى", "قبل", "بعد", "حوالي"),
    range_intro=("من", "بين"), range_to=("-", "–", "—", "إلى", "الى", "حتى", "لغاية"), range_and=("و",),
    duration_preps=("خلال", "بعد", "لمدة", "منذ", "كل"),
    units_after=("دقيقة", "دقائق", "ساعات", "ساعة", "ثانية"),
    veto_before=("النتيجة", "نتيجة", "فاز", "فزنا", "خسر", "خسرنا", "النسبة", "نسبة", "تعادل", "الفصل"),
    my_time=("بتوقيتي", "حسب توقيتي"), your_time=("بتوقيتك", "بتوقيتكم", "حسب توقيتك", "حسب توقيتكم"),
    local_time=("بالتوقيت المحلي", "حسب التوقيت المحلي"),
    zone_words={"بتوقيت مكة": "Asia/Riyadh", "بتوقيت مكة المكرمة": "Asia/Riyadh", "بتوقيت السعودية": "Asia/Riyadh",
                "بتوقيت الرياض": "Asia/Riyadh", "بتوقيت القاهرة": "Africa/Cairo", "بتوقيت مصر": "Africa/Cairo",
                "بتوقيت دبي": "Asia/Dubai", "بتوقيت الإمارات": "Asia/Dubai", "بتوقيت الامارات": "Asia/Dubai",
                "بتوقيت غرينتش": "UTC", "بتوقيت جرينتش": "UTC", "بتوقيت عمان": "Asia/Amman",
                "بتوقيت الأردن": "Asia/Amman", "بتوقيت بيروت": "Asia/Beirut", "بتوقيت الدوحة": "Asia/Qatar",
                "بتوقيت قطر": "Asia/Qatar", "بتوقيت المغرب": "Africa/Casablanca", "بتوقيت الكويت": "Asia/Kuwait",
                "بتوقيت بغداد": "Asia/Baghdad", "بتوقيت لندن": "Europe/London", "بتوقيت برلين": "Europe/Berlin",
                "بتوقيت باريس": "Europe/Paris", "بتوقيت نيويورك": "America/New_York"},
    place_time=(r"بتوقيت\s+{place}",),
    twelve_hour=True,
)

LANGUAGES: dict[str, Language] = {lang.code: lang for lang in (EN, DE, ES, FR, PT, JA, HI, AR)}
BABEL_LOCALE = {"en": "en", "de": "de", "es": "es", "fr": "fr", "pt": "pt_BR", "ja": "ja", "hi": "hi", "ar": "ar"}
ALWAYS = ("en", "ja", "hi", "ar")      # English, and the scripts no Latin-script language can be mistaken for


def languages_for(locale: str | None) -> tuple[str, ...]:
    """The languages a message of `locale` is read in: English, the scripts, and the author's own."""
    own = (locale or "en").replace("-", "_").split("_")[0].lower()
    return tuple(dict.fromkeys((*ALWAYS, own) if own in LANGUAGES else ALWAYS))


@lru_cache(maxsize=None)
def month_words(code: str) -> dict[str, int]:
    """Folded month names (wide and abbreviated, CLDR) -> 1..12."""
    out: dict[str, int] = {}
    for width in ("wide", "abbreviated"):
        for context in ("format", "stand-alone"):
            for number, name in get_month_names(width, context, locale=BABEL_LOCALE[code]).items():
                key = name.casefold().rstrip(".")
                if len(key) >= 3 or code in ("ja",):
                    out[key] = number
    if code == "en":
        out.update({"sept": 9, "june": 6, "july": 7})
    return out


@lru_cache(maxsize=None)
def weekday_words(code: str) -> dict[str, int]:
    """Weekday names (wide, CLDR, plus the language's own short forms) -> 0=Monday."""
    out: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for number, name in get_day_names("wide", context, locale=BABEL_LOCALE[code]).items():
            out[name.casefold()] = number
    out.update({k.casefold(): v for k, v in LANGUAGES[code].extra_weekdays.items()})
    return out


def alternation(words: object, *, boundary: bool = True) -> str:
    """A regex alternation of `words`, longest first (so 'a las' wins over 'a'), spaces as \\s+."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    parts = [re.escape(w).replace(r"\ ", r"\s+") for w in items if w]
    if not parts:
        return r"(?!x)x"
    return "(?:" + "|".join(parts) + ")"
