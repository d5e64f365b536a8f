"""People: what a member keeps about themselves and what colleagues see of them.

Their settings (/profile: country, subdivision, hours, days, language, reminder lead time), their own words
(/profile about: preferred name, pronunciation, pronouns, languages, notes), their time off (/away),
a colleague's card (/whois) and /help. The words are theirs: checked, tidied and always shown safely.

Other features use the short forms: `short_intro` (coffee intros), `profile_summary` (meeting
reminders) and `profile_lines` (/home).
"""
from bot.people.about import profile_summary
from bot.people.intro import short_intro
from bot.people.profile import profile_lines

__all__ = ["profile_lines", "profile_summary", "short_intro"]
