"""Small, distinct workspaces for the dashboard's tests: every name and answer carries the workspace's word,
so a page that shows another workspace's data is caught by a plain text search."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from bot.meetings import create_meeting
from bot.models import Away, Member, Workspace
from bot.coffee.rounds import run_round
from bot.coffee.settings import ensure_config
from bot.standups.models import Standup, StandupAnswer
from bot.standups.timing import prompt_at
from bot.time import local_date, ritual_instant
from web.auth import create_api_token, create_session


@dataclass
class Made:
    workspace: Workspace
    members: list[Member]
    word: str


def make_workspace(session: Session, word: str, now: datetime, *, platform: str = "console") -> Made:
    """A workspace named after `word` with three members, a standup with ten days of answers, a coffee
    round, a weekly meeting and some time off."""
    workspace = Workspace(platform=platform, external_id=f"{word}-ws", name=f"{word} Workspace", locale="en",
                          channel="general")
    session.add(workspace)
    session.flush()
    places = [("Africa/Lagos", "NG"), ("Europe/Berlin", "DE"), ("Asia/Tokyo", "JP")]
    members = []
    for index, (tz, country) in enumerate(places, 1):
        member = Member(workspace_id=workspace.id, user_id=f"{word.lower()}{index}", name=f"{word} Person{index}",
                        tz=tz, country=country, is_admin=index == 1)
        session.add(member)
        members.append(member)
    session.flush()
    standup = Standup(workspace_id=workspace.id, channel=f"{word.lower()}-standup", prompt_time=time(9, 30),
                      created_at=now - timedelta(days=30))
    session.add(standup)
    session.flush()
    for member in members:
        today = local_date(now, member.tz)
        for back in range(1, 11):
            day = today - timedelta(days=back)
            session.add(StandupAnswer(workspace_id=workspace.id, standup_id=standup.id, member_id=member.id, day=day,
                                      answers=[f"{word} did {back}", f"{word} will {back}", f"{word} BLOCKER {back}"],
                                      submitted_at=prompt_at(standup, member.tz, day) + timedelta(minutes=10)))
    session.add(Away(workspace_id=workspace.id, member_id=members[1].id, start_date=local_date(now, "UTC") + timedelta(days=5),
                     end_date=local_date(now, "UTC") + timedelta(days=7), note=f"{word} trip"))
    config = ensure_config(session, workspace, local_date(now, "UTC") - timedelta(days=30))
    config.day = (local_date(now, "UTC") - timedelta(days=7)).weekday()
    run_round(session, workspace, local_date(now, "UTC") - timedelta(days=7), now - timedelta(days=8))
    first = local_date(now, "UTC") - timedelta(days=21)
    create_meeting(session, workspace, title=f"{word} weekly", start=ritual_instant(first, time(15, 0), "Europe/Berlin"),
                   tz="Europe/Berlin", duration=timedelta(minutes=30), members=members, organizer=members[0],
                   repeat="weekly", remind_late=False)
    session.flush()
    return Made(workspace, members, word)


def sign_in(session: Session, made: Made, now: datetime, *, index: int = 0, admin: bool | None = None,
            hours: int = 12) -> str:
    member = made.members[index]
    return create_session(session, made.workspace, member, is_admin=member.is_admin if admin is None else admin,
                          via="demo", now=now, hours=hours)


def api_token(session: Session, made: Made, now: datetime) -> str:
    token, _ = create_api_token(session, made.workspace, made.members[0], "test", now)
    return token


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]
