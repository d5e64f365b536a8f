"""The about form: everything colleagues see about a member, edited at once and saved all or nothing.

The action id stays "culture.about" (where the form began): adapters and open forms send it back.
"""
from __future__ import annotations

from bot.i18n import N_
from bot.people.about import ABOUT_FIELDS, FIELDS_BY_KEY, checked
from bot.people.messages import about_reply
from bot.reply import Form, FormField, Reply
from bot.router import Args, Context, action, command


@command("profile about edit", N_("Edit everything colleagues see about you in one form"))
def about_edit(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    fields = tuple(FormField(name=f.key, label=tr._(f.label), value=getattr(ctx.member, f.column) or "",
                             multiline=f.multiline, required=False, max_length=f.limit) for f in ABOUT_FIELDS)
    return Reply(text=tr._("What would you like colleagues to know?"),
                 form=Form(action="culture.about", title=tr._("About you"), fields=fields, submit_label=tr._("Save")))


@action("culture.about")
def about_submit(ctx: Context, value: str, fields: dict[str, str]) -> Reply:
    """Every field is checked before any is saved: one bad field changes nothing."""
    tr = ctx.tr
    values = {key: checked(tr, FIELDS_BY_KEY[key], text) for key, text in fields.items() if key in FIELDS_BY_KEY}
    for key, text in values.items():
        setattr(ctx.member, FIELDS_BY_KEY[key].column, text or None)
    return about_reply(tr, ctx.member, tr._("Saved."))
