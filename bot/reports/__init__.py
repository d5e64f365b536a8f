"""Reports: what Meridian knows, read back for people (the web dashboard and its JSON API).

- `models`: what the dashboard must remember, like `bot/installations.py` does for the chat adapters:
  the settings change log (who changed what, when), signed-in browser sessions and API tokens, each
  row belonging to one workspace;
- `queries`: read-only report queries (team, standups, coffee, meetings, holidays), every one scoped
  to one workspace and computed in the reader's zone through `bot.time`.

Nothing here renders HTML or knows HTTP: `web/` does.
"""
