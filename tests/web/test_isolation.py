"""Two workspaces side by side: no page, export or API call of one shows the other's data, whatever ids
the query or a form names. Every name and answer carries its workspace's word, so a plain text search
finds a leak. On SQLite and PostgreSQL."""
from __future__ import annotations

from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.meetings import Meeting
from bot.coffee.models import CoffeeRound
from bot.reports.models import ApiToken
from bot.store import Database
from bot.time import SimulatedClock
from tests.web.data import api_token, make_workspace, sign_in
from web.auth import SESSION_COOKIE

PAGES = ["/team", "/standups", "/coffee", "/meetings", "/holidays", "/settings", "/standups.csv"]


async def test_pages_exports_and_api_show_only_the_signed_in_workspace(db: Database, clock: SimulatedClock,
                                                                        web_client: TestClient) -> None:
    now = clock.now()
    with db.session() as session:
        alpha = make_workspace(session, "Alpha", now)
        bravo = make_workspace(session, "Bravo", now)
        cookie = sign_in(session, alpha, now)
        alpha_api, bravo_api = api_token(session, alpha, now), api_token(session, bravo, now)
        bravo_round = session.scalar(select(CoffeeRound.id).where(CoffeeRound.workspace_id == bravo.workspace.id))
        bravo_meeting = session.scalar(select(Meeting.id).where(Meeting.workspace_id == bravo.workspace.id))
        bravo_token_id = session.scalar(select(ApiToken.id).where(ApiToken.workspace_id == bravo.workspace.id))
    web_client.session.cookie_jar.update_cookies({SESSION_COOKIE: cookie})

    probes = PAGES + ["/standups?person=bravo1&channel=bravo-standup&from=2026-01-01", f"/coffee?round={bravo_round}",
                      "/team?channel=bravo-standup", "/holidays?person=bravo2", "/standups.csv?person=bravo1",
                      "/standups.csv?channel=bravo-standup&q=Bravo"]
    seen_alpha = False
    for path in probes:
        response = await web_client.get(path, allow_redirects=False)
        assert response.status == 200, path
        body = await response.text()
        assert "Bravo" not in body, f"{path} shows the other workspace"
        seen_alpha = seen_alpha or "Alpha Person2" in body
    assert seen_alpha
    assert "Alpha did 1" in await (await web_client.get("/standups.csv")).text()

    # Forms naming the other workspace's rows find nothing, and change nothing.
    csrf = await _csrf(web_client)
    for path, data in (("/settings/meeting", {"meeting": str(bravo_meeting), "cancel": "1"}),
                       ("/settings/meeting", {"meeting": str(bravo_meeting), "remind": "5m"}),
                       ("/settings/tokens/revoke", {"token": str(bravo_token_id)})):
        response = await web_client.post(path, data={"csrf": csrf, **data}, allow_redirects=False)
        assert response.status == 404, path
    with db.session() as session:
        assert session.get(Meeting, bravo_meeting) is not None
        assert session.get(Meeting, bravo_meeting).remind_before_minutes is None
        assert session.get(ApiToken, bravo_token_id).revoked_at is None

    # The API: each token reads its own workspace only.
    for token, other in ((alpha_api, "Bravo"), (bravo_api, "Alpha")):
        for path in ("/team", "/standups", "/standups?from=2026-01-01", "/standups/participation", "/standups/blockers",
                     "/coffee/rounds", "/coffee/pairs", "/coffee/unpaired", "/meetings?days=90", "/meetings/fairness",
                     "/holidays", "/standups?member=alpha1", "/standups?member=bravo1"):
            response = await web_client.get("/api/v1" + path, headers={"Authorization": f"Bearer {token}"})
            assert response.status == 200, path
            assert other not in await response.text(), f"{path} with the other workspace's token"
    response = await web_client.get("/api/v1/standups?member=bravo1", headers={"Authorization": f"Bearer {alpha_api}"})
    assert (await response.json())["entries"] == []


async def _csrf(client: TestClient) -> str:
    import re

    body = await (await client.get("/settings")).text()
    found = re.search(r'name="csrf" value="([^"]+)"', body)
    assert found
    return found.group(1)
