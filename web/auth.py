"""Browser sessions, CSRF tokens and API tokens.

A session cookie holds 32 random bytes; the database keeps only their SHA-256 digest with the
workspace, the member, whether they are an admin, a CSRF token and an absolute expiry. A forged
cookie finds no row, an expired one is refused (and deleted), signing out deletes the row.
The cookie is HttpOnly and SameSite=Lax, and Secure when the dashboard is reached over TLS
(MERIDIAN_PUBLIC_URL is https://…, or the request itself came over TLS).
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from aiohttp import web
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.models import Member, Workspace
from bot.reports.models import ApiToken, WebSession

SESSION_COOKIE = "meridian_session"
SIGNIN_COOKIE = "meridian_signin"        # the OAuth state (or the demo form's token) before a session exists
API_PREFIX = "mrd_"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def same(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens; False when either is missing."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def create_session(session: Session, workspace: Workspace, member: Member, *, is_admin: bool, via: str,
                   now: datetime, hours: int, locale: str | None = None) -> str:
    """A new signed-in session; returns the cookie value (shown once, stored as its digest)."""
    token = new_secret()
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    session.add(WebSession(token_hash=digest(token), workspace_id=workspace.id, member_id=member.id,
                           is_admin=is_admin, csrf=new_secret(), locale=locale, via=via, created_at=now,
                           expires_at=now + timedelta(hours=max(1, hours))))
    session.flush()
    return token


def load_session(session: Session, token: str | None, now: datetime) -> WebSession | None:
    """The live session for a cookie value, or None (unknown, forged, expired, or its workspace is gone)."""
    if not token or len(token) > 200:
        return None
    found = session.scalar(select(WebSession).where(WebSession.token_hash == digest(token)))
    if found is None:
        return None
    if found.expires_at <= now:
        session.delete(found)
        return None
    workspace = session.get(Workspace, found.workspace_id)
    member = session.get(Member, found.member_id)
    if workspace is None or workspace.uninstalled_at is not None or member is None or member.workspace_id != workspace.id:
        return None
    return found


def end_session(session: Session, token: str | None) -> None:
    if token:
        session.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))


def secure_cookies(request: web.Request, settings: Settings) -> bool:
    return settings.public_url.lower().startswith("https://") or request.secure


def set_cookie(response: web.StreamResponse, request: web.Request, settings: Settings, name: str, value: str, *,
               max_age: int, path: str = "/") -> None:
    response.set_cookie(name, value, max_age=max_age, path=path, httponly=True, samesite="Lax",
                        secure=secure_cookies(request, settings))


def clear_cookie(response: web.StreamResponse, name: str, path: str = "/") -> None:
    response.del_cookie(name, path=path)


# --- API tokens --------------------------------------------------------------------------------------

def create_api_token(session: Session, workspace: Workspace, member: Member, name: str, now: datetime) -> tuple[str, ApiToken]:
    token = API_PREFIX + new_secret()
    row = ApiToken(token_hash=digest(token), prefix=token[:10], workspace_id=workspace.id, name=name[:100],
                   created_by=member.id, created_at=now)
    session.add(row)
    session.flush()
    return token, row


def find_api_token(session: Session, token: str | None) -> ApiToken | None:
    if not token or not token.startswith(API_PREFIX) or len(token) > 200:
        return None
    found = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest(token)))
    if found is None or not found.active:
        return None
    workspace = session.get(Workspace, found.workspace_id)
    if workspace is None or workspace.uninstalled_at is not None:
        return None
    return found
