"""The dashboard in a real browser: Chromium (Debian's) driven by Playwright, against a live server.

An admin signs in (the demo list, Slack's OpenID Connect and Discord's OAuth2 against local
stand-ins), finds last month's standups for one person, exports them (the CSV is compared with the
database), reads the coffee and meeting fairness figures, changes the standup time, and switches to
Arabic. Every page is checked with axe-core (no serious or critical violation) and photographed into
tests/web/screenshots/; any console error fails the test (the `page` fixture).
"""
from __future__ import annotations

import csv
import io
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from bot.models import Member, Workspace
from bot.standups.models import Standup, StandupAnswer
from tests.web.conftest import Live, Watched
from web.i18n import LOCALES, catalog

pytestmark = pytest.mark.browser


def _axe_source() -> str:
    import axe_playwright_python

    return Path(axe_playwright_python.__file__).with_name("axe.min.js").read_text(encoding="utf-8")


def check_accessibility(page: Watched, name: str) -> None:
    """axe-core in the page (injected by the test, never served by Meridian): no serious or critical violation."""
    page.page.evaluate(_axe_source())
    result = page.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    serious = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]
               if v["impact"] in ("serious", "critical")]
    assert serious == [], f"{name}: {serious}"


def visit(page: Watched, path: str, name: str) -> Any:
    response = page.page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    check_accessibility(page, name)
    page.shot(name)
    return response


def demo_sign_in(page: Watched, name: str) -> None:
    page.page.goto("/signin")
    page.page.get_by_role("button", name=name).click()
    page.page.wait_for_url("**/team")


def test_admin_finds_exports_and_changes_settings(page: Watched, live: Live) -> None:
    p = page.page
    visit(page, "/signin", "01-signin")
    p.get_by_role("button", name="Amara Okafor (admin)").click()
    p.wait_for_url("**/team")
    assert p.locator("h1").inner_text() == "Team"
    check_accessibility(page, "team")
    page.shot("02-team")

    # Last month's standups for one person.
    visit(page, "/standups", "03-standups")
    p.fill("#from", "2026-10-01")
    p.fill("#to", "2026-10-31")
    p.select_option("#person", "lena")
    p.get_by_role("button", name="Show").click()
    p.wait_for_url("**person=lena**")
    rows = p.locator("table.history tbody tr")
    assert rows.count() > 10
    assert set(rows.locator("th").all_inner_texts()) == {"Lena Huber"}
    check_accessibility(page, "standups-filtered")
    page.shot("04-standups-lena-october")

    with p.expect_download() as download:
        p.click("#export")
    exported = list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8"))))
    assert download.value.suggested_filename == "standups-2026-10-01-2026-10-31.csv"
    with live.db.session() as session:
        lena = session.scalar(select(Member).join(Workspace).where(Workspace.platform == "console", Member.user_id == "lena"))
        stored = session.execute(select(StandupAnswer, Standup).join(Standup, Standup.id == StandupAnswer.standup_id)
                                 .where(StandupAnswer.member_id == lena.id, StandupAnswer.day >= date(2026, 10, 1),
                                        StandupAnswer.day <= date(2026, 10, 31))).all()
        expected = sorted((row.day.isoformat(), standup.channel, "answered" if row.answers else "skipped",
                           tuple(row.answers or ())) for row, standup in stored)
    got = sorted((r["date"], r["channel"], r["status"], tuple(r[f"answer_{i}"] for i in (1, 2, 3) if r[f"answer_{i}"]))
                 for r in exported)
    assert got == expected and len(got) == rows.count()
    assert {r["user_id"] for r in exported} == {"lena"}

    # Coffee and meeting fairness.
    visit(page, "/coffee", "05-coffee")
    assert "%" in p.locator("#met-rate").inner_text()
    assert p.locator("#matrix tbody tr").count() >= 3
    assert p.locator("#unpaired").count() in (0, 1)
    visit(page, "/meetings", "06-meetings")
    fairness = p.locator("table.fairness")
    assert fairness.count() >= 2
    assert "Team sync" in p.locator("article.series h3").all_inner_texts()
    visit(page, "/holidays", "07-holidays")
    assert p.locator("main table").count() >= 1

    # Change the standup time, as in chat: a bad value is refused with the chat's words, a good one is saved and logged.
    visit(page, "/settings", "08-settings")
    with live.db.session() as session:
        general = session.scalar(select(Standup).join(Workspace).where(Workspace.platform == "console",
                                                                       Standup.channel == "general"))
        standup_id = general.id
    p.fill(f"#standup-{standup_id}-time", "25:99")
    p.locator(f"#standup-{standup_id}-title").locator("xpath=..").get_by_role("button", name="Save").click()
    assert "25:99" in p.locator("#settings-error").inner_text()
    p.fill(f"#standup-{standup_id}-time", "10:15")
    p.locator(f"#standup-{standup_id}-title").locator("xpath=..").get_by_role("button", name="Save").click()
    p.wait_for_url("**done=standup**")
    assert p.locator("#settings-saved").is_visible()
    log = p.locator("#changes tbody tr").first.inner_text()
    assert "Amara Okafor" in log and "10:15" in log and "09:30" in log
    with live.db.session() as session:
        assert session.get(Standup, standup_id).prompt_time == time(10, 15)
    check_accessibility(page, "settings-saved")
    page.shot("09-settings-saved")

    # Arabic: right to left.
    p.select_option("#locale", "ar")
    p.locator("form[action='/language'] button").click()
    p.wait_for_load_state()
    assert p.locator("html").get_attribute("dir") == "rtl"
    assert p.locator("html").get_attribute("lang") == "ar"
    assert p.locator("h1").inner_text() == catalog("ar")["Settings"]
    check_accessibility(page, "settings-ar")
    page.shot("10-settings-ar")
    visit(page, "/team", "11-team-ar")
    assert p.locator("html").get_attribute("dir") == "rtl"


