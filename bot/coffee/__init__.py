"""Coffee: cross-region pairing, so people who never share a meeting still get to know each other.

On the configured weekday (weekly, fortnightly or monthly) every opted-in member who is available
that week is put in a pair (or a trio) with someone they share enough working hours with, preferably
someone new from another part of the world; the group gets an intro DM in a member's morning and a
"did you meet?" follow-up half-way through the round.

Jobs: `models` (tables), `settings` (the workspace's settings and who takes part), `commands`,
`admin` and `actions` (/coffee, /coffee config, the follow-up's buttons), `teamfile` ([coffee]),
`timing` (when a round falls and when its messages go out), `rounds` (running a round on the
database), `messages` (what coffee says), `rituals` (the round, intro and follow-up rituals); and the
pure algorithms on plain data: `plan` (the round planner), `matching` (maximum-weight matching),
`regions` (cross-region) and `windows` (shared working windows).

Other code imports the planner's plain-data API from here; the rest stays inside the package.
"""
from bot.coffee.plan import Candidate, plan_round
from bot.coffee.regions import region_of
from bot.coffee.windows import shared_time, shared_windows, weekly_windows

__all__ = ["Candidate", "plan_round", "region_of", "shared_time", "shared_windows", "weekly_windows"]
