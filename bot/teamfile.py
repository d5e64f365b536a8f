"""Team import: a TOML team file (or a CSV of members) loads or updates a workspace, all or nothing.

Everything is validated before anything is written; every error names its line and field. Feature
modules own their own tables of the file ([standup], [coffee], [[meetings]]) by registering a
`Section` here, so this module never needs to know what a standup is.

Its errors are deliberately plain English, not gettext: they go to the operator running `meridian
import` (CLI output and logs), in the same language as the file's own keys, never to a chat member.
"""
from __future__ import annotations

import csv
import io
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import holidays
from bot.time import parse_clock, parse_days, parse_hours, resolve_country, resolve_zone
from bot.members import ensure_workspace
from bot.i18n import is_known_locale, normalize_locale
from bot.models import Away, Member, Workspace
from bot.text import one_line
from bot.time import TimeError

MAX_MEMBERS = 100_000


class ImportError_(ValueError):
    """The file cannot be imported; `errors` lists every problem found, each with its place."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class Plan:
    """A validated team file, ready to apply."""

    workspace: dict[str, Any] = field(default_factory=dict)
    members: list[dict[str, Any]] = field(default_factory=list)
    away: list[dict[str, Any]] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Section:
    """A feature's part of the team file. `validate` returns error strings; `apply` writes it."""

    name: str
    validate: Callable[[Any, "Checker"], None]
    apply: Callable[[Session, Workspace, Any], None]


SECTIONS: dict[str, Section] = {}


def register_section(section: Section) -> None:
    SECTIONS[section.name] = section


class Checker:
    """Collects errors with their place ('line 12, members[2].tz: …') while validating."""

    def __init__(self, text: str, member_ids: set[str]) -> None:
        self.errors: list[str] = []
        self.member_ids = member_ids
        self._headers = _header_lines(text)

    def error(self, where: str, message: str) -> None:
        line = self.line_of(where)
        self.errors.append(f"line {line}, {where}: {message}" if line else f"{where}: {message}")

    def line_of(self, where: str) -> int | None:
        match = re.match(r"([a-z_]+)(?:\[(\d+)\])?", where)
        if not match:
            return None
        lines = self._headers.get(match[1], [])
        index = int(match[2]) if match[2] is not None else 0
        return lines[index] if index < len(lines) else None

    def text(self, where: str, value: Any, limit: int = 200, required: bool = False) -> str | None:
        if value is None:
            if required:
                self.error(where, "is required")
            return None
        if not isinstance(value, str):
            self.error(where, "must be text")
            return None
        if len(value) > limit:
            self.error(where, f"is longer than {limit} characters")
            return None
        if required and not value.strip():
            self.error(where, "must not be empty")
            return None
        return value

    def member_ref(self, where: str, value: Any) -> str | None:
        ref = self.text(where, value, 64, required=True)
        if ref is not None and ref not in self.member_ids:
            self.error(where, f"names no member: {ref!r}")
            return None
        return ref

    def member_list(self, where: str, value: Any) -> list[str] | None:
        if value is None:
            return None
        if not isinstance(value, list):
            self.error(where, "must be a list of member ids")
            return None
        return [r for i, v in enumerate(value) if (r := self.member_ref(f"{where}[{i}]", v)) is not None]

    def clock(self, where: str, value: Any) -> Any:
        text = self.text(where, value, 20, required=True)
        if text is None:
            return None
        try:
            return parse_clock(text)
        except TimeError:
            self.error(where, f"is not a time like 09:30: {text!r}")
            return None


def _header_lines(text: str) -> dict[str, list[int]]:
    """Line numbers of each [table] / [[array]] header, so errors can point at the right block."""
    found: dict[str, list[int]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"\s*\[\[?\s*([A-Za-z_]+)\s*\]\]?", line)
        if match:
            found.setdefault(match[1], []).append(number)
    return found


# --- members -------------------------------------------------------------------------------------

