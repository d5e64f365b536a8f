"""Slack Connect and shared channels: a payload can name the *source* team (where the person is) while the
app is installed in another. The workspace Meridian reads and writes is always the one Bolt authorised (its
token), taken as Bolt takes it: `view.app_installed_team_id`, then the payload's team, then
`authorizations[0].team_id` over an event envelope's `team_id`. Payload shapes follow Slack's documentation
of view_submission in Slack Connect channels and of `authorizations` in Events API envelopes."""
from __future__ import annotations

import json
import time
from typing import AsyncIterator

import pytest
from sqlalchemy import select

from bot.core import Meridian
from bot.models import Member, Workspace
from tests.adapters.test_slack_oauth import install, running, standin, stored  # noqa: F401  (fixtures)
from tests.support.slack_app import RunningSlack
from tests.support.slack_standin import SlackStandIn

SOURCE = "TSOURCE"          # the other organisation's workspace, where the app is not installed
INSTALLED = "T0002"


def workspaces(core: Meridian) -> dict[str, Workspace]:
    with core.db.session() as session:
        return {w.external_id: w for w in session.scalars(select(Workspace))}


@pytest.fixture
async def installed(running: RunningSlack) -> AsyncIterator[RunningSlack]:  # noqa: F811
    status, _ = await install(running)
    assert status == 200
    running.slack.team_id = INSTALLED
    yield running


async def test_a_modal_submitted_from_a_slack_connect_channel_writes_to_the_installed_workspace(
        installed: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:  # noqa: F811
    await installed.slack.command("/profile", "about edit", user="U7")
    await installed.settle()
    [opened] = standin.opened_views
    submission = installed.slack.view_submission(opened["view"], {"name": "Nia", "pronouns": "she/her"}, user="U7")
    submission["team"] = {"id": SOURCE, "domain": "partner"}
    submission["user"]["team_id"] = SOURCE
    submission["view"].update(team_id=SOURCE, app_installed_team_id=INSTALLED)
    answer = await installed.slack.interaction(submission)
    await installed.settle()
    assert answer.status == 200
    assert SOURCE not in workspaces(core)
    with core.db.session() as session:
        nia = session.scalar(select(Member).join(Workspace, Member.workspace_id == Workspace.id)
                             .where(Workspace.external_id == INSTALLED, Member.user_id == "U7"))
        assert nia is not None and nia.preferred_name == "Nia"


@pytest.mark.parametrize("event", [{"type": "app_uninstalled"},
                                   {"type": "tokens_revoked", "tokens": {"bot": ["UBOT"]}}])
async def test_a_shared_channel_uninstall_acts_on_the_installed_workspace_named_in_authorizations(
        event: dict, installed: RunningSlack, core: Meridian) -> None:  # noqa: F811
    envelope = {"token": "legacy", "team_id": SOURCE, "api_app_id": "A0001", "type": "event_callback",
                "event": {**event, "event_ts": "1.1"}, "event_id": f"Ev{time.time_ns()}", "event_time": int(time.time()),
                "is_ext_shared_channel": True, "context_team_id": SOURCE,
                "authorizations": [{"enterprise_id": None, "team_id": INSTALLED, "user_id": "UBOT", "is_bot": True,
                                    "is_enterprise_install": False}]}
    answer = await installed.slack.send(installed.slack.signed(json.dumps(envelope), "application/json"))
    await installed.settle()
    assert answer.status == 200
    assert stored(core) == []                                              # the installed team's token is gone
    found = workspaces(core)
    assert found[INSTALLED].uninstalled_at is not None and SOURCE not in found
