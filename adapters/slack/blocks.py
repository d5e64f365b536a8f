"""Rendering platform-neutral replies as Slack Block Kit: messages, modals and the App Home tab.

Pure functions of a Reply (no network, no clock), so every limit Slack enforces on blocks is
respected here and unit-tested: 3000 characters per section, 150 per header, 75 per button
label, 24 per modal title, 25 buttons per actions block, 50 blocks per message (100 in views),
40,000 characters per message. Content that does not fit is reported through adapters.limits
(an error in tests): the features summarise, page or split; this layer never cuts silently.
The core's text is plain; `&`, `<` and `>` are escaped so nothing in it becomes a Slack mention,
link or broadcast.
"""
from __future__ import annotations

import json
from typing import Any, Iterable

from adapters.limits import overflow
from bot.reply import Button, Form, Reply

Block = dict[str, Any]

RTL_MARK = "\u200f"
SECTION_LIMIT = 3000
FALLBACK_LIMIT = 3000
MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_CHARACTERS = 40_000
HEADER_LIMIT = 150
SECTION_TITLE_LIMIT = 200
BUTTON_LABEL_LIMIT = 75
BUTTON_VALUE_LIMIT = 2000
BUTTONS_PER_ACTIONS = 25
FORM_VALUE_ACTION = "value"       # action_id of each modal input; the block_id is the field name
_ACTION_SEPARATOR = "|"


def escape(text: str) -> str:
    """Slack's three control characters, as Slack asks: everything else is shown as typed."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fit(text: str, limit: int, what: str) -> str:
    """`text` cut to `limit`, reporting the cut (adapters.limits): content a reader would lose."""
    if len(text) > limit:
        overflow("slack", what, len(text), limit)
    return clip(text, limit)


def _plain(text: str, limit: int, what: str = "") -> dict[str, Any]:
    """A plain_text object; with `what`, a cut is reported, without it the cut is by design (modal titles)."""
    return {"type": "plain_text", "text": (fit(text, limit, what) if what else clip(text, limit)) or " ", "emoji": True}


def _rtl(text: str, rtl: bool) -> str:
    return "\n".join(RTL_MARK + line for line in text.split("\n")) if rtl else text


def _chunks(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Split at line breaks so each piece fits a section; a single over-long line is cut."""
    pieces: list[str] = []
    current = ""
    for line in text.split("\n"):
        line = fit(line, limit, "a line of a section")
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            pieces.append(current)
            current = line
        else:
            current = candidate
    if current.strip():
        pieces.append(current)
    return pieces


def _sections(text: str, rtl: bool) -> list[Block]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": chunk}}
            for chunk in _chunks(escape(_rtl(text, rtl)))]


def action_id(button: Button, index: int) -> str:
    """Unique within a message (Slack's rule) while carrying the core's action name."""
    return f"{button.action}{_ACTION_SEPARATOR}{index}"


def action_name(slack_action_id: str) -> str:
    return slack_action_id.rsplit(_ACTION_SEPARATOR, 1)[0]


def _buttons(buttons: list[Button]) -> list[Block]:
    elements = []
    for index, button in enumerate(buttons):
        element: Block = {"type": "button", "text": _plain(button.label, BUTTON_LABEL_LIMIT, "a button label"),
                          "action_id": action_id(button, index)}
        if button.value:
            element["value"] = fit(button.value, BUTTON_VALUE_LIMIT, "a button value")
        if button.style in ("primary", "danger"):
            element["style"] = button.style
        elements.append(element)
    return [{"type": "actions", "elements": elements[i:i + BUTTONS_PER_ACTIONS]}
            for i in range(0, len(elements), BUTTONS_PER_ACTIONS)]


