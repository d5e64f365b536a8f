"""/whois and /profile about: the member's own words, checked, stored and shown safely everywhere."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest
from sqlalchemy import select

from adapters.console.render import render_reply
from bot.core import ActionRequest, Meridian
from bot.i18n import Translator
from bot.models import Member
from bot.people import short_intro
from bot.people.intro import card_summary
from bot.reply import Reply
from tests.conftest import DEFAULT_NOW, plain, shell_as
from tests.support.sections import section

EN = Translator("en")


# --- /whois through the core -------------------------------------------------------------------------------

def test_whois_shows_profile_local_time_and_status(shell, clock) -> None:  # type: ignore[no-untyped-def]
    clock.set(datetime(2026, 3, 27, 10, 0, tzinfo=timezone.utc))   # Friday: weekend in Riyadh
    omar = shell_as(shell.core, "omar")
    for line in ('/profile about name "Omar"', '/profile about pronunciation "OH-mar"', "/profile about pronouns he/him",
                 '/profile about languages "Arabic, English"',
                 '/profile about notes "I prefer written feedback; mornings are for focus."'):
        assert not omar.command(line).error, line
    reply = shell.command("/whois @omar")
    assert reply.title == "Omar (Omar Al-Harbi)"
    now = section(reply, "Now")
    assert now[0].startswith("Omar — Fri 1:00 PM (UTC+03:00, Asia/Riyadh)") and now[0].endswith("weekend")
    assert now[1:] == ["Country: Saudi Arabia", "Works Sun–Thu, 9:00 AM–5:00 PM"]          # in the reader's clock
    assert section(reply, "About") == ["Preferred name: Omar", "Pronunciation: OH-mar", "Pronouns: he/him",
                                       "Languages I speak: Arabic, English"]
    assert section(reply, "How to work with me") == ["I prefer written feedback; mornings are for focus."]


def test_whois_for_someone_who_wrote_nothing(shell) -> None:  # type: ignore[no-untyped-def]
    reply = shell.command("/whois @ravi")
    assert "has not written anything" in reply.text
    assert section(reply, "Now")[1] == "Country: Nepal"


# --- /profile about ------------------------------------------------------------------------------------------

def about_columns(core: Meridian, user: str) -> tuple:
    with core.db.session() as session:
        m = session.scalar(select(Member).where(Member.user_id == user))
        return (m.preferred_name, m.pronunciation, m.pronouns, m.languages, m.about)


def test_profile_about_set_show_and_clear(shell) -> None:  # type: ignore[no-untyped-def]
    shown = shell.command("/profile about")
    assert shown.title == "About you" and "Preferred name: —" in shown.sections[0].lines
    shell.command("/profile about name Ama")
    shell.command("/profile about pronouns she/her")
    shell.command("/profile about notes Mornings   are for   focus")
    assert about_columns(shell.core, "amara") == ("Ama", None, "she/her", None, "Mornings are for focus")
    assert shell.command("/whois").title == "Ama (Amara Okafor)"
    shell.command("/profile about clear pronouns")
    assert about_columns(shell.core, "amara") == ("Ama", None, None, None, "Mornings are for focus")
    shell.command("/profile about clear")
    assert about_columns(shell.core, "amara") == (None,) * 5


@pytest.mark.parametrize("line, fragment", [
    ("/profile about pronouns " + "x" * 51, "at most 50 characters"),
    ("/profile about name " + "y" * 101, "at most 100 characters"),
    ("/profile about notes " + "z " * 600, "at most 1,000 characters"),
    ("/profile about notes", "Write the text after the command"),
    ("/profile about favourite-food pizza", "Unknown part"),
    ("/profile about clear everything", "Clear everything with"),
])
def test_profile_about_rejects_bad_input_and_changes_nothing(shell, line: str, fragment: str) -> None:  # type: ignore[no-untyped-def]
    shell.command("/profile about name Ama")
    before = about_columns(shell.core, "amara")
    reply = shell.command(line)
    assert reply.error and fragment in reply.text
    assert about_columns(shell.core, "amara") == before


def test_profile_about_form_saves_all_fields_or_none(shell) -> None:  # type: ignore[no-untyped-def]
    shell.command("/profile about pronouns she/her")
    form = shell.command("/profile about edit").form
    assert form is not None and [f.name for f in form.fields] == ["name", "pronunciation", "pronouns", "languages", "notes"]
    assert [f.value for f in form.fields if f.name == "pronouns"] == ["she/her"]
    submit = lambda fields: shell.core.handle_action(ActionRequest(shell.who, form.action, form.value, fields))  # noqa: E731
    bad = submit({"name": "Ama", "pronouns": "p" * 51})
    assert bad.error and about_columns(shell.core, "amara")[:3] == (None, None, "she/her")
    ok = submit({"name": "Ama\nApproved by HR", "pronouns": "", "notes": "Line one\n\n\n\nLine two"})
    assert not ok.error
    assert about_columns(shell.core, "amara") == ("Ama Approved by HR", None, None, None, "Line one\n\nLine two")


# --- the short forms other features use ----------------------------------------------------------------------

def test_short_intro_has_time_country_week_name_and_one_line_of_notes(shell, clock) -> None:  # type: ignore[no-untyped-def]
    omar = shell_as(shell.core, "omar")
    omar.command('/profile about pronunciation "OH-mar"')
    omar.command("/profile about pronouns he/him")
    shell.core.handle_action(ActionRequest(omar.who, "culture.about", "",
                                           {"notes": "Written feedback, please.\nSecond line stays out."}))
    with shell.core.db.session() as session:
        member = session.scalar(select(Member).where(Member.user_id == "omar"))
        lines = [plain(line) for line in short_intro(EN, member, DEFAULT_NOW)]
    assert lines == [
        "Omar Al-Harbi (say “OH-mar”; he/him)",
        "Wed 3:00 PM (UTC+03:00) · Saudi Arabia · working · works Sun–Thu",
        "How to work with me: Written feedback, please.",
    ]


def test_card_summary_mentions_a_close_public_holiday(demo: Meridian, clock) -> None:  # type: ignore[no-untyped-def]
    with demo.db.session() as session:
        ravi = session.scalar(select(Member).where(Member.user_id == "ravi"))
        summary = plain(card_summary(EN, ravi, DEFAULT_NOW))
    assert summary.startswith("Wed 5:45 PM (UTC+05:45) · Nepal · working")
    assert "next public holiday Fri, Mar 27: Ram Navami" in summary


# --- member text is shown safely -----------------------------------------------------------------------------

HOSTILE = "@everyone @here <!channel> <@U123> *bold* `code` ```fence``` \u202egnp.exe\u202c <b>x</b>"


def _assert_neutralised(text: str) -> None:
    assert "@everyone" not in text and "@here" not in text
    assert "<!channel>" not in text and "<@U123>" not in text
    assert "\u202e" not in text and "\u202c" not in text


def test_member_text_is_neutralised_in_every_view(shell) -> None:  # type: ignore[no-untyped-def]
    sam = shell_as(shell.core, "sam")
    fields = {"name": "@here Sam", "pronunciation": "<!channel>", "pronouns": "<@U123>", "languages": HOSTILE,
              "notes": HOSTILE + "\n" + HOSTILE}
    assert not shell.core.handle_action(ActionRequest(sam.who, "culture.about", "", fields)).error
    views = [shell.command("/whois @sam"), sam.command("/profile about"), shell.command("/time @sam"),
             shell.command("/culture @sam")]
    with shell.core.db.session() as session:
        member = session.scalar(select(Member).where(Member.user_id == "sam"))
        intro = "\n".join(short_intro(EN, member, DEFAULT_NOW))
    for text in [v.as_text() for v in views] + [render_reply(v) for v in views] + [intro]:
        _assert_neutralised(text)
    whois = shell.command("/whois @sam")
    notes = section(whois, "How to work with me")
    assert len(notes) == 2                                   # one section line per line typed, none injected
    # Markup stays literal text in the platform-neutral reply; each adapter escapes it for its syntax.
    assert "*bold* `code` ```fence```" in notes[0] and "<b>x</b>" in notes[0]
    assert all("\n" not in line for s in whois.sections for line in s.lines)


def test_forget_me_deletes_profile_text(shell) -> None:  # type: ignore[no-untyped-def]
    sam = shell_as(shell.core, "sam")
    sam.command('/profile about notes "Call me after lunch"')
    sam.command("/profile about pronouns they/them")
    asked = sam.command("/forget-me")
    assert not asked.error and asked.buttons
    assert about_columns(shell.core, "sam")[4] == "Call me after lunch"      # nothing deleted before confirming
    button = asked.buttons[0]
    someone_else = shell.core.handle_action(ActionRequest(shell.who, button.action, button.value))
    assert someone_else.error and about_columns(shell.core, "sam")[4] == "Call me after lunch"
    done = sam.press(1)
    assert not done.error
    with shell.core.db.session() as session:
        assert session.scalar(select(Member).where(Member.user_id == "sam")) is None
    assert "Call me after lunch" not in shell.command("/whois @sam").as_text()


def _hostile_whois(shell) -> Reply:  # type: ignore[no-untyped-def]
    sam = shell_as(shell.core, "sam")
    fields = {"name": "@everyone Sam", "pronouns": "<@U123>", "notes": HOSTILE}
    assert not shell.core.handle_action(ActionRequest(sam.who, "culture.about", "", fields)).error
    return shell.command("/whois @sam")


def test_member_text_through_the_slack_renderer(shell) -> None:  # type: ignore[no-untyped-def]
    blocks = pytest.importorskip("adapters.slack.blocks")
    payload = json.dumps(blocks.message(_hostile_whois(shell)), ensure_ascii=False)
    _assert_neutralised(payload)
    assert "<!" not in payload and "<@" not in payload and "<b>" not in payload   # no broadcast, mention or tag


def test_member_text_through_the_discord_renderer(shell) -> None:  # type: ignore[no-untyped-def]
    render = pytest.importorskip("adapters.discord.render")
    rendered = render.render(_hostile_whois(shell))
    embed = rendered.embeds[0]
    shown = "\n".join([embed.title or ""] + [f"{f.name}\n{f.value}" for f in embed.fields])
    _assert_neutralised(shown)
    notes = [f.value for f in embed.fields if f.name == "How to work with me"][0]
    assert "\\*bold\\*" in notes and "\\`code\\`" in notes        # markdown shown literally, not applied
    assert rendered.send_kwargs()["allowed_mentions"].everyone is False
