"""What adapters learn from the core instead of the database: the reader of each reply, and the
core's methods for what a platform tells us outside a request (profiles, installs, removals, retries)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.config import Settings
from bot.core import ActionRequest, CommandRequest, Meridian
from bot.members import Identity
from bot.models import Member, Workspace
from bot.store import Database
from bot.time import SimulatedClock
from tests.conftest import DEFAULT_NOW


@pytest.fixture
def core(sqlite_db: Database) -> Meridian:
    return Meridian(sqlite_db, clock=SimulatedClock(DEFAULT_NOW), settings=Settings.from_env({}))


def who(user: str = "1001", locale: str | None = "de", tz: str | None = None) -> Identity:
    return Identity(platform="discord", workspace_id="G1", user_id=user, user_name=user, locale=locale, tz=tz)


def workspace(core: Meridian) -> Workspace:
    with core.db.session() as session:
        found = session.scalar(select(Workspace).where(Workspace.external_id == "G1"))
        assert found is not None
        session.expunge(found)
        return found


def test_a_reply_says_its_readers_language_and_whether_we_know_their_zone(core: Meridian) -> None:
    first = core.handle(CommandRequest(who(), "/time"))
    assert (first.locale, first.zone_known) == ("de", False)
    assert core.handle(CommandRequest(who(), "/tz set Kathmandu")).zone_known is True
    slack = Identity(platform="slack", workspace_id="T1", user_id="U1", locale="ja-JP", tz="Asia/Tokyo")
    hinted = core.handle(CommandRequest(slack, "/time"))
    assert (hinted.locale, hinted.zone_known) == ("ja_JP", True)   # the platform told us the zone


def test_a_change_of_language_is_read_in_the_new_language(core: Meridian) -> None:
    reply = core.handle(CommandRequest(who(), "/profile locale fr"))
    assert reply.locale == "fr" and not reply.error


def test_a_refusal_is_addressed_like_any_reply(core: Meridian) -> None:
    core.handle(CommandRequest(who(locale="ja"), "/time"))
    refused = core.handle(CommandRequest(who(locale="ja"), "/no-such-command"))
    assert refused.error and (refused.locale, refused.zone_known) == ("ja", False)
    pressed = core.handle_action(ActionRequest(who(locale="ja"), "no.such.action"))
    assert pressed.error and pressed.locale == "ja"


def test_after_forget_me_nothing_is_known_about_the_reader(core: Meridian) -> None:
    core.handle(CommandRequest(who(), "/tz set Tokyo"))
    button = core.handle(CommandRequest(who(), "/forget-me")).buttons[0]
    done = core.handle_action(ActionRequest(who(), button.action, button.value))
    assert not done.error and (done.locale, done.zone_known) == ("de", False)


def test_profile_hints_create_nobody_with_known_only_and_never_override_a_members_setting(core: Meridian) -> None:
    assert core.observe_profile(who(tz="Asia/Tokyo"), known_only=True) is False
    with core.db.session() as session:
        assert session.scalar(select(Member)) is None and session.scalar(select(Workspace)) is None
    core.handle(CommandRequest(who(), "/tz set Kathmandu"))
    assert core.observe_profile(who(tz="Asia/Tokyo", locale="ja"), known_only=True) is True
    with core.db.session() as session:
        member = session.scalar(select(Member))
        assert member is not None and (member.tz, member.locale) == ("Asia/Kathmandu", "ja")


def test_a_removed_workspace_waits_out_the_grace_period_and_comes_back(core: Meridian) -> None:
    core.workspace_removed("discord", "G1")                      # unknown: nothing is created
    with core.db.session() as session:
        assert session.scalar(select(Workspace)) is None
    core.handle(CommandRequest(who(), "/time"))
    core.workspace_removed("discord", "G1")
    assert workspace(core).uninstalled_at == DEFAULT_NOW
    core.workspace_removed("discord", "G1", DEFAULT_NOW + timedelta(days=3))   # the first removal counts
    assert workspace(core).uninstalled_at == DEFAULT_NOW
    with core.db.session() as session:
        session.scalar(select(Workspace)).needs_replan = False  # type: ignore[union-attr]
    core.workspace_returned("discord", "G1")
    back = workspace(core)
    assert back.uninstalled_at is None and back.needs_replan


def test_installations_and_oauth_states_through_the_core(core: Meridian) -> None:
    core.save_installation("slack", "T9", "Acme", secret="ciphertext", installed_at=DEFAULT_NOW, bot_user_id="B1")
    assert core.installation_secret("slack", "T9") == "ciphertext"
    with core.db.session() as session:
        assert session.scalar(select(Workspace.name).where(Workspace.external_id == "T9")) == "Acme"
    assert core.delete_installation("slack", "T9") is True
    assert core.installation_secret("slack", "T9") is None and core.delete_installation("slack", "T9") is False
    core.issue_oauth_state("slack", "state-1", DEFAULT_NOW + timedelta(minutes=10))
    assert core.consume_oauth_state("slack", "state-1", DEFAULT_NOW) is True
    assert core.consume_oauth_state("slack", "state-1", DEFAULT_NOW) is False


def test_a_request_key_is_first_seen_once_and_old_keys_are_forgotten(core: Meridian) -> None:
    assert core.first_seen("slack", "event:Ev1", DEFAULT_NOW) is True
    assert core.first_seen("slack", "event:Ev1", DEFAULT_NOW) is False
    later = DEFAULT_NOW + timedelta(days=2)
    assert core.first_seen("slack", "event:Ev2", later, forget_old=True) is True
    assert core.first_seen("slack", "event:Ev1", later) is True        # forgotten: a day is longer than any retry
