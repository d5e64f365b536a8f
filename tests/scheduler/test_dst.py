"""Daily rituals across both DST changes in New York, London, Sydney and Lord Howe, through the real engine.

A ritual at HH:MM local fires once per local day at HH:MM; on a change day a time inside the gap
fires once at the first valid instant after it, a time inside the overlap fires once, the first
time. Expectations are written out as UTC instants, worked out by hand from each zone's rules.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest

from adapters.console.sender import ConsoleSender
from bot.time.clock import SimulatedClock
from bot.time import local_date, to_local
from scheduler.engine import Engine
from scheduler.simulate import run_until
from tests.scheduler.rituals_for_tests import DailyAt, make_team

UTC = timezone.utc
TIMES = {"0930": time(9, 30), "0230": time(2, 30), "0130": time(1, 30), "0145": time(1, 45), "0215": time(2, 15)}
# Besides 09:30 and 02:30, each case runs the local time that falls in its gap or overlap.
EDGE = {("America/New_York", "spring"): "0215", ("America/New_York", "autumn"): "0130",
        ("Europe/London", "spring"): "0130", ("Europe/London", "autumn"): "0130",
        ("Australia/Sydney", "autumn"): "0130", ("Australia/Sydney", "spring"): "0215",
        ("Australia/Lord_Howe", "autumn"): "0145", ("Australia/Lord_Howe", "spring"): "0215"}


def z(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# (zone, season) -> (local change date, {ritual time: expected UTC instant on that date})
CASES = {
    ("America/New_York", "spring"): (date(2026, 3, 8), {      # 02:00 EST -> 03:00 EDT
        "0930": z("2026-03-08T13:30Z"), "0230": z("2026-03-08T07:00Z"), "0215": z("2026-03-08T07:00Z"),
        "0130": z("2026-03-08T06:30Z"), "0145": z("2026-03-08T06:45Z")}),
    ("America/New_York", "autumn"): (date(2026, 11, 1), {     # 02:00 EDT -> 01:00 EST
        "0930": z("2026-11-01T14:30Z"), "0230": z("2026-11-01T07:30Z"), "0215": z("2026-11-01T07:15Z"),
        "0130": z("2026-11-01T05:30Z"), "0145": z("2026-11-01T05:45Z")}),
    ("Europe/London", "spring"): (date(2026, 3, 29), {        # 01:00 GMT -> 02:00 BST
        "0930": z("2026-03-29T08:30Z"), "0230": z("2026-03-29T01:30Z"), "0215": z("2026-03-29T01:15Z"),
        "0130": z("2026-03-29T01:00Z"), "0145": z("2026-03-29T01:00Z")}),
    ("Europe/London", "autumn"): (date(2026, 10, 25), {       # 02:00 BST -> 01:00 GMT
        "0930": z("2026-10-25T09:30Z"), "0230": z("2026-10-25T02:30Z"), "0215": z("2026-10-25T02:15Z"),
        "0130": z("2026-10-25T00:30Z"), "0145": z("2026-10-25T00:45Z")}),
    ("Australia/Sydney", "autumn"): (date(2026, 4, 5), {      # 03:00 AEDT -> 02:00 AEST
        "0930": z("2026-04-04T23:30Z"), "0230": z("2026-04-04T15:30Z"), "0215": z("2026-04-04T15:15Z"),
        "0130": z("2026-04-04T14:30Z"), "0145": z("2026-04-04T14:45Z")}),
    ("Australia/Sydney", "spring"): (date(2026, 10, 4), {     # 02:00 AEST -> 03:00 AEDT
        "0930": z("2026-10-03T22:30Z"), "0230": z("2026-10-03T16:00Z"), "0215": z("2026-10-03T16:00Z"),
        "0130": z("2026-10-03T15:30Z"), "0145": z("2026-10-03T15:45Z")}),
    ("Australia/Lord_Howe", "autumn"): (date(2026, 4, 5), {   # 02:00 +11 -> 01:30 +10:30
        "0930": z("2026-04-04T23:00Z"), "0230": z("2026-04-04T16:00Z"), "0215": z("2026-04-04T15:45Z"),
        "0130": z("2026-04-04T14:30Z"), "0145": z("2026-04-04T14:45Z")}),
    ("Australia/Lord_Howe", "spring"): (date(2026, 10, 4), {  # 02:00 +10:30 -> 02:30 +11
        "0930": z("2026-10-03T22:30Z"), "0230": z("2026-10-03T15:30Z"), "0215": z("2026-10-03T15:30Z"),
        "0130": z("2026-10-03T15:00Z"), "0145": z("2026-10-03T15:15Z")}),
}


@pytest.mark.parametrize("zone_name,season", list(CASES), ids=[f"{zn.split('/')[1]}-{s}" for zn, s in CASES])
async def test_daily_rituals_across_a_dst_change(db, zone_name: str, season: str) -> None:  # type: ignore[no-untyped-def]
    change_day, expected = CASES[(zone_name, season)]
    start = datetime.combine(change_day - timedelta(days=3), time(12, 0), UTC)
    end = start + timedelta(days=6)
    make_team(db, {"m": zone_name})
    clock = SimulatedClock(start)
    sender = ConsoleSender(clock=clock)
    names = ("0930", "0230", EDGE[(zone_name, season)])
    rituals = {f"at_{name}": DailyAt(f"at_{name}", TIMES[name]) for name in names}
    engine = Engine(db, clock, {"console": sender}, rituals=rituals, replica_id="dst-test", concurrency=1)
    await run_until(engine, clock, end)

    for name in names:
        at = TIMES[name]
        sent = [m for m in sender.messages if m.message.kind == f"at_{name}"]
        instants = [m.at for m in sent]
        days = [local_date(i, zone_name) for i in instants]
        # once per local day, every day, in order, each delivered at its due instant
        assert days == [days[0] + timedelta(days=n) for n in range(len(days))], name
        assert len(days) in (5, 6, 7)
        assert instants == sorted(instants)
        for message in sent:
            assert message.message.local_time == to_local(message.at, zone_name)
        by_day = dict(zip(days, instants))
        assert by_day[change_day] == expected[name], f"{name} on {change_day}"
        for day, instant in by_day.items():
            if day != change_day:
                assert to_local(instant, zone_name).time() == at, f"{name} on {day}"
        assert to_local(by_day[change_day], zone_name).date() == change_day
