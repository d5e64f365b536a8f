"""The /coffee commands, the follow-up's buttons, the group intro, and the team file's [coffee] table."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.coffee.messages import build_followup, build_intro, group_translator
from bot.coffee.models import CoffeeConfig, CoffeeGroup, CoffeeSeat
from bot.coffee.rounds import group_members, run_round
from bot.coffee.settings import get_config, participants
from bot.coffee.timing import morning
from bot.core import ActionRequest, Meridian
from bot.models import Member, Occurrence, Workspace
from bot.rituals import Skip
from bot.teamfile import ImportError_, import_file, parse_toml
from adapters.console.shell import ConsoleShell
from tests.conftest import plain, shell_as

MONDAY = date(2026, 3, 30)


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
        config = get_config(session, workspace)
        assert (config.day, config.cadence, config.min_overlap_minutes, config.channel) == (1, "fortnightly", 90, "coffee")  # type: ignore[union-attr]
        paused_day = date(2026, 4, 14)
        assert "ravi" not in {m.user_id for m in participants(session, workspace, config, paused_day)}  # type: ignore[arg-type]
        assert "ravi" in {m.user_id for m in participants(session, workspace, config, date(2026, 4, 21))}  # type: ignore[arg-type]


def test_history_stats_and_the_did_you_meet_buttons(demo: Meridian) -> None:
    amara = shell_as(demo, "amara")
    amara.command("/coffee config on")
    with demo.db.session() as session:
        workspace = session.scalar(select(Workspace))
        coffee_round = run_round(session, workspace, MONDAY, demo.now())
        seat = session.scalar(select(CoffeeSeat).join(Member, Member.id == CoffeeSeat.member_id)
                              .where(Member.user_id == "amara", CoffeeSeat.round_id == coffee_round.id))
        group_id = seat.group_id  # type: ignore[union-attr]
        partner = session.scalar(select(Member.user_id).join(CoffeeSeat, CoffeeSeat.member_id == Member.id)
                                 .where(CoffeeSeat.group_id == group_id, Member.user_id != "amara"))
        followup = build_followup(session, workspace, {"group": group_id}, demo.now())
    assert isinstance(followup, list)
    buttons = followup[0].reply.buttons
    assert [b.action for b in buttons] == ["coffee.met", "coffee.not_met"] and buttons[0].value == str(group_id)
    outsider = next(u for u in ("ravi", "lena", "hana", "sofia") if u != partner)
    refused = demo.handle_action(ActionRequest(shell_as(demo, outsider).who, "coffee.met", str(group_id)))
    assert refused.error
    assert not demo.handle_action(ActionRequest(amara.who, "coffee.met", str(group_id))).error
    assert "met" in amara.command("/coffee history").as_text()
    stats = plain(amara.command("/coffee stats").as_text())
    assert "5 groups · answers: 1 · met: 100% · cross-region: 100%" in stats
    with demo.db.session() as session:
        assert build_followup(session, session.scalar(select(Workspace)), {"group": group_id}, demo.now()) \
            == Skip("the group already said they met")


def test_intro_shows_local_times_shared_hours_slots_and_a_starter(demo: Meridian) -> None:
    shell_as(demo, "amara").command("/coffee config on")
    with demo.db.session() as session:
        workspace = session.scalar(select(Workspace))
        coffee_round = run_round(session, workspace, MONDAY, demo.now())
        group = session.scalars(select(CoffeeGroup).where(CoffeeGroup.round_id == coffee_round.id)).first()
        intro = session.scalar(select(Occurrence).where(Occurrence.kind == "coffee_intro",
                                                        Occurrence.recipient == f"group:{group.id}"))  # type: ignore[union-attr]
        members = group_members(session, group)  # type: ignore[arg-type]
        built = build_intro(session, workspace, dict(intro.payload), intro.due_at)  # type: ignore[union-attr]
        mornings = [morning(m, MONDAY) for m in members]
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
        assert group_translator(members, workspace).locale_id == "de"
        members[1].locale = "pt_BR"
        assert group_translator(members, workspace).locale_id == "en"


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
        assert [m.user_id for m in participants(session, workspace, config, MONDAY)] == ["a"]  # type: ignore[arg-type]
    ConsoleShell(core, "a", workspace="file").command("/coffee leave")
    with core.db.session() as session:
        import_file(session, team, workspace_external_id="file")
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == "file"))
        config = session.scalar(select(CoffeeConfig))
        assert participants(session, workspace, config, MONDAY) == []  # type: ignore[arg-type]
