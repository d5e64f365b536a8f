"""Synthetic multinational teams: who works where, when, in which language. Deterministic for a seed.

The mix leans the way real distributed companies do (many people in the US, Western Europe and
India, fewer elsewhere) and includes the awkward cases: half-hour and 45-minute offsets, a
Friday-Saturday weekend, the southern hemisphere's opposite DST.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import time
from typing import Any, Iterator

# (IANA zone, ISO country, weight)
ZONES: tuple[tuple[str, str, int], ...] = (
    ("America/Los_Angeles", "US", 8), ("America/Denver", "US", 2), ("America/Chicago", "US", 4),
    ("America/New_York", "US", 9), ("America/Toronto", "CA", 3), ("America/Mexico_City", "MX", 2),
    ("America/Bogota", "CO", 1), ("America/Sao_Paulo", "BR", 4), ("America/Argentina/Buenos_Aires", "AR", 2),
    ("Europe/London", "GB", 7), ("Europe/Dublin", "IE", 2), ("Europe/Lisbon", "PT", 2), ("Europe/Madrid", "ES", 3),
    ("Europe/Paris", "FR", 4), ("Europe/Berlin", "DE", 6), ("Europe/Amsterdam", "NL", 3), ("Europe/Warsaw", "PL", 3),
    ("Europe/Stockholm", "SE", 1), ("Europe/Kyiv", "UA", 2), ("Europe/Istanbul", "TR", 1), ("Africa/Lagos", "NG", 2),
    ("Africa/Nairobi", "KE", 1), ("Africa/Johannesburg", "ZA", 1), ("Africa/Cairo", "EG", 1), ("Asia/Dubai", "AE", 1),
    ("Asia/Riyadh", "SA", 1), ("Asia/Kolkata", "IN", 9), ("Asia/Kathmandu", "NP", 1), ("Asia/Singapore", "SG", 2),
    ("Asia/Manila", "PH", 2), ("Asia/Shanghai", "CN", 2), ("Asia/Tokyo", "JP", 3), ("Asia/Seoul", "KR", 1),
    ("Australia/Sydney", "AU", 3), ("Pacific/Auckland", "NZ", 1),
)
HOURS: tuple[tuple[time, time, int], ...] = (
    (time(9), time(17), 6), (time(8), time(16), 2), (time(10), time(18), 2), (time(7), time(15), 1),
)
LOCALES = {"DE": "de", "FR": "fr", "ES": "es", "MX": "es", "CO": "es", "AR": "es", "BR": "pt_BR", "PT": "pt_BR",
           "JP": "ja", "IN": "hi", "SA": "ar", "EG": "ar", "AE": "ar"}
WORK_DAYS = {"SA": "sun,mon,tue,wed,thu", "AE": "mon,tue,wed,thu,fri", "EG": "sun,mon,tue,wed,thu"}


@dataclass(frozen=True)
class Person:
    user_id: str
    name: str
    tz: str
    country: str
    hours_start: time
    hours_end: time
    locale: str
    work_days: str | None
    ritual_at: time          # the local time of this person's daily ritual (e.g. their team's standup)

    def member_row(self, workspace_id: int) -> dict[str, Any]:
        """A row for `bot.models.Member`."""
        return {"workspace_id": workspace_id, "user_id": self.user_id, "name": self.name, "tz": self.tz,
                "tz_source": "platform", "country": self.country, "locale": self.locale,
                "locale_source": "platform", "hours_start": self.hours_start, "hours_end": self.hours_end,
                "work_days": self.work_days}


def people(count: int, seed: int = 1, prefix: str = "U") -> Iterator[Person]:
    """`count` people; user ids look like Slack's (U0000001)."""
    rng = random.Random(seed)
    zones = rng.choices(ZONES, weights=[w for *_, w in ZONES], k=count)
    hours = rng.choices(HOURS, weights=[w for *_, w in HOURS], k=count)
    for index, ((zone, country, _), (start, end, _)) in enumerate(zip(zones, hours)):
        # Teams hold their ritual somewhere between 08:00 and 10:55 local, on five-minute marks.
        ritual_at = time(8 + rng.randrange(3), 5 * rng.randrange(12))
        yield Person(f"{prefix}{index + 1:07d}", f"Person {index + 1}", zone, country, start, end,
                     LOCALES.get(country, "en"), WORK_DAYS.get(country), ritual_at)
