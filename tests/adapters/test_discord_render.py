"""Rendering replies for Discord: escaping, pills, Discord's limits, images, forms and custom ids."""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

from adapters.discord import ids, render
from adapters.limits import LimitExceeded, lenient
from bot.reply import Button, Form, FormField, Reply, Section


def test_markdown_is_shown_literally_and_ids_become_silent_pills() -> None:
    shown = render.markdown("**not bold** _nor this_ `code` for @123456789012345678 in #223456789012345678 #general")
    assert shown.startswith("\\*\\*not bold\\*\\* \\_nor this\\_ \\`code\\`")
    assert "<@123456789012345678>" in shown and "<#223456789012345678>" in shown and "#general" in shown
    assert render.render(Reply(text="@everyone")).send_kwargs()["allowed_mentions"].to_dict() == {"parse": []}


def test_right_to_left_lines_are_marked() -> None:
    assert render.markdown("سلام\nمرحبا", rtl=True) == "\u200fسلام\n\u200fمرحبا"


def test_discord_limits_are_respected_without_losing_the_start() -> None:
    reply = Reply(title="T" * 300, text="x" * 5000, sections=[Section(f"s{n}", ("line",) * 2) for n in range(30)])
    with pytest.raises(LimitExceeded):
        render.render(reply)
    with lenient():
        embed = render.render(reply).embeds[0]
    assert len(embed.title or "") == 256 and (embed.title or "").endswith("…")
    assert len(embed.description or "") == 4096
    assert len(embed.fields) == 25 and embed.fields[0].name == "s0"


def test_an_embed_over_six_thousand_characters_is_reported() -> None:
    reply = Reply(text="x" * 4000, sections=[Section("s", ("y" * 1000,)), Section("t", ("z" * 1000,))])
    with pytest.raises(LimitExceeded, match="characters of an embed"):
        render.render(reply)


def test_a_stated_moment_gets_a_timestamp_each_reader_sees_in_their_zone() -> None:
    moment = datetime(2026, 3, 25, 15, 0, tzinfo=timezone.utc)
    embed = render.render(Reply(title="3:00 PM in Europe/London", text="…", instant=moment)).embeds[0]
    assert (embed.description or "").startswith(f"🕒 <t:{int(moment.timestamp())}:F> (<t:{int(moment.timestamp())}:R>)")


def test_an_image_is_attached_and_shown_in_the_embed(tmp_path: Path) -> None:
    chart = tmp_path / "overlap.png"
    chart.write_bytes(b"\x89PNG\r\n\x1a\n")
    rendered = render.render(Reply(text="Overlap", image=chart, image_alt="Working hours overlap"))
    assert rendered.embeds[0].image.url == "attachment://overlap.png"
    first, second = rendered.send_kwargs()["file"], rendered.send_kwargs()["file"]
    assert first is not second and first.filename == "overlap.png"      # a fresh stream for every send


def test_headline_puts_the_title_in_the_notification_text() -> None:
    rendered = render.render(Reply(title="Standup *today*", text="Answer when you can"), headline=True)
    assert rendered.content == "**Standup \\*today\\***" and rendered.embeds[0].title is None


def test_buttons_carry_action_guild_and_value_and_overlong_ones_are_dropped() -> None:
    rendered = render.render(Reply(text="Met?", buttons=[Button("Yes", "coffee.met", "round-3", "primary"),
                                                         Button("Too long", "coffee.met", "v" * 100)]), guild_id=42)
    (button,) = rendered.buttons
    assert button.custom_id == "coffee.met|42|round-3" and button.style.name == "primary"
    assert ids.decode(button.custom_id) == ids.Target("coffee.met", "42", "round-3")
    assert ids.decode("not ours") is None and ids.decode("a|guild|b") is None


def test_a_form_becomes_a_modal_and_a_too_large_one_is_refused() -> None:
    fields = tuple(FormField(f"f{n}", f"Question {n}", multiline=n == 0, required=n < 2) for n in range(3))
    window = render.modal(Form("standup.answer", "Standup for Wednesday, March 25, 2026, in #general", fields, "7"), 42)
    assert len(window.title) == 45 and window.custom_id == "standup.answer|42|7"
    assert [(i.custom_id, i.style.name, i.required) for i in window.children] == [  # type: ignore[attr-defined]
        ("f0", "paragraph", True), ("f1", "short", True), ("f2", "short", False)]
    with pytest.raises(ValueError):
        render.modal(Form("x", "Too many", tuple(FormField(f"f{n}", "q") for n in range(6))), 42)


def test_submitted_fields_are_read_from_rows_and_labels() -> None:
    data = {"custom_id": "x|1|", "components": [
        {"type": 1, "components": [{"type": 4, "custom_id": "yesterday", "value": "shipped"}]},
        {"type": 18, "component": {"type": 4, "custom_id": "today", "value": "reviews"}}]}
    assert render.submitted_fields(data) == {"yesterday": "shipped", "today": "reviews"}
