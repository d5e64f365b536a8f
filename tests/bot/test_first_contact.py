"""First contact from several requests at once (or several replicas) creates one workspace and one member."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from bot.core import CommandRequest, Meridian
from bot.members import Identity
from bot.models import Member, Workspace


def test_concurrent_first_requests_create_each_row_once(core: Meridian) -> None:
    barrier = threading.Barrier(6)
    replies = []

    def first_request(user: str) -> None:
        barrier.wait()
        who = Identity(platform="slack", workspace_id="T-NEW", user_id=user, user_name=user, tz="Asia/Tokyo")
        replies.append(core.handle(CommandRequest(who, "/tz")))

    threads = [threading.Thread(target=first_request, args=(f"U{i % 3}",)) for i in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(replies) == 6 and not any(r.error for r in replies), [r.text for r in replies if r.error]
    with core.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Workspace)) == 1
        assert session.scalar(select(func.count()).select_from(Member)) == 3
        assert set(session.scalars(select(Member.tz))) == {"Asia/Tokyo"}
