"""Which workspace a Slack request acts on: one answer for every listener of the Slack adapter."""
from __future__ import annotations

from slack_bolt.context.async_context import AsyncBoltContext


def installed_team(context: AsyncBoltContext) -> str:
    """The workspace a request acts on: the one Bolt authorised, whose token answers it. In Slack Connect
    a payload's `team` can be the *source* team; Bolt prefers `view.app_installed_team_id` and an event's
    `authorizations[0].team_id` (`slack_bolt.request.internals.extract_team_id`), so reading it from
    Bolt's context keeps the token and the rows of one workspace together."""
    return context.team_id or ""