def _check_member(check: Checker, where: str, raw: Any, seen: set[str]) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        check.error(where, "must be a table")
        return None
    known = {"id", "name", "tz", "country", "subdivision", "locale", "hours", "days", "admin"}
    for key in raw:
        if key not in known:
            check.error(f"{where}.{key}", f"is not a member field (known: {', '.join(sorted(known))})")
    out: dict[str, Any] = {}
    member_id = check.text(f"{where}.id", raw.get("id"), 64, required=True)
    if member_id is not None:
        if member_id in seen:
            check.error(f"{where}.id", f"{member_id!r} appears twice")
        seen.add(member_id)
        out["id"] = member_id.strip()
    name = check.text(f"{where}.name", raw.get("name"), 200)
    out["name"] = one_line(name, 200) if name else out.get("id", "")
    tz = check.text(f"{where}.tz", raw.get("tz"), 64, required=True)
    if tz is not None:
        try:
            out["tz"] = resolve_zone(tz).name
        except TimeError as error:
            candidates = error.params.get("candidates")
            hint = f" (one of: {', '.join(candidates)})" if candidates else ""  # type: ignore[arg-type]
            check.error(f"{where}.tz", f"is not a time zone I can use: {tz!r}{hint}")
    country = check.text(f"{where}.country", raw.get("country"), 64)
    if country is not None:
        try:
            out["country"] = resolve_country(country)       # the same reading as /profile country
        except TimeError:
            check.error(f"{where}.country", f"must be a country code like DE or a country name like Germany: {country!r}")
    subdivision = check.text(f"{where}.subdivision", raw.get("subdivision"), 16)
    if subdivision is not None:
        if "country" not in out:
            check.error(f"{where}.subdivision", "needs a country")
        elif holidays.is_supported(out["country"]) and subdivision.upper() not in holidays.subdivisions(out["country"]):
            known_subdivisions = ", ".join(holidays.subdivisions(out["country"])) or "none"
            check.error(f"{where}.subdivision", f"{subdivision!r} is not a subdivision of {out['country']} (known: {known_subdivisions})")
        else:
            out["subdivision"] = subdivision.upper()
    locale = check.text(f"{where}.locale", raw.get("locale"), 16)
    if locale is not None:
        if is_known_locale(locale):
            out["locale"] = normalize_locale(locale)
        else:
            check.error(f"{where}.locale", f"is not a language code like en or pt_BR: {locale!r}")
    hours = check.text(f"{where}.hours", raw.get("hours"), 20)
    if hours is not None:
        try:
            out["hours"] = parse_hours(hours)
        except TimeError:
            check.error(f"{where}.hours", f"must look like 09:00-17:00: {hours!r}")
    days = raw.get("days")
    if days is not None:
        if not (isinstance(days, list) and all(isinstance(d, str) for d in days)) and not isinstance(days, str):
            check.error(f"{where}.days", "must be a list like [\"mon\", \"tue\"]")
        else:
            try:
                out["days"] = parse_days(days)
            except TimeError as error:
                check.error(f"{where}.days", f"has an unknown weekday: {error.params.get('text')!r}")
    admin = raw.get("admin")
    if admin is not None and not isinstance(admin, bool):
        check.error(f"{where}.admin", "must be true or false")
    out["admin"] = bool(admin)
    return out


def _check_away(check: Checker, where: str, raw: Any) -> dict[str, Any] | None:
    if not isinstance(raw, dict):
        check.error(where, "must be a table")
        return None
    member = check.member_ref(f"{where}.member", raw.get("member"))
    dates: dict[str, date] = {}
    for key in ("from", "to"):
        value = raw.get(key)
        if isinstance(value, date):
            dates[key] = value
            continue
        text = check.text(f"{where}.{key}", value, 10, required=True)
        if text is None:
            continue
        try:
            dates[key] = date.fromisoformat(text)
        except ValueError:
            check.error(f"{where}.{key}", f"is not a date like 2026-12-21: {text!r}")
    if len(dates) == 2 and dates["to"] < dates["from"]:
        check.error(f"{where}.to", "is before 'from'")
    note = check.text(f"{where}.note", raw.get("note"), 200)
    if member is None or len(dates) != 2:
        return None
    return {"member": member, "from": dates["from"], "to": dates["to"], "note": note}


# --- parsing -----------------------------------------------------------------------------------

def parse_toml(text: str, existing_member_ids: set[str] = frozenset()) -> Plan:  # type: ignore[assignment]
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ImportError_([f"not valid TOML: {error}"]) from None
    known = {"workspace", "members", "away"} | set(SECTIONS)
    errors = [f"[{key}] is not a part of a team file (known: {', '.join(sorted(known))})" for key in data if key not in known]
    file_ids = {m.get("id") for m in data.get("members", []) if isinstance(m, dict) and isinstance(m.get("id"), str)}
    check = Checker(text, set(existing_member_ids) | {i.strip() for i in file_ids if i})
    check.errors.extend(errors)
    plan = Plan()
    workspace = data.get("workspace", {})
    if not isinstance(workspace, dict):
        check.error("workspace", "must be a table")
    else:
        for key in workspace:
            if key not in {"name", "locale", "channel", "id"}:
                check.error(f"workspace.{key}", "is not a workspace field (known: channel, id, locale, name)")
        plan.workspace["name"] = check.text("workspace.name", workspace.get("name"), 200)
        locale = check.text("workspace.locale", workspace.get("locale"), 16)
        if locale is not None and not is_known_locale(locale):
            check.error("workspace.locale", f"is not a language code like en: {locale!r}")
        plan.workspace["locale"] = normalize_locale(locale) if locale else None
        channel = check.text("workspace.channel", workspace.get("channel"), 80)
        plan.workspace["channel"] = channel.lstrip("#") if channel else None
        plan.workspace["id"] = check.text("workspace.id", workspace.get("id"), 64)
    members = data.get("members", [])
    if not isinstance(members, list):
        check.error("members", "must be an array of tables: [[members]]")
        members = []
    if len(members) > MAX_MEMBERS:
        check.error("members", f"more than {MAX_MEMBERS} members")
        members = []
    seen: set[str] = set()
    for index, raw in enumerate(members):
        member = _check_member(check, f"members[{index}]", raw, seen)
        if member is not None:
            plan.members.append(member)
    away = data.get("away", [])
    if not isinstance(away, list):
        check.error("away", "must be an array of tables: [[away]]")
        away = []
    for index, raw in enumerate(away):
        period = _check_away(check, f"away[{index}]", raw)
        if period is not None:
            plan.away.append(period)
    for name, section in SECTIONS.items():
        if name in data:
            section.validate(data[name], check)
            plan.sections[name] = data[name]
    if check.errors:
        raise ImportError_(check.errors)
    return plan


