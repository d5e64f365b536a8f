"""Cities lead to IANA's current zone name, whichever CLDR release babel ships.

CLDR keeps the first id a zone ever had ("Asia/Katmandu", "Asia/Calcutta"); IANA renamed them and keeps
the old names as links. babel 2.17 and 2.19 differ in which id they call canonical; before this rule,
"Kathmandu" was "ambiguous" on one of them. These tests hold on any data release: they compare with
what the libraries say, not with a list of names.
"""
from __future__ import annotations

import pytest
from babel import Locale

from bot.time import TimeError, resolve_zone
from bot.time.zones import _tab_zones


@pytest.mark.parametrize(("typed", "zone"), [
    ("Kathmandu", "Asia/Kathmandu"), ("Katmandu", "Asia/Kathmandu"), ("Calcutta", "Asia/Kolkata"),
    ("Kolkata", "Asia/Kolkata"), ("Saigon", "Asia/Ho_Chi_Minh"), ("Kiev", "Europe/Kyiv"),
    ("Rangoon", "Asia/Yangon"), ("Godthab", "America/Nuuk"),
])
def test_old_and_new_city_names_reach_the_current_zone(typed: str, zone: str) -> None:
    assert resolve_zone(typed).name == zone


def test_no_city_is_ambiguous_between_a_zone_and_its_own_old_name() -> None:
    """Every CLDR exemplar city resolves to one zone, unless it names two genuinely different zones."""
    for info in Locale.parse("en").time_zones.values():
        city = info.get("city") if hasattr(info, "get") else None
        if not city:
            continue
        try:
            resolve_zone(city)
        except TimeError as error:
            if error.code == "ambiguous_zone":
                candidates = error.params["candidates"]
                assert all(c in _tab_zones() for c in candidates), (city, candidates)
