"""The Slack app end to end over real HTTP: signed requests in, what the Slack stand-in received out."""
from __future__ import annotations

import asyncio
from typing import AsyncIterator

import pytest
from sqlalchemy import select

from bot.core import Meridian
from bot.models import Member
from tests.support.slack_app import RunningSlack, hook_text, running_slack
from tests.support.slack_standin import SlackStandIn


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as slack:
        slack.add_user("U1", "amara", tz="Africa/Lagos", locale="en-GB")
        slack.add_user("U2", "hana", tz="Asia/Tokyo", locale="ja-JP", is_admin=True)
        slack.add_channel("general")
        yield slack


@pytest.fixture
async def running(core: Meridian, standin: SlackStandIn) -> AsyncIterator[RunningSlack]:
    async with running_slack(core, standin) as app:
        yield app


def member(core: Meridian, user_id: str) -> Member | None:
    with core.db.session() as session:
        return session.scalar(select(Member).where(Member.user_id == user_id))


async def test_slash_command_is_acknowledged_before_the_work_and_answered_on_the_response_url(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    users_info = standin.hold("users.info")          # the work after the ack is stuck until we release it
    answer, hook = await running.slack.command("/tz", "set Kathmandu")
    assert answer.status == 200 and answer.text == ""
    assert standin.hooks == [] and member(core, "U1") is None   # acknowledged, nothing done yet
    users_info.set()
    await running.settle()
    body = running.hook(hook)
    assert body["response_type"] == "ephemeral"
    assert "Asia/Kathmandu" in hook_text(body)
    saved = member(core, "U1")
    assert saved is not None and (saved.tz, saved.tz_source) == ("Asia/Kathmandu", "user")


async def test_first_contact_takes_zone_and_locale_from_users_info_and_a_member_setting_wins_later(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    await running.slack.command("/tz", user="U2")
    await running.settle()
    [info] = standin.calls_to("users.info")
    assert info.params["user"] == "U2" and info.params["include_locale"] in (True, "true", "1")
    hana = member(core, "U2")
    assert hana is not None and (hana.tz, hana.tz_source, hana.locale, hana.locale_source) == \
        ("Asia/Tokyo", "platform", "ja_JP", "platform")

    await running.slack.command("/tz", "set Europe/Berlin", user="U2")
    await running.settle()
    changed = {"id": "U2", "team_id": "T0001", "name": "hana", "tz": "America/New_York", "locale": "fr-FR"}
    await running.slack.event({"type": "user_change", "user": changed, "event_ts": "1.2"})
    await running.settle()
    hana = member(core, "U2")
    assert hana is not None
    assert (hana.tz, hana.tz_source) == ("Europe/Berlin", "user")          # their own /tz wins
    assert (hana.locale, hana.locale_source) == ("fr_FR", "platform")      # Slack's change is followed


async def test_profile_change_of_someone_who_never_used_meridian_creates_nobody(
        running: RunningSlack, core: Meridian) -> None:
    stranger = {"id": "U9", "team_id": "T0001", "name": "x", "tz": "Asia/Tokyo", "locale": "en-US"}
    assert (await running.slack.event({"type": "user_change", "user": stranger, "event_ts": "1.3"})).status == 200
    await running.settle()
    assert member(core, "U9") is None


async def test_mentions_reach_the_core_as_member_ids(running: RunningSlack, core: Meridian) -> None:
    await running.slack.command("/tz", user="U2")
    await running.settle()                                             # hana exists now
    _, hook = await running.slack.command("/time", "<@U2|hana>")
    await running.settle()
    shown = hook_text(running.hook(hook))
    assert "Asia/Tokyo" in shown and "Africa/Lagos" not in shown      # only the mentioned member


async def test_the_catch_all_command_runs_any_command_line(running: RunningSlack, core: Meridian) -> None:
    _, hook = await running.slack.command("/meridian", "tz set Lagos")
    await running.settle()
    assert "Africa/Lagos" in hook_text(running.hook(hook))


async def test_a_form_opens_as_a_modal_and_its_submission_reaches_the_core(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    _, hook = await running.slack.command("/profile", "about edit")
    await running.settle()
    [opened] = standin.opened_views
    view = opened["view"]
    assert opened["trigger_id"].startswith("trigger-")
    assert view["callback_id"] == "culture.about" and view["submit"]["text"] == "Save"
    assert {b["block_id"] for b in view["blocks"] if b["type"] == "input"} >= {"name", "pronouns", "notes"}

    too_long = running.slack.view_submission(view, {"name": "x" * 500})
    refused = await running.slack.interaction(too_long)
    await running.settle()
    assert refused.status == 200 and refused.json()["response_action"] == "errors"
    first_field = next(b["block_id"] for b in view["blocks"] if b["type"] == "input")
    assert "at most" in refused.json()["errors"][first_field]
    assert member(core, "U1").preferred_name is None  # type: ignore[union-attr]

    accepted = await running.slack.interaction(running.slack.view_submission(view, {"name": "Ama", "pronouns": "she/her"}))
    await running.settle()
    assert accepted.status == 200 and accepted.text == ""            # the modal closes
    saved = member(core, "U1")
    assert saved is not None and (saved.preferred_name, saved.pronouns) == ("Ama", "she/her")
    answers = [body for name, body in standin.hooks if name == hook]
    assert "Saved." in hook_text(answers[-1])                         # told where they asked


async def test_a_button_press_reaches_the_core_with_its_action_and_value(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    _, hook = await running.slack.command("/forget-me")
    await running.settle()
    [actions] = [b for b in running.hook(hook)["blocks"] if b["type"] == "actions"]
    [button] = actions["elements"]
    assert button["style"] == "danger" and button["value"] == "U1"
    assert member(core, "U1") is not None

    pressed = await running.slack.interaction(
        running.slack.block_actions(button["action_id"], button["value"], hook="pressed"))
    await running.settle()
    assert pressed.status == 200
    assert "deleted" in hook_text(running.hook("pressed"))
    assert member(core, "U1") is None


async def test_app_home_shows_profile_next_rituals_and_team_clock(
        running: RunningSlack, standin: SlackStandIn) -> None:
    await running.slack.command("/tz", user="U2")
    await running.settle()
    answer = await running.slack.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home",
                                        "event_ts": "1.4"})
    await running.settle()
    assert answer.status == 200
    [published] = standin.published_views
    assert published["user_id"] == "U1" and published["view"]["type"] == "home"
    shown = "\n".join(str(b) for b in published["view"]["blocks"])
    assert "Your profile" in shown and "Coming up for you" in shown and "Team clock" in shown
    assert "Asia/Tokyo" in shown and "Africa/Lagos" in shown


async def test_a_retried_event_is_acknowledged_but_never_handled_twice(
        running: RunningSlack, standin: SlackStandIn) -> None:
    event = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home", "event_ts": "1.5"}
    first = await running.slack.event(event, event_id="Ev0RETRY")
    again = await running.slack.event(event, event_id="Ev0RETRY", retry=1)
    await running.settle()
    assert first.status == 200 and again.status == 200
    assert len(standin.published_views) == 1


async def test_a_direct_message_is_a_command_and_is_answered_in_the_dm(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    await running.slack.event({"type": "message", "channel_type": "im", "channel": "DU1", "user": "U1",
                               "text": "tz set Tokyo", "ts": "1.6"})
    await running.slack.event({"type": "message", "channel_type": "im", "channel": "DU1", "bot_id": "B0001",
                               "user": "UBOT", "text": "tz set Lagos", "ts": "1.7"})   # the bot's own words
    await running.settle()
    [message] = standin.messages_in("DU1")
    assert "Asia/Tokyo" in str(message.blocks)
    assert member(core, "U1").tz == "Asia/Tokyo"  # type: ignore[union-attr]


async def test_many_commands_at_once_are_each_answered_once(running: RunningSlack, standin: SlackStandIn) -> None:
    sent = await asyncio.gather(*(running.slack.command("/tz", user=user) for user in ("U1", "U2") * 3))
    await running.settle()
    assert all(answer.status == 200 for answer, _ in sent)
    assert sorted(name for name, _ in standin.hooks) == sorted(hook for _, hook in sent)


async def test_socket_mode_takes_commands_over_the_websocket_without_any_public_url(
        core: Meridian, standin: SlackStandIn) -> None:
    from adapters.slack.app import SlackAdapter
    from bot.config import Settings

    settings = Settings.from_env({}, database_url=core.settings.database_url, slack_api_url=standin.base_url,
                                 slack_app_token=standin.app_token, slack_bot_token=standin.team.bot_token)
    adapter = SlackAdapter(core, settings)
    assert adapter.mode == "socket" and adapter.routes() == []
    await adapter.start()
    try:
        ack = await standin.socket_request("slash_commands", {
            "team_id": "T0001", "team_domain": "acme", "channel_id": "C0GENERAL", "user_id": "U2",
            "user_name": "hana", "command": "/tz", "text": "", "api_app_id": "A0001",
            "response_url": standin.hook_url("socket"), "trigger_id": "trigger-socket"})
        await adapter.drain()
    finally:
        await adapter.stop()
    assert "envelope_id" in ack
    [(name, body)] = standin.hooks
    assert name == "socket" and "Asia/Tokyo" in hook_text(body)
    [connect] = standin.calls_to("apps.connections.open")
    assert connect.token == standin.app_token


async def test_the_coffee_follow_up_goes_to_the_group_dm_and_its_button_records_the_answer(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    from datetime import date

    from bot.i18n import Translator
    from bot.models import Workspace
    from bot.coffee.messages import build_followup
    from bot.coffee.models import CoffeeGroup, CoffeeRound, CoffeeSeat
    from scheduler.delivery import WorkspaceRef

    for user in ("U1", "U2"):
        await running.slack.command("/tz", user=user)
    await running.settle()
    with core.db.session() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == "T0001"))
        assert workspace is not None
        members = list(session.scalars(select(Member).order_by(Member.user_id)))
        coffee_round = CoffeeRound(workspace_id=workspace.id, round_date=date(2026, 3, 23), number=1, seed=1,
                                   min_overlap_minutes=60)
        session.add(coffee_round)
        session.flush()
        group = CoffeeGroup(workspace_id=workspace.id, round_id=coffee_round.id, size=2, shared_minutes=120,
                            cross_region=True)
        session.add(group)
        session.flush()
        session.add_all(CoffeeSeat(workspace_id=workspace.id, round_id=coffee_round.id, member_id=m.id,
                                   group_id=group.id, outcome="paired") for m in members)
        session.flush()
        [followup] = build_followup(session, workspace, {"group": group.id}, core.now())  # type: ignore[misc]
        target = WorkspaceRef(workspace.id, "slack", "T0001", None)
        group_id = group.id

    await running.adapter.sender.send(target, followup)
    [message] = standin.messages_in("GU1U2")                          # one group DM for the pair
    [actions] = [b for b in message.blocks if b["type"] == "actions"]
    met = next(e for e in actions["elements"] if e["action_id"].startswith("coffee.met"))
    await running.slack.interaction(running.slack.block_actions(met["action_id"], met["value"], user="U2",
                                                                channel="GU1U2", hook="met"))
    await running.settle()
    answer = running.hook("met")
    thanks = Translator("ja_JP")._("Wonderful, noted that you met. Thank you!")   # hana's Slack locale
    assert answer["response_type"] == "in_channel" and hook_text(answer) == thanks
    with core.db.session() as session:
        saved = session.get(CoffeeGroup, group_id)
        assert saved is not None and saved.met is True
        assert saved.answered_by == session.scalar(select(Member.id).where(Member.user_id == "U2"))


async def test_a_private_chart_is_uploaded_to_the_members_dm_not_the_channel_and_then_removed(
        running: RunningSlack, standin: SlackStandIn) -> None:
    """/time chart answers privately, so its picture must not go to the whole channel; the PNG lives in a
    directory only this process can read and is gone after the upload."""
    import stat

    from bot.teamclock.chart import chart_dir

    _, hook = await running.slack.command("/time", "chart")
    await running.settle()
    assert running.hook(hook)["response_type"] == "ephemeral"
    uploads = [u for u in standin.uploads.values() if u.get("channel")]
    assert uploads and all(u["channel"] == standin.dm_channel("U1") for u in uploads)
    assert all(u["channel"] != "C0GENERAL" for u in standin.uploads.values())
    folder = chart_dir()
    assert not str(folder).endswith("meridian-charts") and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert list(folder.glob("*.png")) == []
