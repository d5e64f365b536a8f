"""The dashboard: pages, settings forms, sign-out and language, static files; `/api/v1` comes from `web.api`.

Every page handler runs its database work in a worker thread (the core is synchronous SQLAlchemy) in
one unit of work, starting from the session cookie: no cookie, a forged or an expired one sends the
reader to the sign-in page. Everything the page reads is scoped to the session's workspace; ids
given in the query (a person, a channel, a round) are looked up *within* that workspace, so another
workspace's ids find nothing.

Settings are changed through the chat commands themselves (`Meridian.handle`, `handle_action`), as
the signed-in admin: the validation, the wording of errors and the re-planning are exactly the
chat's. Each change is written to the change log with who, what and when.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

from aiohttp import web
from babel.dates import get_timezone_location
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.core import ActionRequest, CommandRequest, Meridian
from bot.i18n import Translator
from bot.members import Identity
from bot.meetings import WEEKLY, Meeting
from bot.models import Member, Workspace
from bot.reports import coffee as coffee_report, meetings as meetings_report, standups as standups_report, team as team_report, time_off as time_off_report
from bot.reports.models import ApiToken, SettingsChange, WebSession, as_text
from bot.router import explain_time_error
from bot.standups.messages import question_texts
from bot.teamclock import describe_status
from bot.text import channel_name, one_line
from bot.time import TimeError, local_date, parse_duration, to_local
from web import charts
from web.auth import (SESSION_COOKIE, clear_cookie, create_api_token, end_session, load_session, same)
from web.exports import standups_csv
from web.i18n import LOCALES, WebTranslator, supported

log = logging.getLogger(__name__)

HERE = Path(__file__).parent
STATIC = {"style.css": "text/css", "favicon.svg": "image/svg+xml"}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self' data:; script-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
}
WEEKDAY_CODES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_HISTORY_DAYS = 30
HOLIDAY_DAYS = 90
MEETING_DAYS = 14


def see_other(location: str) -> web.Response:
    """303: after a form, or to another page; a plain response (returning HTTPException objects is deprecated)."""
    return web.Response(status=303, headers={"Location": location})


def found(location: str) -> web.Response:
    return web.Response(status=302, headers={"Location": location})


def secure(response: web.StreamResponse) -> web.StreamResponse:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@dataclass
class Viewer:
    """Who is reading: their session, workspace and member, in their language and zone."""

    row: WebSession
    workspace: Workspace
    member: Member
    tr: WebTranslator
    now: datetime

    @property
    def is_admin(self) -> bool:
        return self.row.is_admin

    @property
    def csrf(self) -> str:
        return self.row.csrf

    @property
    def zone(self) -> str:
        return self.member.tz

    @property
    def today(self) -> date:
        return local_date(self.now, self.zone)

    def local(self, instant: datetime) -> datetime:
        return to_local(instant, self.zone)

    def chat_translator(self) -> Translator:
        """The language the chat core answers this reader in (their profile's, else the page's)."""
        return Translator(self.member.locale or self.tr.locale_id or self.workspace.locale)

    def identity(self) -> Identity:
        """The reader as the chat core knows them: settings forms run the chat commands as this person."""
        return Identity(platform=self.workspace.platform, workspace_id=self.workspace.external_id,
                        user_id=self.member.user_id, workspace_name=self.workspace.name,
                        locale=self.tr.locale_id, is_admin=self.is_admin)


class Problem(Exception):
    """A page cannot be shown: the status and the message for the reader."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def _date(value: str | None, default: date) -> date:
    try:
        return date.fromisoformat((value or "").strip()) if value else default
    except ValueError:
        return default


def safe_next(value: str | None) -> str:
    """Only a path on this site (no scheme, no host, no '//'): nobody can bounce readers elsewhere."""
    value = (value or "").strip()
    if not value.startswith("/") or value.startswith("//") or "\\" in value or len(value) > 500:
        return "/team"
    return value


def duration_text(minutes: int) -> str:
    hours, rest = divmod(int(minutes), 60)
    return (f"{hours}h" if hours else "") + (f"{rest}m" if rest or not hours else "")


