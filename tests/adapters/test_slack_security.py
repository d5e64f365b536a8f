"""Only Slack may talk to the app: unsigned, forged, stale, tampered and replayed requests get 401 and
change nothing (no Web API call, no answer, no database row)."""
from __future__ import annotations

import hashlib
import hmac
import time
from typing import AsyncIterator

import pytest
from sqlalchemy import func, select

from bot.core import Meridian
from bot.models import Member, Workspace
from tests.support.slack_app import SIGNING_SECRET, RunningSlack, running_slack
from tests.support.slack_requests import Sent, signature
from tests.support.slack_standin import SlackStandIn


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn() as slack:
        slack.add_user("U1", tz="Asia/Tokyo")
        yield slack


@pytest.fixture
async def running(core: Meridian, standin: SlackStandIn) -> AsyncIterator[RunningSlack]:
    async with running_slack(core, standin) as app:
        yield app


def nothing_happened(core: Meridian, standin: SlackStandIn) -> None:
    assert standin.calls == [] and standin.hooks == [] and standin.opened_views == []
    with core.db.session() as session:
        assert session.scalar(select(func.count(Workspace.id))) == 0
        assert session.scalar(select(func.count(Member.id))) == 0


def command(running: RunningSlack) -> str:
    body, _ = running.slack.command_body("/tz", "set Kathmandu")
    return body


FORM = "application/x-www-form-urlencoded"


