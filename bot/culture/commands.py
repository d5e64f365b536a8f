"""/culture: the facts card for a country, by code, by name in the reader's language, or for a member."""
from __future__ import annotations

from bot.culture.cards import culture_card
from bot.culture.facts import find_country
from bot.i18n import N_
from bot.reply import Reply
from bot.router import Args, Context, UserError, command
from bot.text import one_line
from bot.time import country_of_zone


@command("culture", N_("Facts about a country: local time, working week, holidays, languages, formats"),
         "<country | code | @member>")
def culture(ctx: Context, args: Args) -> Reply:
    tr = ctx.tr
    if not args:
        raise UserError(tr._("Which country? For example: /culture Japan, /culture SA or /culture @member."))
    if args.mentions:
        if len(args) != 1:
            raise UserError(tr._("Give one country or one @member, for example: /culture @member."))
        person = ctx.find_member(args[0])
        country = person.country or (country_of_zone(person.tz) if person.tz_source != "default" else None)
        if not country:
            raise UserError(tr._("{name} has not set a country yet (/profile country).",
                                 name=one_line(person.display_name, 80)))
        return culture_card(tr, country, ctx.now(), person=person)
    wanted = args.rest()
    country = find_country(tr, wanted)
    if country is None:
        raise UserError(tr._("I don't know the country “{text}”. Use a two-letter code like JP or a name like {example}.",
                             text=one_line(wanted, 40), example=tr.country_name("JP")))
    return culture_card(tr, country, ctx.now())