def reply_blocks(reply: Reply, *, limit: int = MESSAGE_BLOCKS) -> list[Block]:
    """A reply as blocks: header, text, an instant every reader sees in their own zone, sections, buttons."""
    blocks: list[Block] = []
    if reply.title:
        blocks.append({"type": "header", "text": _plain(_rtl(reply.title, reply.rtl), HEADER_LIMIT, "the title")})
    if reply.text:
        text = ("⚠️ " + reply.text) if reply.error else reply.text
        blocks.extend(_sections(text, reply.rtl))
    if reply.instant is not None:
        stamp = int(reply.instant.timestamp())
        fallback = reply.instant.strftime("%Y-%m-%d %H:%M UTC")  # shown only by clients that cannot localise
        blocks.append({"type": "context", "elements": [
            {"type": "mrkdwn", "text": f"🕒 <!date^{stamp}^{{date_long_pretty}} {{time}}|{fallback}>"}]})
    for section in reply.sections:
        if section.title:
            blocks.append({"type": "section", "text": {"type": "mrkdwn",
                                                       "text": "*" + escape(fit(_rtl(section.title, reply.rtl), SECTION_TITLE_LIMIT, "a section title")) + "*"}})
        if section.lines:
            blocks.extend(_sections("\n".join(section.lines), reply.rtl))
    actions = _buttons(reply.buttons)
    room = limit - len(actions)
    if len(blocks) > room:  # keep the buttons: they are what the reader must act on
        overflow("slack", "the number of blocks", len(blocks) + len(actions), limit)
        blocks = blocks[: room - 1] + [{"type": "context", "elements": [{"type": "mrkdwn", "text": "…"}]}]
    characters = sum(len(b["text"]["text"]) for b in blocks if isinstance(b.get("text"), dict))
    if characters > MESSAGE_CHARACTERS:
        overflow("slack", "the characters of a message", characters, MESSAGE_CHARACTERS)
    return blocks + actions


def fallback_text(reply: Reply) -> str:
    """The notification text (and what clients without Block Kit show)."""
    text = reply.as_text()
    if reply.error:
        text = "⚠️ " + text
    return clip(escape(text), FALLBACK_LIMIT)


def message(reply: Reply) -> dict[str, Any]:
    """Arguments for chat.postMessage / chat.update / response_url."""
    return {"text": fallback_text(reply), "blocks": reply_blocks(reply)}


def modal(form: Form, *, private_metadata: str, submit_default: str) -> dict[str, Any]:
    """A Form as a modal view; each field is an input block whose block_id is the field name.

    Slack cuts modal titles at 24 characters, so a longer title is also shown in full above the fields.
    """
    blocks: list[Block] = []
    if len(form.title) > 24:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": "*" + escape(clip(form.title, 2000)) + "*"}})
    for field in form.fields:
        element: Block = {"type": "plain_text_input", "action_id": FORM_VALUE_ACTION, "multiline": field.multiline,
                          "max_length": max(1, min(field.max_length, 3000))}
        if field.value:
            element["initial_value"] = fit(field.value, element["max_length"], "a form field's value")
        blocks.append({"type": "input", "block_id": field.name, "optional": not field.required,
                       "label": _plain(field.label, 2000, "a form field's label"), "element": element})
    return {"type": "modal", "callback_id": form.action, "title": _plain(form.title, 24),
            "submit": _plain(form.submit_label or submit_default, 24),
            "private_metadata": fit(private_metadata, 3000, "a modal's private metadata"), "blocks": _capped(blocks)}


def form_values(view_state: dict[str, Any]) -> dict[str, str]:
    """The fields of a view_submission, by field name ("" for an empty optional field)."""
    values: dict[str, str] = {}
    for block_id, actions in (view_state.get("values") or {}).items():
        element = actions.get(FORM_VALUE_ACTION) or next(iter(actions.values()), {})
        values[block_id] = element.get("value") or ""
    return values


def home(replies: Iterable[Reply]) -> dict[str, Any]:
    """The App Home tab: several replies one after another, separated by dividers."""
    blocks: list[Block] = []
    for reply in replies:
        if blocks:
            blocks.append({"type": "divider"})
        blocks.extend(reply_blocks(reply, limit=VIEW_BLOCKS))
    return {"type": "home", "blocks": _capped(blocks)}


def _capped(blocks: list[Block]) -> list[Block]:
    """A view's blocks within Slack's 100, reporting any that had to go."""
    if len(blocks) > VIEW_BLOCKS:
        overflow("slack", "the number of blocks in a view", len(blocks), VIEW_BLOCKS)
    return blocks[:VIEW_BLOCKS]


def metadata(kind: str, dedupe_key: str) -> dict[str, Any]:
    """Message metadata that lets the sender find a message again by its dedupe key (was_delivered)."""
    return {"event_type": "meridian_message", "event_payload": {"dedupe_key": dedupe_key, "kind": kind}}


def encode_private(data: dict[str, str]) -> str:
    return json.dumps(data, separators=(",", ":"))


def decode_private(text: str) -> dict[str, str]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}
