"""`/api/v1`: the dashboard's reports as read-only JSON, for scripts and spreadsheets.

Authenticated by `Authorization: Bearer mrd_…`, a token an admin creates (and revokes) on the
settings page; a token reads its own workspace only. Each token may make MERIDIAN_API_RATE_PER_MINUTE
requests a minute (in this process; 429 with Retry-After beyond). `GET /api/v1/openapi.json`
describes every endpoint and needs no token. Times are ISO 8601 UTC (`…Z`) unless a `zone` is given.
"""
from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Callable

from aiohttp import web
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.models import Member, Workspace
from bot.reports import coffee as coffee_report, meetings as meetings_report, standups as standups_report, team as team_report, time_off as time_off_report
from bot.time import TimeError, iso_z, local_date, resolve_zone, to_local
from web.auth import find_api_token
from web.i18n import WebTranslator

if TYPE_CHECKING:
    from web.app import Dashboard

PREFIX = "/api/v1"


class RateLimiter:
    """A sliding one-minute window per key, in memory."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = max(1, per_minute)
        self._hits: dict[Any, deque[float]] = {}

    def check(self, key: Any, now: float | None = None) -> float:
        """0 when the request may go ahead (and counts it); else the seconds to wait."""
        now = time.monotonic() if now is None else now
        hits = self._hits.setdefault(key, deque())
        while hits and now - hits[0] >= 60:
            hits.popleft()
        if len(hits) >= self.per_minute:
            return max(0.001, 60 - (now - hits[0]))
        hits.append(now)
        return 0.0


def _error(status: int, message: str, **headers: str) -> web.Response:
    from web.app import secure
    return secure(web.json_response({"error": message}, status=status, headers=headers or None))  # type: ignore[return-value]


def _day(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise web.HTTPBadRequest(text=f"not a date (YYYY-MM-DD): {value[:20]}")


class Api:
    def __init__(self, dashboard: "Dashboard") -> None:
        self.dashboard = dashboard
        self.db = dashboard.db
        self.limiter = RateLimiter(dashboard.settings.api_rate_per_minute)

    def routes(self) -> list[web.RouteDef]:
        endpoints: dict[str, Callable[..., Any]] = {
            "/team": self.team, "/standups": self.standups, "/standups/participation": self.participation,
            "/standups/blockers": self.blockers, "/coffee/rounds": self.coffee_rounds, "/coffee/pairs": self.coffee_pairs,
            "/coffee/unpaired": self.coffee_unpaired, "/meetings": self.meetings, "/meetings/fairness": self.fairness,
            "/holidays": self.holidays,
        }
        found = [web.get(PREFIX + "/openapi.json", self.openapi)]
        found += [web.get(PREFIX + path, self._endpoint(handler)) for path, handler in endpoints.items()]
        return found

    def _endpoint(self, handler: Callable[..., Any]) -> Callable[[web.Request], Any]:
        async def handle(request: web.Request) -> web.StreamResponse:
            auth = request.headers.get("Authorization", "")
            token = auth[len("Bearer "):].strip() if auth.startswith("Bearer ") else None

            def work() -> web.StreamResponse:
                from web.app import secure
                with self.db.session() as session:
                    row = find_api_token(session, token)
                    if row is None:
                        return _error(401, "a valid API token is required (Authorization: Bearer mrd_…)",
                                      **{"WWW-Authenticate": 'Bearer realm="meridian"'})
                    wait = self.limiter.check(row.id)
                    if wait:
                        return _error(429, "rate limit exceeded", **{"Retry-After": str(math.ceil(wait))})
                    now = self.dashboard.clock.now()
                    row.last_used_at = now
                    workspace = session.get(Workspace, row.workspace_id)
                    assert workspace is not None
                    try:
                        body = handler(session, workspace, request.query, now)
                    except web.HTTPBadRequest as bad:
                        return _error(400, bad.text or "bad request")
                    except TimeError as error:
                        return _error(400, f"bad parameter: {error.code}")
                    return secure(web.json_response(body, dumps=_dumps))
            return await asyncio.to_thread(work)
        return handle

    # --- helpers -------------------------------------------------------------------------------------
    @staticmethod
    def _zone(query: Any) -> str:
        return resolve_zone(query["zone"]).name if query.get("zone") else "UTC"

    @staticmethod
    def _member(m: Member) -> dict[str, Any]:
        return {"user_id": m.user_id, "name": m.display_name, "tz": m.tz, "country": m.country,
                "region": team_report.region_name(m)}

    def _filter(self, session: Session, workspace: Workspace, query: Any, today: date) -> standups_report.StandupFilter:
        end = _day(query.get("to"), today)
        start = _day(query.get("from"), end - timedelta(days=29))
        member_id = standup_id = None
        if query.get("member"):
            member = session.scalar(select(Member).where(Member.workspace_id == workspace.id, Member.user_id == query["member"]))
            member_id = member.id if member else -1
        if query.get("channel"):
            standup = next((s for s in standups_report.standups_of(session, workspace.id) if s.channel == query["channel"].lstrip("#")), None)
            standup_id = standup.id if standup else -1
        return standups_report.StandupFilter(start, end, member_id, standup_id, (query.get("q") or "")[:100])

    # --- endpoints -----------------------------------------------------------------------------------
    def team(self, session: Session, workspace: Workspace, query: Any, now: Any) -> dict[str, Any]:
        members = team_report.members_of(session, workspace.id)
        zone = self._zone(query)
        day = _day(query.get("day"), local_date(now, zone))
        heat = team_report.heatmap(members, day, zone)
        return {"members": [{**self._member(s.member), "local_time": s.local.replace(microsecond=0).isoformat(),
                             "state": s.state.value} for s in team_report.team_now(members, now)],
                "heatmap": {"day": day.isoformat(), "zone": zone,
                            "hours": [to_local(h, zone).replace(minute=0, second=0, microsecond=0).isoformat() for h in heat.hours],
                            "rows": [{"zone": r.zone, "people": len(r.members), "working": r.working} for r in heat.rows],
                            "total": heat.total}}

    def standups(self, session: Session, workspace: Workspace, query: Any, now: Any) -> dict[str, Any]:
        f = self._filter(session, workspace, query, local_date(now, "UTC"))
        entries, cut = standups_report.standup_entries(session, workspace.id, f, WebTranslator(workspace.locale))
        return {"from": f.start.isoformat(), "to": f.end.isoformat(), "truncated": cut, "entries": [{
            "day": e.day.isoformat(), "channel": e.standup.channel, "member": self._member(e.member),
            "status": "skipped" if e.skipped else "answered",
            "submitted_at": iso_z(e.row.submitted_at) if e.row.submitted_at else None, "edits": e.row.edits,
            "questions": e.questions, "answers": e.answers} for e in entries]}

    def participation(self, session: Session, workspace: Workspace, query: Any, now: Any) -> dict[str, Any]:
        f = self._filter(session, workspace, query, local_date(now, "UTC"))
        weeks = standups_report.participation_by_week(session, workspace.id, f.start, f.end, standup_id=f.standup_id, member_id=f.member_id)
        return {"weeks": [{"week": w.week.isoformat(), "expected": w.expected, "answered": w.answered, "on_time": w.on_time,
                           "participation": w.participation, "on_time_rate": w.on_time_rate} for w in weeks]}

    def blockers(self, session: Session, workspace: Workspace, query: Any, now: Any) -> dict[str, Any]:
        found = standups_report.open_blockers(session, workspace.id, local_date(now, "UTC"))
        return {"blockers": [{"day": b.day.isoformat(), "channel": b.standup.channel, "member": self._member(b.member),
                              "text": b.text} for b in found]}

    def coffee_rounds(self, session: Session, workspace: Workspace, query: Any, now: Any) -> dict[str, Any]:
        out = []
        for figures in coffee_report.coffee_rounds(session, workspace.id):
            groups, outside = coffee_report.round_detail(session, workspace.id, figures.round)
            out.append({"round": figures.round.number, "date": figures.round.round_date.isoformat(),
                        "groups": figures.groups, "answered": figures.answered, "met": figures.met,
                        "cross_region": figures.cross_region, "paired": figures.paired, "left_out": figures.left_out,
                        "unavailable": figures.unavailable,
                        "group_members": [{"members": [m.user_id for m in g.members], "forgotten": g.missing,
                                           "shared_minutes": g.group.shared_minutes, "cross_region": g.group.cross_region,
                                           "met": g.group.met} for g in groups],
                        "not_in_a_group": [{"user_id": s.member.user_id, "outcome": s.seat.outcome, "reason": s.seat.reason}
                                           for s in outside]})
        return {"rounds": out}

    def coffee_pairs(self, session: Session, workspace: Workspace, query: Any, now: Any) -> dict[str, Any]:
        matrix = coffee_report.pair_matrix(session, workspace.id)
        return {"regions": matrix.regions, "pairs": [[matrix.count(a, b) for b in matrix.regions] for a in matrix.regions],
                "cross_region_pairs": matrix.cross, "within_region_pairs": matrix.within}

    def coffee_unpaired(self, session: Session, workspace: Workspace, query: Any, now: Any) -> dict[str, Any]:
        rounds = coffee_report.coffee_rounds(session, workspace.id, limit=1)
        latest = rounds[0].round if rounds else None
        found = coffee_report.not_paired(session, workspace.id, latest, local_date(now, "UTC"))
        return {"round": latest.number if latest else None, "members": [
            {**self._member(u.member), "reason": u.reason, "last_paired": u.last_paired.isoformat() if u.last_paired else None}
            for u in found]}

    def meetings(self, session: Session, workspace: Workspace, query: Any, now: Any) -> dict[str, Any]:
        zone = self._zone(query)
        days = min(max(int(query.get("days", "14")) if str(query.get("days", "14")).isdecimal() else 14, 1), 90)
        found = meetings_report.upcoming_meetings(meetings_report.meetings_in(session, workspace.id), now, days)
        return {"zone": zone, "meetings": [{"title": m.title, "start": to_local(s, zone).isoformat(),
                                            "end": to_local(s + m.duration, zone).isoformat(), "weekly": m.repeat == "weekly",
                                            "attendees": [a.user_id for a in m.members]} for m, s in found]}

    def fairness(self, session: Session, workspace: Workspace, query: Any, now: Any) -> dict[str, Any]:
        out = []
        for meeting in meetings_report.meetings_in(session, workspace.id):
            if meeting.repeat != "weekly":
                continue
            f = meetings_report.series_fairness(meeting, now)
            out.append({"title": meeting.title, "regions": f.regions, "people": f.people,
                        "totals": {r: f.total(r) for r in f.regions},
                        "occurrences": [{"start": iso_z(o.start), "upcoming": o.upcoming, "minutes_outside": o.minutes,
                                         "off": o.off} for o in f.occurrences]})
        return {"series": out}

    def holidays(self, session: Session, workspace: Workspace, query: Any, now: Any) -> dict[str, Any]:
        days = min(max(int(query.get("days", "90")) if str(query.get("days", "90")).isdecimal() else 90, 1), 366)
        first = local_date(now, "UTC")
        members = team_report.members_of(session, workspace.id)
        periods = time_off_report.time_off(members, first, days, query.get("locale") or workspace.locale)
        return {"from": first.isoformat(), "days": days, "periods": [{
            "member": self._member(p.member), "start": p.start.isoformat(), "end": p.end.isoformat(),
            "kind": "away" if p.state.value == "away" else "holiday", "names": p.names, "estimated": p.estimated}
            for p in periods]}

    async def openapi(self, request: web.Request) -> web.StreamResponse:
        from web.app import secure
        return secure(web.json_response(openapi_document()))


def _dumps(value: Any) -> str:
    import json
    return json.dumps(value, ensure_ascii=False, default=str)


_DATE = {"type": "string", "format": "date"}


def _param(name: str, description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema or {"type": "string"}}


FILTERS = [_param("from", "First day (member's local date), default 30 days before `to`", _DATE),
           _param("to", "Last day, default today", _DATE), _param("member", "A member's platform user id"),
           _param("channel", "A standup's channel"), _param("q", "Text the answers contain")]

ENDPOINTS: dict[str, tuple[str, list[dict[str, Any]]]] = {
    "/team": ("Who is where, their local time and state now, and the hours-by-zone heatmap of a day",
              [_param("zone", "IANA zone the heatmap's hours are in (default UTC)"), _param("day", "The heatmap's day", _DATE)]),
    "/standups": ("Standup answers and skips, newest first, filtered", FILTERS),
    "/standups/participation": ("Participation and on-time rate by week", FILTERS),
    "/standups/blockers": ("Open blockers: each member's latest answer of the last 7 days that names one", []),
    "/coffee/rounds": ("Coffee rounds: groups, who met, who was not in a group and why", []),
    "/coffee/pairs": ("How often people of each region were paired with each other region", []),
    "/coffee/unpaired": ("Who was not paired in the latest round, and why", []),
    "/meetings": ("Upcoming meeting occurrences", [_param("zone", "IANA zone for the times (default UTC)"),
                                                   _param("days", "How many days ahead (1-90, default 14)", {"type": "integer"})]),
    "/meetings/fairness": ("For each weekly series: minutes outside working hours each region carried per occurrence", []),
    "/holidays": ("Public holidays and time off of every member", [_param("days", "How many days ahead (1-366, default 90)", {"type": "integer"}),
                                                                    _param("locale", "Language of holiday names")]),
}


def openapi_document() -> dict[str, Any]:
    paths = {}
    for path, (summary, parameters) in ENDPOINTS.items():
        paths[PREFIX + path] = {"get": {
            "summary": summary, "parameters": parameters, "security": [{"token": []}],
            "responses": {"200": {"description": "The report", "content": {"application/json": {"schema": {"type": "object"}}}},
                          "400": {"description": "A parameter is not valid"},
                          "401": {"description": "No valid token"},
                          "429": {"description": "Rate limit exceeded; see Retry-After"}}}}
    return {"openapi": "3.1.0",
            "info": {"title": "Meridian reports API", "version": "1",
                     "description": "Read-only reports of one workspace. Create a token on the dashboard's settings page "
                                    "(admins) and send it as `Authorization: Bearer <token>`."},
            "components": {"securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}},
            "paths": paths}
