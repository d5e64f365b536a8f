"""Coffee pairing: the planner's rules on plain data, its optimality against networkx, twelve simulated
weeks of a 60-person team in 8 regions on a real database, and the /coffee commands."""
from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from sqlalchemy import select

from bot import availability, pairing
from bot.time import overlap_duration
from bot.availability import State
from bot.time.clock import SimulatedClock
from bot.core import ActionRequest, Meridian
from bot.models import Member, Occurrence, Workspace
from bot.pairing import CoffeeConfig, CoffeeGroup, CoffeeRound, CoffeeSeat
from bot.coffee.plan import REASON_NO_PARTNER, REASON_ODD, Candidate, pair_key, plan_round
from bot.coffee.regions import region_of
from bot.coffee.windows import weekly_windows
from bot.teamfile import ImportError_, import_file, parse_toml
from adapters.console.shell import ConsoleShell
from tests.conftest import plain, shell_as

MONDAY = date(2026, 3, 30)
WORKWEEK = range(5)


def person(pid: str, zone: str, country: str, hours: tuple[int, int] = (9, 17), priority: bool = False,
           first_day: date = MONDAY, days_off: tuple[date, ...] = ()) -> Candidate:
    region = region_of(country, zone)
    windows = weekly_windows(zone, time(hours[0]), time(hours[1]), WORKWEEK, first_day, days_off=days_off)
    return Candidate(pid, region.name, region.continent, country, windows, priority)


def groups_of(plan) -> set[frozenset[str]]:  # type: ignore[no-untyped-def]
    return {frozenset(g.members) for g in plan.groups}


# --- regions and shared hours ----------------------------------------------------------------------------

def test_regions_come_from_country_data_then_the_zone() -> None:
    assert region_of("DE", "Europe/Berlin").name == region_of("FR", "Europe/Paris").name == "Western Europe"
    assert region_of("NG", "Africa/Lagos").name != region_of("EG", "Africa/Cairo").name
    assert region_of(None, "America/Sao_Paulo").name == region_of("BR", "UTC").name   # zone -> country -> region
    assert region_of(None, "Etc/GMT+5").name == "Etc"                                  # nothing known: the prefix
    assert region_of("US", "America/New_York").continent == region_of("BR", "America/Sao_Paulo").continent


def test_shared_hours_follow_dst_and_holidays_on_the_real_dates() -> None:
    # Berlin 08-17 and New York 09-17. Week of Mar 23: the US is on summer time, Germany not yet
    # (13:00-16:00 UTC shared, 3 h a day). Week of Mar 30: both on summer time (13:00-15:00 UTC, 2 h),
    # and Good Friday is a holiday in Germany only.
    def shared(first_day: date) -> timedelta:
        berlin = weekly_windows("Europe/Berlin", time(8), time(17), WORKWEEK, first_day,
                                days_off=(date(2026, 4, 3),))
        new_york = weekly_windows("America/New_York", time(9), time(17), WORKWEEK, first_day)
        return overlap_duration(berlin, new_york)

    assert shared(date(2026, 3, 23)) == timedelta(hours=15)
    assert shared(date(2026, 3, 30)) == timedelta(hours=8)
    berlin = person("b", "Europe/Berlin", "DE", (8, 17), first_day=date(2026, 3, 30), days_off=(date(2026, 4, 3),))
    new_york = person("n", "America/New_York", "US", first_day=date(2026, 3, 30))
    assert plan_round([berlin, new_york], round_index=1, min_overlap=timedelta(hours=8)).groups
    too_much = plan_round([berlin, new_york], round_index=1, min_overlap=timedelta(hours=9))
    assert not too_much.groups and too_much.left_out == {"b": REASON_NO_PARTNER, "n": REASON_NO_PARTNER}


# --- the planner's rules ----------------------------------------------------------------------------------

def four_in_two_regions() -> list[Candidate]:
    return [person("a", "Europe/Berlin", "DE"), person("b", "Europe/Paris", "FR"),
            person("c", "Africa/Lagos", "NG"), person("d", "Africa/Accra", "GH")]