CSV_COLUMNS = ("id", "name", "tz", "country", "subdivision", "locale", "hours", "days")


def parse_csv(text: str) -> Plan:
    """Members alone: a header row naming some of CSV_COLUMNS (id and tz required); days split by spaces or ';'."""
    reader = csv.DictReader(io.StringIO(text))
    header = reader.fieldnames or []
    errors = []
    for required in ("id", "tz"):
        if required not in header:
            errors.append(f"line 1: the header needs a column {required!r}")
    for column in header:
        if column not in CSV_COLUMNS:
            errors.append(f"line 1: unknown column {column!r} (known: {', '.join(CSV_COLUMNS)})")
    if errors:
        raise ImportError_(errors)
    rows = list(reader)
    check = Checker("", {r.get("id", "") for r in rows})
    plan = Plan()
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):  # line 1 is the header
        raw = {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k and v not in (None, "")}
        if "days" in raw:
            raw["days"] = re.split(r"[;\s]+", raw["days"])
        before = len(check.errors)
        member = _check_member(check, "member", raw, seen)
        check.errors[before:] = [e.replace("member.", f"line {number}, ", 1) for e in check.errors[before:]]
        if member is not None:
            plan.members.append(member)
    if check.errors:
        raise ImportError_(check.errors)
    return plan


def parse_file(path: Path, existing_member_ids: set[str] = frozenset()) -> Plan:  # type: ignore[assignment]
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ImportError_([f"cannot read {path}: {error}"]) from None
    if path.suffix.lower() == ".csv":
        return parse_csv(text)
    return parse_toml(text, existing_member_ids)


# --- applying ----------------------------------------------------------------------------------

@dataclass
class ImportResult:
    workspace_id: int
    created: int = 0
    updated: int = 0
    away_added: int = 0


def apply_plan(session: Session, plan: Plan, platform: str, workspace_external_id: str | None) -> ImportResult:
    """Write a validated plan: members upserted by id, time off added, feature sections applied."""
    external_id = workspace_external_id or plan.workspace.get("id") or "default"
    workspace = ensure_workspace(session, platform, external_id, plan.workspace.get("name") or external_id)
    if plan.workspace.get("name"):
        workspace.name = plan.workspace["name"]
    if plan.workspace.get("locale"):
        workspace.locale = plan.workspace["locale"]
    if plan.workspace.get("channel"):
        workspace.channel = plan.workspace["channel"]
    result = ImportResult(workspace.id)
    existing = {m.user_id: m for m in session.scalars(select(Member).where(Member.workspace_id == workspace.id))}
    for raw in plan.members:
        member = existing.get(raw["id"])
        if member is None:
            member = Member(workspace_id=workspace.id, user_id=raw["id"], name=raw["name"])
            session.add(member)
            existing[raw["id"]] = member
            result.created += 1
        else:
            result.updated += 1
        member.name = raw["name"] or member.name
        if "tz" in raw:
            member.tz, member.tz_source = raw["tz"], "user"
        if "country" in raw:
            member.country = raw["country"]
            member.subdivision = raw.get("subdivision")
        if "locale" in raw:
            member.locale, member.locale_source = raw["locale"], "user"
        if "hours" in raw:
            member.hours_start, member.hours_end = raw["hours"]
        if "days" in raw:
            member.set_work_days(raw["days"])
        if raw.get("admin"):
            member.is_admin = True
    session.flush()
    for period in plan.away:
        member = existing[period["member"]]
        if any(a.start_date == period["from"] and a.end_date == period["to"] for a in member.away):
            continue
        member.away.append(Away(workspace_id=workspace.id, member_id=member.id, start_date=period["from"],
                                end_date=period["to"], note=period.get("note")))
        result.away_added += 1
    session.flush()
    for name, raw in plan.sections.items():
        SECTIONS[name].apply(session, workspace, raw)
    workspace.needs_replan = True
    session.flush()
    return result


def import_file(session: Session, path: Path, platform: str = "console", workspace_external_id: str | None = None) -> ImportResult:
    """Validate then apply; raises ImportError_ and writes nothing when anything is wrong."""
    existing_ids: set[str] = set()
    if workspace_external_id is not None:
        workspace = session.scalar(select(Workspace).where(Workspace.platform == platform,
                                                           Workspace.external_id == workspace_external_id))
        if workspace is not None:
            existing_ids = set(session.scalars(select(Member.user_id).where(Member.workspace_id == workspace.id)))
    plan = parse_file(path, existing_ids)
    return apply_plan(session, plan, platform, workspace_external_id)