async def test_an_unsigned_request_is_refused(running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    answer = await running.slack.send(Sent(command(running), FORM))
    await running.settle()
    assert answer.status == 401
    nothing_happened(core, standin)


async def test_a_request_signed_with_another_secret_is_refused(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    answer = await running.slack.send(running.slack.signed(command(running), FORM, secret="not-the-signing-secret"))
    await running.settle()
    assert answer.status == 401
    nothing_happened(core, standin)


async def test_a_body_changed_after_signing_is_refused(running: RunningSlack, standin: SlackStandIn,
                                                     core: Meridian) -> None:
    sent = running.slack.signed(command(running), FORM)
    sent.body = sent.body.replace("Kathmandu", "Tokyo")
    answer = await running.slack.send(sent)
    await running.settle()
    assert answer.status == 401
    nothing_happened(core, standin)


@pytest.mark.parametrize("age", [301, -301, 3600])
async def test_a_stale_or_future_timestamp_is_refused_even_when_signed_correctly(
        age: int, running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    answer = await running.slack.send(running.slack.signed(command(running), FORM, timestamp=int(time.time()) - age))
    await running.settle()
    assert answer.status == 401
    nothing_happened(core, standin)


async def test_a_garbage_signature_header_is_refused(running: RunningSlack, standin: SlackStandIn,
                                                   core: Meridian) -> None:
    body = command(running)
    for header in ("v0=", "v1=" + signature("8f742231b10e8888abcd99yyyzzz85a5", int(time.time()), body)[3:], "x" * 500):
        sent = Sent(body, FORM, {"X-Slack-Request-Timestamp": str(int(time.time())), "X-Slack-Signature": header})
        assert (await running.slack.send(sent)).status == 401
    await running.settle()
    nothing_happened(core, standin)


async def test_a_replayed_request_is_refused_and_does_nothing_twice(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    sent = running.slack.signed(command(running), FORM)
    first = await running.slack.send(sent)
    await running.settle()
    calls, hooks = len(standin.calls), len(standin.hooks)
    replayed = await running.slack.send(sent)
    await running.settle()
    assert first.status == 200 and replayed.status == 401
    assert len(standin.calls) == calls and len(standin.hooks) == hooks == 1


async def test_a_replayed_interaction_cannot_press_a_button_again(
        running: RunningSlack, standin: SlackStandIn, core: Meridian) -> None:
    payload = running.slack.block_actions("privacy.forget|0", "U1", hook="press")
    sent = running.slack.signed(running.slack.interaction_body(payload), FORM)
    assert (await running.slack.send(sent)).status == 200
    await running.settle()
    assert (await running.slack.send(sent)).status == 401
    await running.settle()
    assert len([h for h, _ in standin.hooks if h == "press"]) == 1


async def test_url_verification_is_answered_only_when_signed(running: RunningSlack) -> None:
    body = '{"token":"legacy","challenge":"3eZbrw1aB","type":"url_verification"}'
    assert (await running.slack.send(Sent(body, "application/json"))).status == 401
    answer = await running.slack.send(running.slack.signed(body, "application/json"))
    assert answer.status == 200 and answer.json() == {"challenge": "3eZbrw1aB"}


MALFORMED = [(b'{"a":', "application/json", None), (b"payload=%7Bx", FORM, None),
             (b"command=/tz&text=\xff\xfe\xfa", FORM, None), (b'{"type":"event_callback"}', "application/json", "soon"),
             (b"payload=%7Bx", FORM, "12ab"), (b'{"a":', "application/json", str(10 ** 40))]


@pytest.mark.parametrize("body,content_type,timestamp", MALFORMED)
async def test_malformed_unsigned_requests_get_a_plain_refusal_without_a_traceback(
        body: bytes, content_type: str, timestamp: str | None, running: RunningSlack, standin: SlackStandIn,
        core: Meridian, caplog: pytest.LogCaptureFixture) -> None:
    """Garbage is refused on its missing signature before anything tries to read it: 401, one log line."""
    headers = {"Content-Type": content_type, "X-Slack-Signature": "v0=" + "0" * 64,
               "X-Slack-Request-Timestamp": timestamp or str(int(time.time()))}
    with caplog.at_level("DEBUG"):
        async with running.http.post(running.slack.url, data=body, headers=headers) as answer:
            status = answer.status
        await running.settle()
    assert status == 401
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]
    assert len([r for r in caplog.records if r.name.startswith("adapters.slack")]) == 1
    nothing_happened(core, standin)


@pytest.mark.parametrize("body,content_type", [(b'{"a":', "application/json"), (b"payload=%7Bx", FORM),
                                               (b"command=/tz&text=\xff\xfe\xfa", FORM)])
async def test_a_signed_but_unreadable_body_gets_400_without_a_traceback(
        body: bytes, content_type: str, running: RunningSlack, standin: SlackStandIn, core: Meridian,
        caplog: pytest.LogCaptureFixture) -> None:
    now = int(time.time())
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{now}:".encode() + body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": content_type, "X-Slack-Signature": "v0=" + digest, "X-Slack-Request-Timestamp": str(now)}
    async with running.http.post(running.slack.url, data=body, headers=headers) as answer:
        status = answer.status
    await running.settle()
    assert status == 400
    assert not [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL") or r.exc_info]
    nothing_happened(core, standin)


async def test_single_token_mode_refuses_a_team_that_is_not_the_tokens(
        running: RunningSlack, standin: SlackStandIn, core: Meridian, caplog: pytest.LogCaptureFixture) -> None:
    """One bot token serves one workspace (auth.test says which): a signed request for another team is
    refused with a log line, and no workspace is created for it."""
    running.slack.team_id = "TOTHER"
    command, _ = await running.slack.command("/tz", "set Kathmandu")
    event = await running.slack.event({"type": "app_uninstalled", "event_ts": "1.1"})
    await running.settle()
    assert command.status == 403 and event.status == 200
    assert standin.hooks == [] and not standin.calls_to("users.info")
    with core.db.session() as session:
        assert session.scalar(select(func.count(Workspace.id))) == 0
    assert len([r for r in caplog.records if "TOTHER" in r.getMessage() or getattr(r, "team", "") == "TOTHER"]) == 2

    running.slack.team_id = standin.team.id                       # the token's own team is served as before
    answer, hook = await running.slack.command("/tz", "set Kathmandu")
    await running.settle()
    assert answer.status == 200 and running.hook(hook)
