"""The web dashboard and its read-only JSON API, served by `meridian serve` on its HTTP server.

- `app`: the `Dashboard` (routes, pages, settings forms) and `mount(app, core, settings)`, the one hook
  `adapters/serve.py` calls;
- `auth`: browser sessions (a random cookie value, its digest in the database), CSRF tokens, cookies;
- `signin`: Sign in with Slack (OpenID Connect) and with Discord (OAuth2), and the demo's member list;
- `api`: `/api/v1` (bearer tokens an admin creates, a rate limit per token) and its OpenAPI document;
- `charts`: SVG charts (each page shows the same numbers as a table beside them);
- `exports`: the standup CSV;
- `i18n`: the dashboard's own catalogs (`web/locales/*.po`) over the bot's;
- `demo`: the demo team's history for `meridian serve --demo`.

Report queries live in `bot/reports/` (team, standups, coffee, meetings, time_off); every one is scoped to the signed-in workspace.
Templates (Jinja2, autoescaped) and static assets are files in this package: nothing is fetched from
elsewhere at run time and there is no JavaScript build step.
"""
from web.app import Dashboard, create_app, mount

__all__ = ["Dashboard", "create_app", "mount"]