def test_cross_region_pairs_are_preferred() -> None:
    plan = plan_round(four_in_two_regions(), round_index=1)
    assert all(g.cross_region for g in plan.groups)
    assert groups_of(plan) in ({frozenset("ac"), frozenset("bd")}, {frozenset("ad"), frozenset("bc")})


def test_a_fresh_partner_beats_any_repeat_even_in_the_same_region() -> None:
    history = {pair_key("a", "c"): 1, pair_key("b", "d"): 1, pair_key("a", "d"): 1, pair_key("b", "c"): 1}
    plan = plan_round(four_in_two_regions(), round_index=2, history=history)
    assert groups_of(plan) == {frozenset("ab"), frozenset("cd")}
    assert not any(g.repeat for g in plan.groups)


def test_when_everyone_has_met_the_oldest_meeting_repeats_first() -> None:
    history = {pair_key(x, y): 9 for x, y in combinations("abcd", 2)}
    history[pair_key("a", "b")] = history[pair_key("c", "d")] = 2     # met long ago
    plan = plan_round(four_in_two_regions(), round_index=10, history=history)
    assert groups_of(plan) == {frozenset("ab"), frozenset("cd")}
    assert all(g.repeat for g in plan.groups)


def test_a_repeat_beats_sitting_out() -> None:
    two = four_in_two_regions()[:2]
    plan = plan_round(two, round_index=2, history={pair_key("a", "b"): 1})
    assert groups_of(plan) == {frozenset("ab")} and plan.left_out == {}


def test_blocks_hold_both_ways_and_the_blocked_are_told_why() -> None:
    for block in (("a", "b"), ("b", "a")):
        plan = plan_round(four_in_two_regions()[:2], round_index=1, blocks=[block])
        assert plan.groups == [] and plan.left_out == {"a": REASON_NO_PARTNER, "b": REASON_NO_PARTNER}


def test_no_pair_without_the_minimum_of_shared_hours() -> None:
    tokyo = person("t", "Asia/Tokyo", "JP")
    los_angeles = person("l", "America/Los_Angeles", "US")
    plan = plan_round([tokyo, los_angeles], round_index=1)
    assert plan.groups == [] and set(plan.left_out.values()) == {REASON_NO_PARTNER}


def test_an_odd_count_gives_one_trio_and_spares_last_rounds_odd_one_out() -> None:
    five = four_in_two_regions() + [person("e", "Asia/Riyadh", "SA")]
    for lucky in "abcde":
        marked = [Candidate(c.id, c.region, c.continent, c.country, c.windows, c.id == lucky) for c in five]
        plan = plan_round(marked, round_index=1, seed=3)
        sizes = sorted(len(g.members) for g in plan.groups)
        assert sizes == [2, 3] and plan.left_out == {}
        trio = next(g for g in plan.groups if len(g.members) == 3)
        assert lucky not in trio.members, f"{lucky} sat out or was in a trio last round, yet is in {trio.members}"


def test_someone_who_fits_no_group_is_left_out_with_the_reason() -> None:
    # c can only meet a and b (Lagos-Tokyo share nothing), but a-b-c cannot share an hour as a trio
    # unless all overlap; here c blocks b, so the trio is impossible and c sits out as the odd one.
    three = [person("a", "Europe/Berlin", "DE"), person("b", "Europe/Paris", "FR"), person("c", "Africa/Lagos", "NG")]
    plan = plan_round(three, round_index=1, blocks=[("c", "b")])
    assert groups_of(plan) == {frozenset("ab")} or groups_of(plan) == {frozenset("ac")}
    assert list(plan.left_out.values()) == [REASON_ODD]


def test_group_size_three_makes_trios_and_pairs_for_the_remainder() -> None:
    team = random_team(11, seed=5)
    plan = plan_round(team, round_index=1, group_size=3, seed=1)
    assert sorted(len(g.members) for g in plan.groups) == [2, 3, 3, 3] and plan.left_out == {}