class Dashboard:
    """The web side of one `meridian serve` process."""

    def __init__(self, core: Meridian, settings: Settings, *, demo: bool = False,
                 demo_workspace: tuple[str, str] = ("console", "default")) -> None:
        from web.api import Api
        from web.signin import SignIn

        self.core = core
        self.db = core.db
        self.clock = core.clock
        self.settings = settings
        self.demo = demo
        self.demo_workspace = demo_workspace
        self.env = Environment(loader=FileSystemLoader(str(HERE / "templates")),
                               autoescape=select_autoescape(default=True, default_for_string=True),
                               trim_blocks=True, lstrip_blocks=True)
        self.env.globals["locales"] = LOCALES
        self.static = {name: (HERE / "static" / name).read_bytes() for name in STATIC}
        self.signin = SignIn(self)
        self.api = Api(self)

    # --- routes ------------------------------------------------------------------------------------
    def routes(self) -> list[web.RouteDef]:
        pages: list[tuple[str, Callable[..., Any], str, bool]] = [
            ("/team", self._team, "team.html", False),
            ("/standups", self._standups, "standups.html", False),
            ("/coffee", self._coffee, "coffee.html", False),
            ("/meetings", self._meetings, "meetings.html", False),
            ("/holidays", self._holidays, "holidays.html", False),
            ("/settings", self._settings, "settings.html", True),
        ]
        found = [web.get("/", self._root), web.get("/static/{name}", self._static),
                 web.get("/standups.csv", self._handler(self._standups_csv)),
                 web.post("/signout", self._signout), web.post("/language", self._handler(self._language, post=True)),
                 web.post("/settings/standup", self._handler(self._save_standup, post=True, admin=True)),
                 web.post("/settings/coffee", self._handler(self._save_coffee, post=True, admin=True)),
                 web.post("/settings/workspace", self._handler(self._save_workspace, post=True, admin=True)),
                 web.post("/settings/meeting", self._handler(self._save_meeting, post=True, admin=True)),
                 web.post("/settings/tokens", self._handler(self._create_token, post=True, admin=True)),
                 web.post("/settings/tokens/revoke", self._handler(self._revoke_token, post=True, admin=True))]
        for path, build, template, admin in pages:
            found.append(web.get(path, self._handler(build, template=template, admin=admin)))
        return found + self.signin.routes() + self.api.routes()

    # --- the request pipeline ---------------------------------------------------------------------------
    def _handler(self, build: Callable[..., Any], *, template: str | None = None, admin: bool = False,
                 post: bool = False) -> Callable[[web.Request], Any]:
        async def handle(request: web.Request) -> web.StreamResponse:
            form: dict[str, str] = {}
            if post:
                if not self._same_origin(request):
                    return secure(web.Response(status=403, text="cross-site request refused"))
                data = await request.post()
                form = {k: v for k, v in data.items() if isinstance(v, str)}
            token = request.cookies.get(SESSION_COOKIE)
            return await asyncio.to_thread(self._run, request, token, build, template, admin, post, form)
        return handle

    def _same_origin(self, request: web.Request) -> bool:
        """A browser's POST says where it comes from; one from another site is refused (CSRF, defence in depth)."""
        origin = request.headers.get("Origin")
        if not origin or origin == "null":
            return origin is None
        host = request.headers.get("Host", "")
        allowed = {f"{scheme}://{host}" for scheme in ("http", "https")}
        if self.settings.public_url:
            allowed.add(self.settings.public_url.rstrip("/"))
        return origin.rstrip("/") in allowed

    def _run(self, request: web.Request, token: str | None, build: Callable[..., Any], template: str | None,
             admin: bool, post: bool, form: dict[str, str]) -> web.StreamResponse:
        with self.db.session() as session:
            viewer = self.viewer(session, token)
            if viewer is None:
                if post:
                    return secure(web.Response(status=401, text="sign in first"))
                return secure(see_other("/signin?" + urlencode({"next": request.path_qs})))
            try:
                if admin and not viewer.is_admin:
                    raise Problem(403, viewer.tr._("Only workspace admins can see and change the settings."))
                if post and not same(form.get("csrf"), viewer.csrf):
                    raise Problem(403, viewer.tr._("This form has expired. Go back, reload the page and try again."))
                result = build(session, viewer, request.query if not post else form) if not post else \
                    build(session, viewer, form)
            except Problem as problem:
                return self.render(request, viewer, "error.html", {"message": problem.message}, status=problem.status)
            if isinstance(result, web.StreamResponse):
                return secure(result)
            name, context = (template, result) if template else result
            return self.render(request, viewer, name, context)

    def viewer(self, session: Session, token: str | None) -> Viewer | None:
        now = self.clock.now()
        row = load_session(session, token, now)
        if row is None:
            return None
        workspace = session.get(Workspace, row.workspace_id)
        member = session.get(Member, row.member_id)
        assert workspace is not None and member is not None
        tr = WebTranslator(row.locale or member.locale or workspace.locale)
        return Viewer(row, workspace, member, tr, now)

    def render(self, request: web.Request, viewer: Viewer | None, name: str, context: dict[str, Any], *,
               status: int = 200, tr: WebTranslator | None = None) -> web.Response:
        tr = tr or (viewer.tr if viewer else WebTranslator("en"))
        html = self.env.get_template(name).render(_=tr._, tr=tr, viewer=viewer, path=request.path,
                                                  path_qs=request.path_qs, demo=self.demo, **context)
        return secure(web.Response(text=html, content_type="text/html", charset="utf-8", status=status))

    # --- small routes -----------------------------------------------------------------------------------
    async def _root(self, request: web.Request) -> web.StreamResponse:
        return secure(see_other("/team"))

    async def _static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in self.static:
            raise web.HTTPNotFound()
        response = web.Response(body=self.static[name], content_type=STATIC[name])
        secure(response)
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response

    async def _signout(self, request: web.Request) -> web.StreamResponse:
        if not self._same_origin(request):
            return secure(web.Response(status=403, text="cross-site request refused"))
        data = await request.post()
        token = request.cookies.get(SESSION_COOKIE)

        def work() -> bool:
            with self.db.session() as session:
                viewer = self.viewer(session, token)
                if viewer is None or not same(str(data.get("csrf", "")), viewer.csrf):
                    return False
                end_session(session, token)
                return True
        if not await asyncio.to_thread(work):
            return secure(web.Response(status=403, text="this form has expired; reload the page"))
        response = see_other("/signin?signed_out=1")
        clear_cookie(response, SESSION_COOKIE)
        return secure(response)

    def _language(self, session: Session, viewer: Viewer, form: dict[str, str]) -> web.StreamResponse:
        locale = form.get("locale", "")
        if locale in LOCALES:
            viewer.row.locale = locale
        return see_other(safe_next(form.get("next")))

    # --- pages ------------------------------------------------------------------------------------------
    def _scope(self, session: Session, viewer: Viewer, channel: str | None) -> tuple[list[Member], Any]:
        standups = standups_report.standups_of(session, viewer.workspace.id)
        chosen = next((s for s in standups if s.channel == channel), None)
        if chosen is not None:
            members = standups_report.standup_members(session, viewer.workspace.id, chosen.id) or []
            members = [m for m in team_report.members_of(session, viewer.workspace.id) if m.id in {x.id for x in members}]
        else:
            members = team_report.members_of(session, viewer.workspace.id)
        return members, chosen

    def _team(self, session: Session, viewer: Viewer, query: Any) -> dict[str, Any]:
        tr = viewer.tr
        members, chosen = self._scope(session, viewer, query.get("channel"))
        day = _date(query.get("day"), viewer.today)
        statuses = team_report.team_now(members, viewer.now, tr.locale_id)
        heat = team_report.heatmap(members, day, viewer.zone)
        columns = [tr.time(viewer.local(at).replace(minute=0)) for at in heat.hours]
        hours = [tr.number(viewer.local(at).hour) for at in heat.hours]
        rows = [(f"{city(tr, r.zone)} ({tr.number(len(r.members))})", r.working, len(r.members)) for r in heat.rows]
        chart = charts.heatmap("heatmap", tr._("Who works in each hour of {date} (your time)", date=tr.date(day)),
                               tr._("Rows are time zones, columns are hours in your zone; each cell counts the people working then."),
                               rows, hours, (tr._("Everyone"), heat.total, max(1, heat.size)), rtl=tr.rtl)
        working = sum(1 for s in statuses if s.working)
        return {"statuses": statuses, "describe": lambda s: describe_status(tr, s), "heat": heat, "chart": chart,
                "city": lambda zone: city(tr, zone),
                "columns": columns, "day": day, "working": working, "standups": standups_report.standups_of(session, viewer.workspace.id),
                "channel": chosen.channel if chosen else "", "best": [columns[h] for h in heat.best_hours],
                "title": tr._("Team")}

    def standup_filter(self, session: Session, viewer: Viewer, query: Any) -> tuple[standups_report.StandupFilter, dict[str, Any]]:
        """The filters of the standups page and its export, read from the query (ids looked up in this workspace)."""
        end = _date(query.get("to"), viewer.today)
        start = _date(query.get("from"), end - timedelta(days=DEFAULT_HISTORY_DAYS - 1))
        if start > end:
            start, end = end, start
        start = max(start, end - timedelta(days=366))
        person = (query.get("person") or "").strip()
        member = session.scalar(select(Member).where(Member.workspace_id == viewer.workspace.id,
                                                     Member.user_id == person)) if person else None
        channel = (query.get("channel") or "").strip()
        standup = next((s for s in standups_report.standups_of(session, viewer.workspace.id) if s.channel == channel), None)
        text = (query.get("q") or "").strip()[:100]
        chosen = {"from": start.isoformat(), "to": end.isoformat(), "person": member.user_id if member else "",
                  "channel": standup.channel if standup else "", "q": text}
        return standups_report.StandupFilter(start, end, member.id if member else None, standup.id if standup else None, text), chosen

    def _standups(self, session: Session, viewer: Viewer, query: Any) -> dict[str, Any]:
        tr = viewer.tr
        f, chosen = self.standup_filter(session, viewer, query)
        entries, cut = standups_report.standup_entries(session, viewer.workspace.id, f, tr)
        weeks = standups_report.participation_by_week(session, viewer.workspace.id, f.start, min(f.end, viewer.today),
                                        standup_id=f.standup_id, member_id=f.member_id)
        labels = [tr.date(w.week, "short") for w in weeks]
        pct = lambda v: tr.percent(v) if v is not None else "—"  # noqa: E731
        chart = charts.bars("participation", tr._("Participation and on-time answers by week"),
                            tr._("For each week: the share of asked working days that were answered, and the share of answers given before the summary."),
                            labels, [(tr._("Participation"), [w.participation for w in weeks]),
                                     (tr._("On time"), [w.on_time_rate for w in weeks])], maximum=1.0,
                            value_text=[[pct(w.participation) for w in weeks], [pct(w.on_time_rate) for w in weeks]],
                            rtl=tr.rtl)
        query_string = urlencode({k: v for k, v in chosen.items() if v})
        return {"entries": entries, "cut": cut, "weeks": weeks, "chart": chart, "pct": pct, "chosen": chosen,
                "members": team_report.members_of(session, viewer.workspace.id), "standups": standups_report.standups_of(session, viewer.workspace.id),
                "blockers": standups_report.open_blockers(session, viewer.workspace.id, viewer.today),
                "export": "/standups.csv" + ("?" + query_string if query_string else ""), "limit": standups_report.MAX_ROWS,
                "local": viewer.local, "title": tr._("Standups")}

    def _standups_csv(self, session: Session, viewer: Viewer, query: Any) -> web.StreamResponse:
        f, chosen = self.standup_filter(session, viewer, query)
        entries, _ = standups_report.standup_entries(session, viewer.workspace.id, f, viewer.tr)
        body = standups_csv(entries, viewer.zone)
        name = f"standups-{chosen['from']}-{chosen['to']}.csv"
        return web.Response(body=body.encode("utf-8"), content_type="text/csv", charset="utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}"'})

    def _coffee(self, session: Session, viewer: Viewer, query: Any) -> dict[str, Any]:
        from bot.coffee.messages import format_minutes
        from bot.coffee.regions import region_label

        tr = viewer.tr
        rounds = coffee_report.coffee_rounds(session, viewer.workspace.id)
        wanted = query.get("round", "")
        chosen = coffee_report.coffee_round(session, viewer.workspace.id, int(wanted)) if wanted.isdecimal() and len(wanted) < 10 else None
        if chosen is None and rounds:
            chosen = rounds[0].round
        groups, outside = coffee_report.round_detail(session, viewer.workspace.id, chosen) if chosen else ([], [])
        matrix = coffee_report.pair_matrix(session, viewer.workspace.id)
        names = {r: region_label(tr, r) for r in matrix.regions}
        matrix_chart = charts.matrix("pairs", tr._("Coffee pairs between regions"),
                                     tr._("Each cell counts the pairs of people from the row's and the column's region who were grouped together."),
                                     [names[r] for r in matrix.regions],
                                     lambda a, b: matrix.count(_key(names, a), _key(names, b)), rtl=tr.rtl)
        answered = sum(r.answered for r in rounds)
        met = sum(r.met for r in rounds)
        groups_total = sum(r.groups for r in rounds)
        cross = sum(r.cross_region for r in rounds)
        chrono = list(reversed(rounds))
        pct = lambda part, whole: tr.percent(part / whole) if whole else "—"  # noqa: E731
        met_chart = charts.bars("met", tr._("Groups per round and how many met"),
                                tr._("For each round: the number of groups, and the groups that said they met."),
                                [tr.date(r.round.round_date, "short") for r in chrono],
                                [(tr._("Groups"), [r.groups for r in chrono]), (tr._("Met"), [r.met for r in chrono])],
                                rtl=tr.rtl)
        return {"rounds": rounds, "chosen": chosen, "groups": groups, "outside": outside, "matrix": matrix,
                "region": names, "matrix_chart": matrix_chart, "met_chart": met_chart, "answered": answered, "met": met,
                "groups_total": groups_total, "cross": cross, "pct": pct, "minutes": lambda m: format_minutes(tr, m),
                "unpaired": coffee_report.not_paired(session, viewer.workspace.id, chosen, viewer.today),
                "reason": lambda reason: reason_text(tr, reason),
                "config": coffee_report.coffee_config(session, viewer.workspace.id), "title": tr._("Coffee")}

    def _meetings(self, session: Session, viewer: Viewer, query: Any) -> dict[str, Any]:
        from bot.coffee.messages import format_minutes
        from bot.coffee.regions import region_label

        tr = viewer.tr
        meetings = meetings_report.meetings_in(session, viewer.workspace.id)
        upcoming = meetings_report.upcoming_meetings(meetings, viewer.now, MEETING_DAYS)
        series = []
        for meeting in meetings:
            if meeting.repeat != WEEKLY:
                continue
            fairness = meetings_report.series_fairness(meeting, viewer.now)
            past = [o for o in fairness.occurrences if not o.upcoming]
            chart = charts.bars(f"fair-{meeting.id}",
                                tr._("Minutes outside working hours by region: {title}", title=meeting.title),
                                tr._("For each occurrence: the minutes outside working hours that the attendees of each region carried."),
                                [tr.date(viewer.local(o.start), "short") for o in past],
                                [(region_label(tr, r), [o.minutes.get(r, 0) for o in past]) for r in fairness.regions],
                                rtl=tr.rtl) if past else None
            series.append((fairness, chart))
        return {"upcoming": upcoming, "series": series, "local": viewer.local, "region": lambda r: region_label(tr, r),
                "minutes": lambda m: format_minutes(tr, m), "days": MEETING_DAYS, "title": tr._("Meetings")}

    def _holidays(self, session: Session, viewer: Viewer, query: Any) -> dict[str, Any]:
        from bot.holidays.messages import why_off
        from bot.meetings import place_of

        tr = viewer.tr
        members = team_report.members_of(session, viewer.workspace.id)
        person = (query.get("person") or "").strip()
        shown = [m for m in members if not person or m.user_id == person]
        periods = time_off_report.time_off(shown, viewer.today, HOLIDAY_DAYS, tr.locale_id)
        by_country: dict[str, list[Any]] = {}
        for period in periods:
            by_country.setdefault(period.member.country or "", []).append(period)
        countries = sorted(by_country, key=lambda c: tr.country_name(c))
        return {"periods": periods, "by_country": by_country, "countries": countries, "members": members,
                "person": person if any(m.user_id == person for m in members) else "", "why": lambda p: why_off(tr, p),
                "place": lambda m: place_of(tr, m), "days": HOLIDAY_DAYS, "until": viewer.today + timedelta(days=HOLIDAY_DAYS - 1),
                "title": tr._("Holidays and time off")}

    # --- settings ---------------------------------------------------------------------------------------
    def _settings(self, session: Session, viewer: Viewer, query: Any, **extra: Any) -> dict[str, Any]:
        tr = viewer.tr
        workspace_id = viewer.workspace.id
        standups = standups_report.standups_of(session, workspace_id)
        changes = list(session.scalars(select(SettingsChange).where(SettingsChange.workspace_id == workspace_id)
                                       .order_by(SettingsChange.changed_at.desc(), SettingsChange.id.desc()).limit(100)))
        tokens = list(session.scalars(select(ApiToken).where(ApiToken.workspace_id == workspace_id)
                                      .order_by(ApiToken.created_at.desc())))
        weekly = [m for m in meetings_report.meetings_in(session, workspace_id)]
        who = {m.id: m.display_name for m in team_report.members_of(session, workspace_id)}
        done = query.get("done", "") if hasattr(query, "get") else ""
        return {"standups": [(s, standup_values(s, viewer.chat_translator())) for s in standups], "coffee": coffee_values(coffee_report.coffee_config(session, workspace_id)),
                "meetings": weekly, "changes": changes, "tokens": tokens, "weekdays": WEEKDAY_CODES,
                "done": done if done in {"standup", "coffee", "workspace", "meeting", "revoked"} else "",
                "local": viewer.local, "language": lambda code: tr.language_name(code),
                "who": lambda change: who.get(change.member_id) or tr._("someone who has since left"),
                "title": tr._("Settings"), "error": extra.get("error"), "new_token": extra.get("new_token"),
                "form": extra.get("form", {})}

    def _settings_error(self, session: Session, viewer: Viewer, message: str, form: dict[str, str]) -> tuple[str, dict[str, Any]]:
        return "settings.html", self._settings(session, viewer, {}, error=message, form=form)

    def record(self, session: Session, viewer: Viewer, area: str, target: str, before: dict[str, Any] | None,
               after: dict[str, Any] | None) -> int:
        """Write one change-log row per setting whose value changed; returns how many."""
        count = 0
        keys = list((after or {}).keys()) + [k for k in (before or {}) if k not in (after or {})]
        for key in keys:
            old, new = as_text((before or {}).get(key)), as_text((after or {}).get(key))
            if old == new:
                continue
            session.add(SettingsChange(workspace_id=viewer.workspace.id, member_id=viewer.member.id, source="web", area=area,
                                       target=target[:128], setting=key, old_value=old, new_value=new,
                                       changed_at=viewer.now))
            count += 1
        return count

    def _chat(self, viewer: Viewer, command: str | None = None, action: tuple[str, str, dict[str, str]] | None = None) -> str | None:
        """Run one chat command (or form action) as the signed-in admin; the error message, or None."""
        who = viewer.identity()
        if command is not None:
            reply = self.core.handle(CommandRequest(who, command))
        else:
            assert action is not None
            reply = self.core.handle_action(ActionRequest(who, action[0], action[1], action[2]))
        return reply.text or reply.title or "error" if reply.error else None

    def _save_standup(self, session: Session, viewer: Viewer, form: dict[str, str]) -> Any:
        tr = viewer.tr
        channel = channel_name(form.get("channel", "") or "")
        if channel is None:
            return self._settings_error(session, viewer, tr._("“{value}” is not a channel name.", value=one_line(form.get("channel"), 40)), form)
        before = _standup_snapshot(session, viewer.workspace.id, channel)
        fields = {key: form.get(key, "") for key in ("time", "questions", "participants", "reminder", "summary")}
        if not fields["questions"].strip():       # empty: the default questions, as the chat form shows them
            fields["questions"] = "\n".join(question_texts(viewer.chat_translator(), None))
        session.commit()          # the chat core writes in its own unit of work (SQLite: one writer at a time)
        error = self._chat(viewer, action=("standup.setup", channel, fields))
        if error:
            return self._settings_error(session, viewer, error, form)
        session.expire_all()
        self.record(session, viewer, "standup", "#" + channel, before, _standup_snapshot(session, viewer.workspace.id, channel))
        return see_other("/settings?done=standup#standups")

    def _save_coffee(self, session: Session, viewer: Viewer, form: dict[str, str]) -> Any:
        current = coffee_values(coffee_report.coffee_config(session, viewer.workspace.id))
        before = _coffee_snapshot(session, viewer.workspace.id)
        commands = []
        wanted = {key: (form.get(key) or "").strip() for key in ("enabled", "channel", "day", "cadence", "overlap", "size")}
        for key in ("channel", "day", "cadence", "overlap", "size"):
            if wanted[key] != current[key] or before is None:
                value = wanted[key] or ("none" if key == "channel" else "")
                commands.append(f"/coffee config {key} {value}".rstrip())
        if wanted["enabled"] != current["enabled"] or before is None:
            commands.append("/coffee config on" if wanted["enabled"] == "on" else "/coffee config off")
        session.commit()
        error = None
        for command in commands:
            error = self._chat(viewer, command)
            if error:
                break
        session.expire_all()
        self.record(session, viewer, "coffee", "", before, _coffee_snapshot(session, viewer.workspace.id))
        if error:
            return self._settings_error(session, viewer, error, form)
        return see_other("/settings?done=coffee#coffee")

    def _save_workspace(self, session: Session, viewer: Viewer, form: dict[str, str]) -> Any:
        tr = viewer.tr
        workspace = viewer.workspace
        locale = form.get("locale", "")
        if locale not in LOCALES:
            return self._settings_error(session, viewer, tr._("Choose one of the listed languages."), form)
        raw_channel = (form.get("channel") or "").strip()
        channel = channel_name(raw_channel) if raw_channel else None
        if raw_channel and channel is None:
            return self._settings_error(session, viewer, tr._("“{value}” is not a channel name.", value=one_line(raw_channel, 40)), form)
        before = {"locale": workspace.locale, "channel": workspace.channel}
        workspace.locale, workspace.channel = locale, channel
        workspace.needs_replan = True
        self.record(session, viewer, "workspace", "", before, {"locale": locale, "channel": channel})
        return see_other("/settings?done=workspace#workspace")

    def _save_meeting(self, session: Session, viewer: Viewer, form: dict[str, str]) -> Any:
        tr = viewer.tr
        raw = form.get("meeting", "")
        meeting = session.scalar(select(Meeting).where(Meeting.workspace_id == viewer.workspace.id,
                                                       Meeting.id == int(raw))) if raw.isdecimal() and len(raw) < 10 else None
        if meeting is None:
            raise Problem(404, tr._("That meeting is not in this workspace."))
        if form.get("cancel") == "1":
            self.record(session, viewer, "meetings", meeting.title, {"meeting": meeting.title}, {"meeting": None})
            session.delete(meeting)
            viewer.workspace.needs_replan = True
            return see_other("/settings?done=meeting#meetings")
        text = (form.get("remind") or "").strip()
        if text.casefold() in {"", "default"}:
            minutes = None
        else:
            try:
                minutes = int(parse_duration(text).total_seconds() // 60)
            except TimeError as error:
                return self._settings_error(session, viewer, explain_time_error(tr, error), form)
            if not 0 < minutes <= 24 * 60:
                return self._settings_error(session, viewer, tr._("A reminder comes between 1 minute and 24 hours before the meeting."), form)
        before = {"remind_before": duration_text(meeting.remind_before_minutes) if meeting.remind_before_minutes else None}
        meeting.remind_before_minutes = minutes
        viewer.workspace.needs_replan = True
        self.record(session, viewer, "meetings", meeting.title, before,
                    {"remind_before": duration_text(minutes) if minutes else None})
        return see_other("/settings?done=meeting#meetings")

    def _create_token(self, session: Session, viewer: Viewer, form: dict[str, str]) -> Any:
        tr = viewer.tr
        name = one_line(form.get("name") or "", 100)
        if not name:
            return self._settings_error(session, viewer, tr._("Give the token a name, so you know later what uses it."), form)
        token, row = create_api_token(session, viewer.workspace, viewer.member, name, viewer.now)
        self.record(session, viewer, "api", name, {"token": None}, {"token": row.prefix + "…"})
        return "settings.html", self._settings(session, viewer, {}, new_token=token)

    def _revoke_token(self, session: Session, viewer: Viewer, form: dict[str, str]) -> Any:
        raw = form.get("token", "")
        row = session.scalar(select(ApiToken).where(ApiToken.workspace_id == viewer.workspace.id,
                                                    ApiToken.id == int(raw))) if raw.isdecimal() and len(raw) < 10 else None
        if row is None:
            raise Problem(404, viewer.tr._("That token is not in this workspace."))
        if row.revoked_at is None:
            row.revoked_at = viewer.now
            self.record(session, viewer, "api", row.name, {"token": row.prefix + "…"}, {"token": None})
        return see_other("/settings?done=revoked#tokens")


def city(tr: Translator, zone: str) -> str:
    """A zone as its city in the reader's language ('Lagos', 'Riad')."""
    try:
        return get_timezone_location(zone, locale=tr.locale, return_city=True)
    except (LookupError, ValueError):
        return zone


def _key(names: dict[str, str], shown: str) -> str:
    return next((key for key, value in names.items() if value == shown), shown)


def reason_text(tr: WebTranslator, reason: str) -> str:
    """Why someone was not in a coffee group, said about them (not to them)."""
    texts = {
        "odd_one_out": tr._("odd number of people: sat this round out"),
        "no_partner": tr._("nobody available shares enough working hours"),
        "alone": tr._("the only one available this round"),
        "away": tr._("away"),
        "holiday": tr._("on a public holiday"),
        "paused": tr._("paused coffee rounds"),
        "not_taking_part": tr._("not taking part"),
        "no_rounds": tr._("no round yet"),
        "left_out": tr._("sat this round out"),
        "unavailable": tr._("away"),
    }
    return texts.get(reason, reason)


def standup_values(standup: Any, tr: Translator | None = None) -> dict[str, str]:
    """A standup's settings as the chat form writes them (the default questions in `tr`'s language)."""
    return {"time": standup.prompt_time.strftime("%H:%M"),
            "questions": "\n".join(question_texts(tr, standup.questions)) if tr is not None or standup.questions else "",
            "participants": "everyone" if standup.participants is None else " ".join("@" + p for p in standup.participants),
            "reminder": duration_text(standup.reminder_minutes) if standup.reminder_minutes else "off",
            "summary": "#" + standup.summary_target, "active": "on" if standup.active else "off"}


def _standup_snapshot(session: Session, workspace_id: int, channel: str) -> dict[str, Any] | None:
    standup = next((s for s in standups_report.standups_of(session, workspace_id) if s.channel == channel), None)
    if standup is None:
        return None
    values = standup_values(standup)
    values["questions"] = values["questions"].replace("\n", " | ") or "default"
    return values


def coffee_values(config: Any) -> dict[str, str]:
    if config is None:
        return {"enabled": "off", "channel": "", "day": "mon", "cadence": "weekly", "overlap": "1h", "size": "2"}
    return {"enabled": "on" if config.enabled else "off", "channel": ("#" + config.channel) if config.channel else "",
            "day": WEEKDAY_CODES[config.day], "cadence": config.cadence,
            "overlap": duration_text(config.min_overlap_minutes), "size": str(config.group_size)}


def _coffee_snapshot(session: Session, workspace_id: int) -> dict[str, Any] | None:
    config = coffee_report.coffee_config(session, workspace_id)
    return None if config is None else coffee_values(config)


def mount(app: web.Application, core: Meridian, settings: Settings, *, demo: bool = False) -> Dashboard:
    """Add the dashboard's routes to `meridian serve`'s HTTP server."""
    dashboard = Dashboard(core, settings, demo=demo)
    app.add_routes(dashboard.routes())
    return dashboard


DASHBOARD: web.AppKey[Dashboard] = web.AppKey("dashboard", Dashboard)


def create_app(core: Meridian, settings: Settings, *, demo: bool = False) -> web.Application:
    """The dashboard alone, as its own aiohttp application (tests, and anyone embedding it)."""
    app = web.Application()
    app[DASHBOARD] = mount(app, core, settings, demo=demo)
    return app


__all__ = ["Dashboard", "Viewer", "mount", "create_app", "supported"]
