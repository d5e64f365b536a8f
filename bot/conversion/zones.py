"""Which zones the words after a time may name: abbreviations, places, and the big cities people write bare.

Every answer is a tuple of candidate IANA zones; `read.py` decides whether the candidates agree
(CET is Berlin or Paris: the same instant) or not (IST is India, Ireland or Israel: not guessed).
Places and the abbreviations Meridian already knows are resolved by `bot.time.resolve_zone`, so a
city means the same zone here as in `/tz set`.
"""
from __future__ import annotations

from bot.time import TimeError, fold_text, resolve_zone

# Abbreviations bot.time knows (resolved there, ambiguous ones with all their candidates).
_CORE = frozenset({"IST", "CST", "BST", "AST", "EST", "EDT", "CDT", "MST", "MDT", "PST", "PDT", "CET", "CEST", "JST",
                   "AEST", "UTC", "GMT"})

# Abbreviations people write after a time that bot.time does not list for /tz. People mean the zone's
# wall clock ("3pm PT" is Pacific time whatever the season), as they do with PST in July.
_SPOKEN: dict[str, tuple[str, ...]] = {
    "PT": ("America/Los_Angeles",), "ET": ("America/New_York",), "CT": ("America/Chicago",),
    "MT": ("America/Denver",), "AKST": ("America/Anchorage",), "AKDT": ("America/Anchorage",),
    "HST": ("Pacific/Honolulu",), "AEDT": ("Australia/Sydney",), "ACST": ("Australia/Adelaide", "Australia/Darwin"),
    "ACDT": ("Australia/Adelaide",), "AWST": ("Australia/Perth",), "NZST": ("Pacific/Auckland",),
    "NZDT": ("Pacific/Auckland",), "KST": ("Asia/Seoul",), "HKT": ("Asia/Hong_Kong",), "SGT": ("Asia/Singapore",),
    "PHT": ("Asia/Manila",), "WIB": ("Asia/Jakarta",), "ICT": ("Asia/Bangkok",), "PKT": ("Asia/Karachi",),
    "NPT": ("Asia/Kathmandu",), "MSK": ("Europe/Moscow",), "EET": ("Europe/Athens", "Europe/Helsinki", "Europe/Kyiv"),
    "EEST": ("Europe/Athens", "Europe/Helsinki", "Europe/Kyiv"), "WET": ("Europe/Lisbon", "Atlantic/Canary"),
    "WEST": ("Europe/Lisbon", "Atlantic/Canary"), "MEZ": ("Europe/Berlin",), "MESZ": ("Europe/Berlin",),
    "BRT": ("America/Sao_Paulo",), "ART": ("America/Argentina/Buenos_Aires",), "SAST": ("Africa/Johannesburg",),
    "EAT": ("Africa/Nairobi",), "WAT": ("Africa/Lagos",), "CAT": ("Africa/Maputo",), "GST": ("Asia/Dubai",
                                                                                               "Atlantic/South_Georgia"),
    "HAE": ("America/Toronto",), "HNE": ("America/Toronto",), "CEDT": ("Europe/Berlin",),
}

# Places whose everyday meaning is not what resolve_zone would pick, or that it does not know.
_PLACES: dict[str, tuple[str, ...]] = {
    "la": ("America/Los_Angeles",), "sf": ("America/Los_Angeles",), "ny": ("America/New_York",),
    "nyc": ("America/New_York",), "dc": ("America/New_York",), "uk": ("Europe/London",),
    "britain": ("Europe/London",), "england": ("Europe/London",), "scotland": ("Europe/London",),
    "spain": ("Europe/Madrid",), "espana": ("Europe/Madrid",), "portugal": ("Europe/Lisbon",),
    "brazil": ("America/Sao_Paulo",), "brasil": ("America/Sao_Paulo",), "india": ("Asia/Kolkata",),
    "us": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "usa": ("America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles"),
    "georgia": ("Asia/Tbilisi", "America/New_York"), "silicon valley": ("America/Los_Angeles",),
    "bay area": ("America/Los_Angeles",), "new york city": ("America/New_York",), "tokio": ("Asia/Tokyo",),
    "muenchen": ("Europe/Berlin",), "mexico": ("America/Mexico_City",), "ciudad de mexico": ("America/Mexico_City",),
    "cdmx": ("America/Mexico_City",), "sao paulo": ("America/Sao_Paulo",), "sp": ("America/Sao_Paulo",),
    "londres": ("Europe/London",), "nueva york": ("America/New_York",), "nova york": ("America/New_York",),
    "pekin": ("Asia/Shanghai",), "pequim": ("Asia/Shanghai",), "bombai": ("Asia/Kolkata",), "japon": ("Asia/Tokyo",),
    "japao": ("Asia/Tokyo",), "japan": ("Asia/Tokyo",), "alemania": ("Europe/Berlin",),
    "alemanha": ("Europe/Berlin",), "allemagne": ("Europe/Berlin",), "deutschland": ("Europe/Berlin",),
    "francia": ("Europe/Paris",), "franca": ("Europe/Paris",), "france": ("Europe/Paris",),
    "frankreich": ("Europe/Paris",), "inglaterra": ("Europe/London",), "angleterre": ("Europe/London",),
    "california": ("America/Los_Angeles",), "kalifornien": ("America/Los_Angeles",), "texas": ("America/Chicago",),
    "new york": ("America/New_York",), "lisboa": ("Europe/Lisbon",), "lisbonne": ("Europe/Lisbon",),
}

