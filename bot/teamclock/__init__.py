"""The team clock: everyone's local time and status (/tz, /time, /when) and a picture of the team's day (/time chart).

Other features describe a colleague's moment the same way the clock does: `describe_status` and
`member_line` are the one wording, `time_now` the one team-clock reply (/home shows it), and
`render_team_day` the one picture (/meet find … chart highlights a slot on it).
"""
from bot.teamclock.chart import render_team_day
from bot.teamclock.status import describe_status, member_line, time_now

__all__ = ["describe_status", "member_line", "render_team_day", "time_now"]
