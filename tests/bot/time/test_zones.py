"""What people type for a zone (cities, countries, abbreviations) and what is ambiguous or unknown."""
from __future__ import annotations

import pytest

from bot.time import TimeError, resolve_zone


class TestZoneResolution:
    @pytest.mark.parametrize("text, expected", [
        ("Europe/Berlin", "Europe/Berlin"), ("europe/berlin", "Europe/Berlin"),
        ("Kathmandu", "Asia/Kathmandu"), ("Sao Paulo", "America/Sao_Paulo"), ("São Paulo", "America/Sao_Paulo"),
        ("sao_paulo", "America/Sao_Paulo"), ("Nepal", "Asia/Kathmandu"), ("NP", "Asia/Kathmandu"),
        ("Japan", "Asia/Tokyo"), ("San Francisco", "America/Los_Angeles"), ("Munich", "Europe/Berlin"),
        ("Bengaluru", "Asia/Kolkata"), ("Lord Howe", "Australia/Lord_Howe"), ("UTC", "UTC"),
    ])
    def test_resolves(self, text: str, expected: str) -> None:
        assert resolve_zone(text).name == expected

    @pytest.mark.parametrize("text", ["IST", "CST", "United States", "Australia", "Brazil"])
    def test_ambiguous_lists_candidates(self, text: str) -> None:
        with pytest.raises(TimeError) as caught:
            resolve_zone(text)
        assert caught.value.code == "ambiguous_zone"
        assert len(caught.value.params["candidates"]) > 1

    @pytest.mark.parametrize("text", ["", "Mars/Olympus", "Atlantis", "x" * 500, "../../etc/passwd", "\u202e\u0000"])
    def test_unknown(self, text: str) -> None:
        with pytest.raises(TimeError) as caught:
            resolve_zone(text)
        assert caught.value.code == "unknown_zone"