def test_the_same_seed_replays_the_same_round_and_another_seed_may_differ() -> None:
    team = random_team(40, seed=2)
    first = plan_round(team, round_index=1, seed=7)
    again = plan_round(list(reversed(team)), round_index=1, seed=7)   # input order does not matter
    assert groups_of(first) == groups_of(again)
    assert any(groups_of(plan_round(team, round_index=1, seed=s)) != groups_of(first) for s in range(8, 12))


# --- optimality: the same weights, networkx's exact answer ---------------------------------------------------

ZONES = [("Europe/Berlin", "DE"), ("Europe/London", "GB"), ("Africa/Lagos", "NG"), ("Asia/Kolkata", "IN"),
         ("Asia/Tokyo", "JP"), ("America/New_York", "US"), ("America/Sao_Paulo", "BR"), ("Asia/Riyadh", "SA"),
         ("Australia/Sydney", "AU"), ("Europe/Warsaw", "PL"), ("Asia/Kathmandu", "NP"), ("Africa/Nairobi", "KE")]


def random_team(n: int, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    team = []
    for i in range(n):
        zone, country = rng.choice(ZONES)
        start = rng.choice([7, 8, 9, 10, 11])
        off = tuple(MONDAY + timedelta(days=d) for d in range(5) if rng.random() < 0.1)
        team.append(person(f"m{i}", zone, country, (start, start + 8), priority=rng.random() < 0.1, days_off=off))
    return team


@pytest.mark.parametrize("n, seed", [(9, 1), (60, 2), (300, 4)])
def test_the_matching_weight_equals_networkx_optimum(n: int, seed: int) -> None:
    team = random_team(n, seed)
    rng = random.Random(seed)
    ids = [c.id for c in team]
    history = {pair_key(*rng.sample(ids, 2)): rng.randint(1, 9) for _ in range(n)}
    blocks = [tuple(rng.sample(ids, 2)) for _ in range(n // 10)]
    plan = plan_round(team, round_index=10, history=history, blocks=blocks, seed=seed)
    graph = nx.Graph()
    for pair, weight in plan.pair_weights.items():
        graph.add_edge(*sorted(pair), weight=weight)
    optimum = sum(graph[a][b]["weight"] for a, b in nx.max_weight_matching(graph))
    assert plan.weight == pytest.approx(optimum, rel=1e-9, abs=1e-6)
    for block in blocks:
        assert pair_key(*block) not in plan.pair_weights


def test_large_rounds_sample_partners_and_still_pair_everyone_fresh() -> None:
    team = random_team(900, seed=6)
    rng = random.Random(1)
    ids = [c.id for c in team]
    history = {}
    for round_index in range(1, 6):
        rng.shuffle(ids)
        history.update({pair_key(ids[k], ids[k + 1]): round_index for k in range(0, len(ids) - 1, 2)})
    plan = plan_round(team, round_index=6, history=history, seed=1, dense_limit=300, exact_limit=200)
    paired = sum(len(g.members) for g in plan.groups)
    assert paired >= 0.98 * len(team)
    assert not any(g.repeat for g in plan.groups)
    assert sum(g.cross_region for g in plan.groups) >= 0.9 * len(plan.groups)


# --- twelve weeks, 60 people, 8 regions, on a real database -------------------------------------------------

REGIONS = {   # zone, country, hours: eight UN subregions around the world
    "Western Europe": [("Europe/Berlin", "DE"), ("Europe/Paris", "FR"), ("Europe/Amsterdam", "NL")],
    "Northern Europe": [("Europe/London", "GB"), ("Europe/Stockholm", "SE"), ("Europe/Dublin", "IE")],
    "Eastern Europe": [("Europe/Warsaw", "PL"), ("Europe/Bucharest", "RO"), ("Europe/Kyiv", "UA")],
    "Sub-Saharan Africa": [("Africa/Lagos", "NG"), ("Africa/Nairobi", "KE"), ("Africa/Accra", "GH")],
    "Western Asia": [("Asia/Riyadh", "SA"), ("Asia/Dubai", "AE"), ("Europe/Istanbul", "TR")],
    "Southern Asia": [("Asia/Kolkata", "IN"), ("Asia/Kathmandu", "NP"), ("Asia/Karachi", "PK")],
    "Eastern Asia": [("Asia/Tokyo", "JP"), ("Asia/Seoul", "KR"), ("Asia/Shanghai", "CN")],
    "Latin America and the Caribbean": [("America/Sao_Paulo", "BR"), ("America/Argentina/Buenos_Aires", "AR"),
                                        ("America/Bogota", "CO")],
}
FIRST_ROUND = date(2026, 3, 30)     # Mondays through June 15: Easter Monday, May Day week, Whit Monday


def big_team_file(path: Path) -> Path:
    lines = ['[workspace]\nname = "Sixty"\nchannel = "general"\n']
    rng = random.Random(60)
    slots = [(region, zone, country) for region, places in REGIONS.items() for zone, country in places]
    ids = []
    for i in range(60):
        region, zone, country = slots[i % len(slots)]
        start = rng.choice(["08:00", "09:00", "10:00"])
        end = {"08:00": "16:00", "09:00": "17:00", "10:00": "18:00"}[start]
        ids.append(f"p{i:02d}")
        lines.append(f'[[members]]\nid = "p{i:02d}"\nname = "Person {i:02d}"\ntz = "{zone}"\ncountry = "{country}"\n'
                     f'hours = "{start}-{end}"\n')
    for k in range(10):   # ten people away for a week or two at some point
        first = FIRST_ROUND + timedelta(days=7 * rng.randrange(0, 11) - 2)
        lines.append(f'[[away]]\nmember = "{ids[k * 6]}"\nfrom = "{first}"\nto = "{first + timedelta(days=rng.choice([6, 13]))}"\n')
    lines.append('[coffee]\nchannel = "coffee"\nday = "mon"\ncadence = "weekly"\nmin_overlap_hours = 1\n')
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def windows(member: Member, day: date) -> list[tuple[datetime, datetime]]:
    return availability.working_windows(member, day, day + timedelta(days=6))


def test_twelve_weekly_rounds_for_sixty_people_in_eight_regions(sqlite_db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with sqlite_db.session() as session:
        import_file(session, big_team_file(tmp_path / "team.toml"), workspace_external_id="sixty")
        session.scalar(select(CoffeeConfig)).seed = 60     # drawn at random on import; fixed here to replay  # type: ignore[union-attr]
    met: dict[frozenset[int], date] = {}
    totals = {"groups": 0, "cross": 0, "unavailable": 0}
    for week in range(12):
        day = FIRST_ROUND + timedelta(days=7 * week)
        with sqlite_db.session() as session:
            workspace = session.scalar(select(Workspace).where(Workspace.external_id == "sixty"))
            assert workspace is not None
            coffee_round = pairing.run_round(session, workspace, day, datetime.combine(day, time(0), timezone.utc))
            members = {m.id: m for m in session.scalars(select(Member).where(Member.workspace_id == workspace.id))}
            seats = list(session.scalars(select(CoffeeSeat).where(CoffeeSeat.round_id == coffee_round.id)))
            by_group: dict[int, list[Member]] = {}
            for seat in seats:
                member = members[seat.member_id]
                off = availability.day_off(member, day)
                on_leave = off is not None and off.state in (State.AWAY, State.HOLIDAY)
                if seat.group_id is not None:
                    assert not on_leave, f"{member.user_id} is paired on {day} while {off.state.value}"  # type: ignore[union-attr]
                    by_group.setdefault(seat.group_id, []).append(member)
                elif on_leave:
                    totals["unavailable"] += 1
            assert len(seats) == 60
            # Every pair in every group shares at least an hour of working time that week, DST and holidays included.
            fresh_graph = nx.Graph()
            available = [m for m in members.values()
                         if not ((off := availability.day_off(m, day)) and off.state in (State.AWAY, State.HOLIDAY))]
            win = {m.id: windows(m, day) for m in available}
            for a, b in combinations(available, 2):
                if (overlap_duration(win[a.id], win[b.id]) >= timedelta(hours=1)
                        and frozenset((a.id, b.id)) not in met):
                    fresh_graph.add_edge(a.id, b.id)
            repeats = []
            for group in by_group.values():
                for a, b in combinations(group, 2):
                    assert overlap_duration(win[a.id], win[b.id]) >= timedelta(hours=1)
                    if frozenset((a.id, b.id)) in met:
                        repeats.append((a.user_id, b.user_id))
                regions = {region_of(m.country, m.tz).name for m in group}
                totals["groups"] += 1
                totals["cross"] += len(regions) > 1
            pairs_needed = sum(len(g) // 2 for g in by_group.values())
            repeat_free = len(nx.max_weight_matching(fresh_graph, maxcardinality=True))
            assert not repeats or repeat_free < pairs_needed, f"{day}: repeats {repeats} although a repeat-free matching exists"
            assert not repeats
            for group in by_group.values():
                for a, b in combinations(group, 2):
                    met[frozenset((a.id, b.id))] = day
    assert totals["cross"] >= 0.9 * totals["groups"], totals
    assert totals["unavailable"] > 0, "the scenario should include people away or on holiday"


# --- the database round: trio fairness, left-out notes, idempotence --------------------------------------------

def test_run_round_is_idempotent_and_enqueues_intros_followups_and_notes(demo: Meridian) -> None:
    shell = shell_as(demo, "amara")
    assert not shell.command("/coffee config on").error
    with demo.db.session() as session:
        workspace = session.scalar(select(Workspace))
        first = pairing.run_round(session, workspace, MONDAY, demo.now())
        again = pairing.run_round(session, workspace, MONDAY, demo.now())
        assert first.id == again.id
        groups = list(session.scalars(select(CoffeeGroup).where(CoffeeGroup.round_id == first.id)))
        seats = list(session.scalars(select(CoffeeSeat).where(CoffeeSeat.round_id == first.id)))
        occurrences = list(session.scalars(select(Occurrence).where(Occurrence.kind.like("coffee%"))))
    assert len(seats) == 10 and sum(g.size for g in groups) + sum(s.outcome != "paired" and s.group_id is None for s in seats) == 10
    kinds = sorted(o.kind for o in occurrences)
    assert kinds.count("coffee_intro") == len(groups) + sum(s.outcome == "left_out" for s in seats)
    assert kinds.count("coffee_followup") == len(groups)


NINE = [("Europe/Berlin", "DE"), ("Europe/London", "GB"), ("Africa/Lagos", "NG"), ("Africa/Nairobi", "KE"),
        ("Asia/Riyadh", "SA"), ("Europe/Warsaw", "PL"), ("Europe/Madrid", "ES"), ("Asia/Dubai", "AE"),
        ("Africa/Cairo", "EG")]


def test_whoever_was_in_a_trio_goes_first_next_round(core: Meridian, tmp_path: Path) -> None:
    # Fairness ranks below novelty: once nine people have met most others, a fresh trio may need
    # someone from the last one. For the first rounds, fresh options abound and fairness decides.
    team = tmp_path / "nine.toml"
    team.write_text("\n".join(f'[[members]]\nid = "n{i}"\ntz = "{z}"\ncountry = "{c}"\nhours = "09:00-18:00"\n'
                              for i, (z, c) in enumerate(NINE)) + '\n[coffee]\nday = "tue"\n', encoding="utf-8")
    trios: list[set[int]] = []
    with core.db.session() as session:
        import_file(session, team, workspace_external_id="nine")
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == "nine"))
        session.scalar(select(CoffeeConfig)).seed = 9  # type: ignore[union-attr]
        for week in range(3):
            day = date(2026, 4, 14) + timedelta(days=7 * week)
            coffee_round = pairing.run_round(session, workspace, day, core.now())
            trios.append(set(session.scalars(select(CoffeeSeat.member_id).where(
                CoffeeSeat.round_id == coffee_round.id, CoffeeSeat.outcome == "trio"))))
    assert all(len(t) == 3 for t in trios)
    for earlier, later in zip(trios, trios[1:]):
        assert not earlier & later, trios


def test_away_and_holiday_members_are_not_paired_and_the_alone_are_told(core: Meridian, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text("""
[workspace]
name = "Three"
[[members]]
id = "lena"
tz = "Europe/Berlin"
country = "DE"
admin = true
[[members]]
id = "omar"
tz = "Asia/Riyadh"
country = "SA"
[[members]]
id = "kofi"
tz = "Africa/Accra"
country = "GH"
[[away]]
member = "kofi"
from = "2026-04-06"
to = "2026-04-10"
[coffee]
day = "mon"
""", encoding="utf-8")
    with core.db.session() as session:
        import_file(session, team, workspace_external_id="three")
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == "three"))
        # Easter Monday: a holiday for Lena in Germany (not in Saudi Arabia); Kofi is away that week.
        coffee_round = pairing.run_round(session, workspace, date(2026, 4, 6), core.now())
        seats = {s.member_id: s for s in session.scalars(select(CoffeeSeat).where(CoffeeSeat.round_id == coffee_round.id))}
        members = {m.user_id: m.id for m in session.scalars(select(Member).where(Member.workspace_id == workspace.id))}
        note = session.scalar(select(Occurrence).where(Occurrence.kind == "coffee_intro"))
        built = pairing.build_intro(session, workspace, dict(note.payload), core.now())  # type: ignore[union-attr]
    assert (seats[members["lena"]].outcome, seats[members["lena"]].reason) == ("unavailable", "holiday")
    assert (seats[members["kofi"]].outcome, seats[members["kofi"]].reason) == ("unavailable", "away")
    assert (seats[members["omar"]].outcome, seats[members["omar"]].reason) == ("left_out", "alone")
    assert isinstance(built, list) and built[0].to == "omar"
    assert "only one available" in built[0].reply.as_text()


# --- commands ----------------------------------------------------------------------------------------------

def test_join_leave_pause_block_and_status(demo: Meridian) -> None:
    with demo.db.session() as session:   # start from a workspace where coffee was never set up
        for config in session.scalars(select(CoffeeConfig)):
            session.delete(config)
    ravi = shell_as(demo, "ravi")
    assert "not set up" in ravi.command("/coffee").as_text()
    assert ravi.command("/coffee config day tue").error                       # admins only
    amara = shell_as(demo, "amara")
    assert "Tuesday" in amara.command("/coffee config day tue").as_text()
    assert "every two weeks" in amara.command("/coffee config cadence fortnightly").as_text()
    assert amara.command("/coffee config cadence yearly").error
    assert amara.command("/coffee config size 5").error
    assert "1 hour and 30 minutes" in amara.command("/coffee config overlap 1h30m").as_text()
    assert amara.command("/coffee config overlap 30h").error
    assert "#coffee" in amara.command("/coffee config channel #coffee").as_text()
    assert "taking part" in ravi.command("/coffee status").as_text()          # everyone, by default
    assert "left" in ravi.command("/coffee leave").as_text()
    assert "not taking part" in ravi.command("/coffee").as_text()
    paused = ravi.command("/coffee pause until 2026-04-20")
    assert not paused.error and "Apr 20, 2026" in paused.as_text()
    assert "paused until" in ravi.command("/coffee status").as_text()
    assert ravi.command("/coffee pause until yesterday").error
    assert ravi.command("/coffee pause soon").error
    assert "never be paired with Sam" in ravi.command("/coffee block @sam").as_text()
    assert ravi.command("/coffee block @ravi").error
    assert ravi.command("/coffee block @nobody").error
    assert "blocked 1 person" in ravi.command("/coffee status").as_text()
    assert not ravi.command("/coffee unblock @sam").error
    assert ravi.command("/coffee unblock @sam").error
    assert ravi.command("/coffee dance").error
    with demo.db.session() as session:
        workspace = session.scalar(select(Workspace))
        config = pairing.get_config(session, workspace)
        assert (config.day, config.cadence, config.min_overlap_minutes, config.channel) == (1, "fortnightly", 90, "coffee")  # type: ignore[union-attr]
        paused_day = date(2026, 4, 14)
        assert "ravi" not in {m.user_id for m in pairing.participants(session, workspace, config, paused_day)}  # type: ignore[arg-type]
        assert "ravi" in {m.user_id for m in pairing.participants(session, workspace, config, date(2026, 4, 21))}  # type: ignore[arg-type]


def test_history_stats_and_the_did_you_meet_buttons(demo: Meridian) -> None:
    amara = shell_as(demo, "amara")
    amara.command("/coffee config on")
    with demo.db.session() as session:
        workspace = session.scalar(select(Workspace))
        coffee_round = pairing.run_round(session, workspace, MONDAY, demo.now())
        seat = session.scalar(select(CoffeeSeat).join(Member, Member.id == CoffeeSeat.member_id)
                              .where(Member.user_id == "amara", CoffeeSeat.round_id == coffee_round.id))
        group_id = seat.group_id  # type: ignore[union-attr]
        partner = session.scalar(select(Member.user_id).join(CoffeeSeat, CoffeeSeat.member_id == Member.id)
                                 .where(CoffeeSeat.group_id == group_id, Member.user_id != "amara"))
        followup = pairing.build_followup(session, workspace, {"group": group_id}, demo.now())
    assert isinstance(followup, list)
    buttons = followup[0].reply.buttons
    assert [b.action for b in buttons] == ["coffee.met", "coffee.not_met"] and buttons[0].value == str(group_id)
    outsider = next(u for u in ("ravi", "lena", "hana", "sofia") if u != partner)
    refused = demo.handle_action(ActionRequest(shell_as(demo, outsider).who, "coffee.met", str(group_id)))
    assert refused.error
    assert not demo.handle_action(ActionRequest(amara.who, "coffee.met", str(group_id))).error
    assert "met" in amara.command("/coffee history").as_text()
    stats = plain(amara.command("/coffee stats").as_text())
    assert "met 100% (of 1 answers)" in stats and "cross-region 100%" in stats
    with demo.db.session() as session:
        assert pairing.build_followup(session, session.scalar(select(Workspace)), {"group": group_id}, demo.now()) \
            == "the group already said they met"


def test_intro_shows_local_times_shared_hours_slots_and_a_starter(demo: Meridian) -> None:
    shell_as(demo, "amara").command("/coffee config on")
    with demo.db.session() as session:
        workspace = session.scalar(select(Workspace))
        coffee_round = pairing.run_round(session, workspace, MONDAY, demo.now())
        group = session.scalars(select(CoffeeGroup).where(CoffeeGroup.round_id == coffee_round.id)).first()
        intro = session.scalar(select(Occurrence).where(Occurrence.kind == "coffee_intro",
                                                        Occurrence.recipient == f"group:{group.id}"))  # type: ignore[union-attr]
        members = pairing.group_members(session, group)  # type: ignore[arg-type]
        built = pairing.build_intro(session, workspace, dict(intro.payload), intro.due_at)  # type: ignore[union-attr]
        mornings = [pairing.morning(m, MONDAY) for m in members]
    assert isinstance(built, list) and sorted(built[0].to) == sorted(m.user_id for m in members)
    assert intro.due_at in mornings                                   # 09:00 on the round day for one of them
    reply = built[0].reply
    titles = [s.title for s in reply.sections]
    assert titles[:2] == ["Who is where", "Shared working hours"] and titles[-1] == "A conversation starter"
    slots = next(s for s in reply.sections if s.title and s.title.startswith("Suggested"))
    assert 2 <= len(slots.lines) <= 3
    assert all(m.display_name in reply.as_text() for m in members)


def test_intro_speaks_the_groups_language(demo: Meridian) -> None:
    shell_as(demo, "amara").command("/coffee config on")
    with demo.db.session() as session:
        workspace = session.scalar(select(Workspace))
        members = list(session.scalars(select(Member).where(Member.user_id.in_(["lena", "sofia"]))))
        for m in members:
            m.locale = "de"
        assert pairing.group_translator(members, workspace).locale_id == "de"
        members[1].locale = "pt_BR"
        assert pairing.group_translator(members, workspace).locale_id == "en"


# --- the team file's [coffee] table -----------------------------------------------------------------------

TEAM_HEAD = """
[[members]]
id = "a"
tz = "Europe/Berlin"
[[members]]
id = "b"
tz = "Africa/Lagos"
"""


def test_team_file_coffee_section_is_validated() -> None:
    with pytest.raises(ImportError_) as caught:
        parse_toml(TEAM_HEAD + '[coffee]\nday = "someday"\ncadence = "daily"\nmin_overlap_hours = 0\n'
                   'group_size = 4\nparticipants = ["a", "zed"]\ncolour = "blue"\n')
    text = "\n".join(caught.value.errors)
    for field in ("coffee.day", "coffee.cadence", "coffee.min_overlap_hours", "coffee.group_size",
                  "coffee.participants[1]", "coffee.colour"):
        assert field in text, field


def test_team_file_coffee_section_sets_the_roster_and_respects_a_members_leave(core: Meridian, tmp_path: Path) -> None:
    team = tmp_path / "team.toml"
    team.write_text(TEAM_HEAD + '[coffee]\nchannel = "#coffee"\nday = "wed"\ncadence = "monthly"\n'
                    'participants = ["a"]\nmin_overlap_hours = 2\ngroup_size = 3\n', encoding="utf-8")
    with core.db.session() as session:
        import_file(session, team, workspace_external_id="file")
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == "file"))
        config = session.scalar(select(CoffeeConfig))
        assert (config.channel, config.day, config.cadence, config.min_overlap_minutes, config.group_size,  # type: ignore[union-attr]
                config.everyone) == ("coffee", 2, "monthly", 120, 3, False)  # type: ignore[union-attr]
        assert [m.user_id for m in pairing.participants(session, workspace, config, MONDAY)] == ["a"]  # type: ignore[arg-type]
    ConsoleShell(core, "a", workspace="file").command("/coffee leave")
    with core.db.session() as session:
        import_file(session, team, workspace_external_id="file")
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == "file"))
        config = session.scalar(select(CoffeeConfig))
        assert pairing.participants(session, workspace, config, MONDAY) == []  # type: ignore[arg-type]


def test_round_dates_follow_the_cadence() -> None:
    config = CoffeeConfig(day=0, cadence="weekly", anchor=date(2026, 3, 25))
    assert list(zip(range(3), pairing.round_dates(config, date(2026, 3, 25)))) == \
        [(0, date(2026, 3, 30)), (1, date(2026, 4, 6)), (2, date(2026, 4, 13))]
    config.cadence = "fortnightly"
    fortnightly = [d for _, d in zip(range(3), pairing.round_dates(config, date(2026, 3, 25)))]
    assert [(b - a).days for a, b in zip(fortnightly, fortnightly[1:])] == [14, 14]
    assert fortnightly[0] in (date(2026, 3, 30), date(2026, 4, 6))
    config.cadence, config.day = "monthly", 2
    assert [d for _, d in zip(range(3), pairing.round_dates(config, date(2026, 3, 25)))] == \
        [date(2026, 4, 1), date(2026, 5, 6), date(2026, 6, 3)]