def test_every_language_and_a_member_without_settings(page: Watched) -> None:
    p = page.page
    demo_sign_in(page, "Lena Huber")
    assert p.get_by_role("link", name="Settings").count() == 0
    response = p.goto("/settings")
    assert response is not None and response.status == 403
    page.errors.remove("console: Failed to load resource: the server responded with a status of 403 (Forbidden)")
    for locale in LOCALES:
        p.goto("/team")
        p.select_option("#locale", locale)
        p.locator("form[action='/language'] button").click()
        p.wait_for_load_state()
        html = p.locator("html")
        assert html.get_attribute("lang") == locale.replace("_", "-")
        assert html.get_attribute("dir") == ("rtl" if locale == "ar" else "ltr")
        expected = catalog(locale).get("Standups", "Standups")
        assert p.get_by_role("link", name=expected, exact=True).count() == 1
        page.shot(f"12-team-{locale}")
    for path, name in (("/standups", "13-standups-member"), ("/coffee", "14-coffee-member"),
                       ("/meetings", "15-meetings-member"), ("/holidays", "16-holidays-member")):
        visit(page, path, name)


def test_sign_in_with_slack(page: Watched, live: Live) -> None:
    p = page.page
    p.goto("/signin")
    p.get_by_role("link", name="Sign in with Slack").click()
    p.wait_for_url("**/team")
    assert "Acme on Slack" in p.locator(".brand").inner_text()
    assert p.get_by_role("link", name="Settings").count() == 1       # users.info says U1 is an admin
    check_accessibility(page, "slack-team")
    page.shot("17-slack-team")
    assert [c.method for c in live.slack.calls if c.method.startswith("openid")] == ["openid.connect.token"]


def test_sign_in_with_discord(page: Watched, live: Live) -> None:
    p = page.page
    p.goto("/signin")
    p.get_by_role("link", name="Sign in with Discord").click()
    p.wait_for_url("**/team")
    assert "Acme on Discord" in p.locator(".brand").inner_text()
    assert p.get_by_role("link", name="Settings").count() == 1       # Manage Server in that guild
    page.shot("18-discord-team")
    p.get_by_role("button", name="Sign out").click()
    p.wait_for_url("**/signin?signed_out=1")
    response = p.goto("/team")
    assert response is not None and "/signin" in p.url
