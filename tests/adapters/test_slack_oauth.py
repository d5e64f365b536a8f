"""HTTP mode with OAuth: installing into many workspaces, tokens encrypted in Meridian's own database."""
from __future__ import annotations

import re
from typing import AsyncIterator

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import select

from bot.core import Meridian
from bot.crypto import Cipher
from bot.installations import Installation, OAuthState
from bot.models import Workspace
from bot.reply import Outbound, Reply
from scheduler.delivery import WorkspaceRef
from tests.support.slack_app import RunningSlack, hook_text, running_slack
from tests.support.slack_standin import SlackStandIn

SECRET_KEY = Fernet.generate_key().decode()


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as slack:
        slack.add_user("U7", "nia", tz="Africa/Nairobi", team_id="T0002")
        slack.oauth_codes["code-for-T0002"] = "T0002"
        yield slack


@pytest.fixture
async def running(core: Meridian, standin: SlackStandIn) -> AsyncIterator[RunningSlack]:
    async with running_slack(core, standin, slack_bot_token="", slack_client_id=standin.client_id,
                             slack_client_secret=standin.client_secret, secret_key=SECRET_KEY) as app:
        yield app


async def install(running: RunningSlack, code: str = "code-for-T0002") -> tuple[int, str]:
    """Open /slack/install like a browser, then follow Slack's redirect back with `code`."""
    async with running.http.get(f"{running.origin}/slack/install") as page:
        assert page.status == 200
        html = (await page.text()).replace("&amp;", "&")
        cookie = page.cookies["slack-app-oauth-state"]       # Secure, HttpOnly: a browser sends it back over https
    state = re.search(r"state=([\w-]+)", html)
    assert state is not None and f"client_id={running.standin.client_id}" in html and "chat:write" in html
    assert cookie.value == state.group(1) and cookie["secure"] and cookie["httponly"]
    async with running.http.get(f"{running.origin}/slack/oauth_redirect", params={"code": code, "state": state.group(1)},
                                headers={"Cookie": f"slack-app-oauth-state={cookie.value}"}) as done:
        return done.status, state.group(1)


def stored(core: Meridian) -> list[Installation]:
    with core.db.session() as session:
        return list(session.scalars(select(Installation)))


async def test_install_stores_an_encrypted_token_that_then_serves_the_workspace(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    status, _ = await install(running)
    assert status == 200
    [access] = standin.calls_to("oauth.v2.access")
    assert access.params["code"] == "code-for-T0002"
    token = next(t for t, team in standin.teams.items() if team.id == "T0002")
    [row] = stored(core)
    assert token not in row.secret and "xoxb" not in row.secret               # nothing usable at rest
    assert token in Cipher(SECRET_KEY).decrypt(row.secret)
    with core.db.session() as session:
        workspace = session.get(Workspace, row.workspace_id)
        assert workspace is not None and (workspace.platform, workspace.external_id) == ("slack", "T0002")

    running.slack.team_id = "T0002"
    _, hook = await running.slack.command("/tz", user="U7")
    await running.settle()
    assert "Africa/Nairobi" in hook_text(running.hook(hook))
    assert {c.token for c in standin.calls_to("users.info")} == {token}       # the installed token, decrypted

    delivered = await running.adapter.sender.send(
        WorkspaceRef(id=row.workspace_id, platform="slack", external_id="T0002", channel=None),
        Outbound(kind="digest", workspace_id=row.workspace_id, to="U7", reply=Reply(text="hi"), dedupe_key="d1"))
    assert delivered.ref and standin.calls_to("chat.postMessage")[-1].token == token


async def test_a_forged_or_reused_state_installs_nothing(running: RunningSlack, standin: SlackStandIn,
                                                         core: Meridian) -> None:
    async with running.http.get(f"{running.origin}/slack/oauth_redirect", params={"code": "code-for-T0002", "state": "made-up"},
                                headers={"Cookie": "slack-app-oauth-state=made-up"}) as forged:
        assert forged.status >= 400
    assert standin.calls_to("oauth.v2.access") == [] and stored(core) == []

    status, state = await install(running)
    assert status == 200 and len(stored(core)) == 1
    standin.oauth_codes["second-code"] = "T0002"
    async with running.http.get(f"{running.origin}/slack/oauth_redirect", params={"code": "second-code", "state": state},
                                headers={"Cookie": f"slack-app-oauth-state={state}"}) as reused:
        assert reused.status >= 400
    assert len(standin.calls_to("oauth.v2.access")) == 1
    with core.db.session() as session:
        assert session.scalars(select(OAuthState)).all() == []                 # consumed, not left to reuse


async def test_uninstalling_forgets_the_token_and_marks_the_workspace(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    await install(running)
    running.slack.team_id = "T0002"
    answer = await running.slack.event({"type": "app_uninstalled", "event_ts": "1.1"})
    await running.settle()
    assert answer.status == 200 and stored(core) == []
    with core.db.session() as session:
        workspace = session.scalar(select(Workspace).where(Workspace.external_id == "T0002"))
        assert workspace is not None and workspace.uninstalled_at is not None   # data kept for the grace period


def test_a_wrong_key_cannot_read_the_stored_tokens() -> None:
    from bot.crypto import SecretError

    secret = Cipher(SECRET_KEY).encrypt('{"bot_token":"xoxb-1"}')
    with pytest.raises(SecretError):
        Cipher(Fernet.generate_key().decode()).decrypt(secret)
    rotated = Cipher(f"{Fernet.generate_key().decode()},{SECRET_KEY}")        # new key first, old still reads
    assert rotated.decrypt(secret) == '{"bot_token":"xoxb-1"}'
    assert Cipher("a passphrase, not a Fernet key").decrypt(Cipher("a passphrase").encrypt("x")) == "x"


def states(core: Meridian) -> list[str]:
    with core.db.session() as session:
        return list(session.scalars(select(OAuthState.state)))


async def test_expired_states_are_pruned_when_issuing_and_by_the_periodic_prune(
        running: RunningSlack, core: Meridian) -> None:
    """Abandoned installs must not pile up until someone completes one."""
    from datetime import timedelta

    now = core.now()
    core.issue_oauth_state("slack", "abandoned-1", now - timedelta(minutes=1))
    async with running.http.get(f"{running.origin}/slack/install") as page:
        assert page.status == 200
    assert "abandoned-1" not in states(core) and len(states(core)) == 1
    core.issue_oauth_state("slack", "abandoned-2", now - timedelta(minutes=1))
    core.first_seen("slack", "sig:anything", now, forget_old=True)           # the hourly prune
    assert "abandoned-2" not in states(core) and len(states(core)) == 1


async def test_install_starts_are_rate_limited_per_client_address(running: RunningSlack, core: Meridian) -> None:
    from adapters.slack.app import INSTALL_STARTS_PER_MINUTE

    answers = []
    for _ in range(INSTALL_STARTS_PER_MINUTE + 5):
        async with running.http.get(f"{running.origin}/slack/install") as page:
            answers.append((page.status, page.headers.get("Retry-After")))
    assert [status for status, _ in answers[:INSTALL_STARTS_PER_MINUTE]] == [200] * INSTALL_STARTS_PER_MINUTE
    assert all(status == 429 and retry for status, retry in answers[INSTALL_STARTS_PER_MINUTE:])
    assert len(states(core)) == INSTALL_STARTS_PER_MINUTE                    # a refused start stores nothing
