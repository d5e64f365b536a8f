"""The demo team with a history, for `meridian serve --demo`: eight weeks of standups, coffee rounds and
weekly meetings up to "now", so every page of the dashboard has something to show.

The history is made by the real code paths where there is one (`run_round` plans the coffee rounds,
`create_meeting` books the meetings) and drawn from a seeded random generator, so the same clock
gives the same demo.
"""
from __future__ import annotations

import random
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import availability
from bot.config import Settings
from bot.demo import seed_demo
from bot.meetings import Meeting, create_meeting
from bot.models import Member, Workspace
from bot.coffee.models import CoffeeGroup
from bot.coffee.rounds import run_round
from bot.coffee.settings import get_config, participants as coffee_participants
from bot.coffee.timing import is_round_date, round_start
from bot.standups.models import Standup, StandupAnswer, participants
from bot.standups.timing import prompt_at
from bot.time import local_date, ritual_instant

DEMO_WORKSPACE = ("console", "default")
HISTORY_DAYS = 56
DONE = ("Reviewed the release notes", "Fixed the login timeout", "Paired with Lena on the importer",
        "Wrote tests for the holiday digest", "Answered customer tickets", "Drafted the Q3 plan",
        "Cleaned up the metrics dashboard", "Interviewed a candidate")
TODAY = ("Ship the importer fix", "Review two pull requests", "Update the runbook", "Plan the next sprint",
         "Prototype the new onboarding", "Write the migration", "Profile the slow report")
BLOCKERS = ("Waiting for access to the staging database", "Need a design decision on the settings page",
            "The CI runner is flaky", "Blocked on the vendor's API keys")


def seed_demo_history(session: Session, now: datetime, seed: int = 7) -> Workspace:
    """Load the demo team and give it a past; idempotent (a second call adds nothing)."""
    seed_demo(session, DEMO_WORKSPACE[1])
    workspace = session.scalar(select(Workspace).where(Workspace.platform == DEMO_WORKSPACE[0],
                                                       Workspace.external_id == DEMO_WORKSPACE[1]))
    assert workspace is not None
    if session.scalar(select(StandupAnswer.id).where(StandupAnswer.workspace_id == workspace.id).limit(1)) is not None:
        return workspace
    rng = random.Random(seed)
    start = now - timedelta(days=HISTORY_DAYS + 2)
    _standups(session, workspace, now, start, rng)
    _coffee(session, workspace, now, rng)
    _meetings(session, workspace, now)
    workspace.needs_replan = True
    session.flush()
    return workspace


def _standups(session: Session, workspace: Workspace, now: datetime, start: datetime, rng: random.Random) -> None:
    general = session.scalar(select(Standup).where(Standup.workspace_id == workspace.id, Standup.channel == "general"))
    assert general is not None
    general.created_at = start
    product = Standup(workspace_id=workspace.id, channel="product", prompt_time=time(10, 0), reminder_minutes=90,
                      participants=["lena", "sam", "hana", "priya", "omar"], created_at=start,
                      questions=["What did you ship?", "What is next?", "Any blockers?"])
    session.add(product)
    session.flush()
    for standup in (general, product):
        for member in participants(session, standup):
            today = local_date(now, member.tz)
            day = today - timedelta(days=HISTORY_DAYS)
            while day < today:
                if availability.day_off(member, day) is None:
                    _answer(session, workspace, standup, member, day, rng)
                day += timedelta(days=1)


def _answer(session: Session, workspace: Workspace, standup: Standup, member: Member, day: date, rng: random.Random) -> None:
    roll = rng.random()
    if roll > 0.9:
        return                                   # forgot
    asked = prompt_at(standup, member.tz, day)
    if roll > 0.85:
        session.add(StandupAnswer(workspace_id=workspace.id, standup_id=standup.id, member_id=member.id, day=day,
                                  skipped=True, submitted_at=asked))
        return
    late = rng.random() < 0.12
    submitted = asked + timedelta(minutes=rng.randint(900, 1500) if late else rng.randint(3, 100))   # late: after the summary
    blocker = rng.choice(BLOCKERS) if rng.random() < 0.15 else "None"
    answers = [rng.choice(DONE), rng.choice(TODAY), blocker]
    edits = 1 if rng.random() < 0.05 else 0
    session.add(StandupAnswer(workspace_id=workspace.id, standup_id=standup.id, member_id=member.id, day=day,
                              questions=standup.questions, answers=answers, submitted_at=submitted,
                              updated_at=submitted + timedelta(minutes=20) if edits else None, edits=edits))


def _coffee(session: Session, workspace: Workspace, now: datetime, rng: random.Random) -> None:
    config = get_config(session, workspace)
    if config is None:
        return
    day = local_date(now, "UTC") - timedelta(days=HISTORY_DAYS)
    while day <= local_date(now, "UTC"):
        if is_round_date(config, day):
            members = coffee_participants(session, workspace, config, day)
            begins = round_start(members, day)
            if begins <= now:
                coffee_round = run_round(session, workspace, day, begins)
                for group in session.scalars(select(CoffeeGroup).where(CoffeeGroup.round_id == coffee_round.id)):
                    if day < local_date(now, "UTC") - timedelta(days=3):
                        group.met = rng.random() < 0.72 if rng.random() < 0.85 else None
                        group.answered_at = begins + timedelta(days=3) if group.met is not None else None
        day += timedelta(days=1)


def _meetings(session: Session, workspace: Workspace, now: datetime) -> None:
    members = {m.user_id: m for m in session.scalars(select(Member).where(Member.workspace_id == workspace.id))}
    first = local_date(now, "America/Los_Angeles") - timedelta(weeks=10)
    while first.weekday() != 1:                  # a Tuesday
        first += timedelta(days=1)
    create_meeting(session, workspace, title="Team sync", start=ritual_instant(first, time(8, 0), "America/Los_Angeles"),
                   tz="America/Los_Angeles", duration=timedelta(minutes=45),
                   members=[members[u] for u in ("sam", "lena", "ravi", "hana", "mia", "sofia") if u in members],
                   organizer=members.get("sam"), repeat="weekly", source="command", remind_late=False)
    second = local_date(now, "Asia/Tokyo") - timedelta(weeks=8)
    while second.weekday() != 3:                 # a Thursday
        second += timedelta(days=1)
    create_meeting(session, workspace, title="Asia-Pacific planning", start=ritual_instant(second, time(9, 0), "Asia/Tokyo"),
                   tz="Asia/Tokyo", duration=timedelta(minutes=30),
                   members=[members[u] for u in ("hana", "jack", "mia", "priya", "amara") if u in members],
                   organizer=members.get("hana"), repeat="weekly", source="command", remind_late=False)
    session.flush()
    assert session.scalar(select(Meeting.id).where(Meeting.workspace_id == workspace.id).limit(1)) is not None


@contextmanager
def demo_settings(args: Any) -> Iterator[Settings]:
    """Settings for `meridian serve --demo`: a throwaway SQLite database (never --db or
    MERIDIAN_DATABASE_URL: the demo's sign-in must not reach real data), 127.0.0.1, no chat platform."""
    with tempfile.TemporaryDirectory(prefix="meridian-web-demo-") as folder:
        url = f"sqlite:///{Path(folder) / 'demo.db'}"
        base = Settings.from_env()
        yield replace(base, database_url=url, http_host="127.0.0.1", http_port=args.port or base.http_port,
                      slack_bot_token="", slack_app_token="", slack_client_id="", slack_client_secret="",
                      slack_signing_secret="", discord_token="", discord_client_id="", discord_client_secret="")