# Cities people write bare after or before a time ("3pm London / 10am NYC"): only big ones that are not
# also common first names or words, so "3pm Casey" never becomes Antarctica.
_MAJOR = frozenset(fold_text(c) for c in (
    "London", "Paris", "Berlin", "Madrid", "Rome", "Amsterdam", "Brussels", "Vienna", "Zurich", "Stockholm", "Oslo",
    "Copenhagen", "Helsinki", "Dublin", "Lisbon", "Lisboa", "Prague", "Warsaw", "Budapest", "Athens", "Istanbul",
    "Moscow", "Kyiv", "Kiev", "Bucharest", "Munich", "München", "Frankfurt", "Hamburg", "Barcelona", "Milan", "Tokyo",
    "Osaka", "Seoul", "Beijing", "Shanghai", "Hong Kong", "Singapore", "Taipei", "Bangkok", "Jakarta", "Manila",
    "Mumbai", "Delhi", "New Delhi", "Bangalore", "Bengaluru", "Chennai", "Hyderabad", "Pune", "Kolkata", "Karachi",
    "Dubai", "Abu Dhabi", "Riyadh", "Doha", "Tel Aviv", "Cairo", "Lagos", "Nairobi", "Johannesburg", "Cape Town",
    "New York", "NYC", "NY", "Boston", "Chicago", "Denver", "Seattle", "San Francisco", "SF", "Los Angeles", "LA",
    "Toronto", "Montreal", "Vancouver", "Mexico City", "CDMX", "São Paulo", "Sao Paulo", "SP", "Rio de Janeiro",
    "Buenos Aires", "Bogotá", "Bogota", "Kathmandu", "Dhaka", "Lahore", "Kuala Lumpur", "Auckland", "Melbourne",
    "Brisbane", "Tokio", "Londres", "Nueva York", "Nova York", "Brasília", "Brasilia",
))


def abbreviation_zones(abbr: str) -> tuple[str, ...]:
    """The zones an abbreviation written in a message may stand for; () when it is not one.

    Only capitals count (except utc/gmt): in a message, "et" is French for "and" and "est" for "is".
    """
    key = abbr.upper()
    if abbr != key and key not in ("UTC", "GMT"):
        return ()
    if key in _SPOKEN:
        return _SPOKEN[key]
    if key in _CORE:
        return _resolve(key)
    return ()


def place_zones(text: str) -> tuple[tuple[str, ...], int]:
    """(candidate zones, characters used) for the longest leading run of up to three words naming a place."""
    words = text.split()
    for n in range(min(3, len(words)), 0, -1):
        candidate = " ".join(words[:n])
        used = len(candidate)
        key = fold_text(candidate)
        if key in _PLACES:
            return _PLACES[key], used
        if len(candidate) <= 3 and candidate.isupper():
            continue                     # "IT", "DE", "ON": codes and words, not places, unless listed above
        zones = _resolve(candidate)
        if zones:
            return zones, used
    return (), 0


def major_city(text: str) -> tuple[tuple[str, ...], int]:
    """Like `place_zones`, for the big cities that may stand bare beside a time."""
    words = text.split()
    for n in range(min(3, len(words)), 0, -1):
        candidate = " ".join(words[:n])
        if fold_text(candidate) in _MAJOR:
            zones, used = place_zones(candidate)
            if zones and used == len(candidate):
                return zones, used
    return (), 0


def _resolve(text: str) -> tuple[str, ...]:
    # not cached: the words come from members' messages, which are never kept (docs/CONVERSION.md, privacy)
    try:
        return (resolve_zone(text).name,)
    except TimeError as error:
        if error.code == "ambiguous_zone":
            return tuple(error.params.get("candidates", ()))  # type: ignore[arg-type]
        return ()
