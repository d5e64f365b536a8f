"""Block Kit rendering: pure functions, so Slack's limits and escaping are checked without a network."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from adapters.limits import LimitExceeded, lenient
from adapters.slack import blocks
from bot.reply import Button, Form, FormField, Reply, Section


def test_a_reply_becomes_header_text_sections_and_buttons() -> None:
    reply = Reply(title="Team clock", text="2 working", sections=[Section("Lagos", ("Amara — 9:00",))],
                  buttons=[Button("Yes, we met", "coffee.met", "7", "primary"), Button("Not yet", "coffee.not_met", "7")])
    rendered = blocks.reply_blocks(reply)
    assert [b["type"] for b in rendered] == ["header", "section", "section", "section", "actions"]
    assert rendered[0]["text"] == {"type": "plain_text", "text": "Team clock", "emoji": True}
    assert rendered[2]["text"]["text"] == "*Lagos*"
    yes, no = rendered[-1]["elements"]
    assert (yes["action_id"], yes["value"], yes["style"]) == ("coffee.met|0", "7", "primary")
    assert no["action_id"] == "coffee.not_met|1" and "style" not in no
    assert blocks.action_name(yes["action_id"]) == "coffee.met"


def test_control_characters_of_slack_are_escaped_everywhere_text_is_mrkdwn() -> None:
    reply = Reply(text="a < b & c > d <!here> <@U1>", sections=[Section("<#C1>", ("<https://evil|x>",))])
    payload = str(blocks.message(reply))
    assert "<!here>" not in payload and "<@U1>" not in payload and "<#C1>" not in payload and "<https" not in payload
    assert blocks.reply_blocks(reply)[0]["text"]["text"] == "a &lt; b &amp; c &gt; d &lt;!here&gt; &lt;@U1&gt;"


def test_long_text_is_split_into_sections_within_slack_limits() -> None:
    lines = [f"line {n} " + "x" * 90 for n in range(100)]          # ~10 000 characters
    with pytest.raises(LimitExceeded, match="title"):
        blocks.reply_blocks(Reply(title="T" * 400))
    with lenient():
        rendered = blocks.reply_blocks(Reply(title="T" * 400, text="\n".join(lines)))
    assert len(rendered[0]["text"]["text"]) == 150
    sections = [b["text"]["text"] for b in rendered[1:]]
    assert all(len(s) <= 3000 for s in sections) and "\n".join(sections) == "\n".join(lines)
    assert len(blocks.fallback_text(Reply(text="y" * 10_000))) <= 3000


def test_too_many_blocks_fail_in_tests_and_in_production_keep_the_buttons() -> None:
    reply = Reply(sections=[Section(f"s{n}", (f"line {n}",)) for n in range(80)], buttons=[Button("OK", "x.ok")])
    with pytest.raises(LimitExceeded, match="blocks"):
        blocks.reply_blocks(reply)
    with lenient():
        rendered = blocks.reply_blocks(reply)
    assert len(rendered) == blocks.MESSAGE_BLOCKS and rendered[-1]["type"] == "actions"
    assert rendered[-2] == {"type": "context", "elements": [{"type": "mrkdwn", "text": "…"}]}
    many = blocks.reply_blocks(Reply(buttons=[Button(str(n), "x.n", str(n)) for n in range(30)]))
    assert [len(b["elements"]) for b in many] == [25, 5]


def test_a_message_over_forty_thousand_characters_is_reported() -> None:
    lines = "\n".join("x" * 2900 for _ in range(14))                 # 14 sections, 40 600 characters
    with pytest.raises(LimitExceeded, match="characters of a message"):
        blocks.reply_blocks(Reply(text=lines))


def test_an_instant_is_shown_in_each_readers_own_zone() -> None:
    reply = Reply(text="Design review", instant=datetime(2026, 3, 25, 14, 0, tzinfo=timezone.utc))
    [_, context] = blocks.reply_blocks(reply)
    assert "<!date^1774447200^{date_long_pretty} {time}|2026-03-25 14:00 UTC>" in context["elements"][0]["text"]


def test_errors_and_right_to_left_text_are_marked() -> None:
    assert blocks.reply_blocks(Reply(text="No.", error=True))[0]["text"]["text"] == "⚠️ No."
    rtl = blocks.reply_blocks(Reply(text="مرحبا\nعالم", rtl=True))[0]["text"]["text"]
    assert rtl == "\u200fمرحبا\n\u200fعالم"


def test_a_form_becomes_a_modal_and_its_submission_becomes_fields() -> None:
    form = Form("standup.answer", "Standup · Wednesday, March 25, 2026",
                (FormField("q1", "Yesterday?", value="Reviews", multiline=True),
                 FormField("q2", "Blockers?", required=False, max_length=10_000)), value="standup:3:2026-03-25")
    view = blocks.modal(form, private_metadata=blocks.encode_private({"v": form.value}), submit_default="Submit")
    assert view["callback_id"] == "standup.answer" and view["submit"]["text"] == "Submit"
    assert len(view["title"]["text"]) == 24 and "Wednesday, March 25, 2026" in view["blocks"][0]["text"]["text"]
    q1, q2 = view["blocks"][1:]
    assert (q1["block_id"], q1["optional"], q1["element"]["multiline"], q1["element"]["initial_value"]) == \
        ("q1", False, True, "Reviews")
    assert q2["optional"] is True and q2["element"]["max_length"] == 3000
    assert blocks.decode_private(view["private_metadata"]) == {"v": "standup:3:2026-03-25"}
    state = {"values": {"q1": {"value": {"type": "plain_text_input", "value": "Done"}},
                        "q2": {"value": {"type": "plain_text_input", "value": None}}}}
    assert blocks.form_values(state) == {"q1": "Done", "q2": ""}
    assert blocks.decode_private("not json") == {} and blocks.decode_private("[1]") == {}


def test_the_home_tab_stacks_replies_with_dividers() -> None:
    view = blocks.home([Reply(title="Profile", text="UTC"), Reply(title="Clock", text="9:00")])
    assert view["type"] == "home"
    assert [b["type"] for b in view["blocks"]] == ["header", "section", "divider", "header", "section"]
