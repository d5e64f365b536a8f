"""The generic ritual engine: what is due is stored, claimed, delivered and recorded in the database.

Features declare their rituals in bot/ (`bot.rituals`); this package runs any of them, one module per
job: `planner` (the next occurrence per ritual and recipient), `claims` (leases, recovery, release),
`dispatch` (build, send through a `delivery.Sender`, record, conclude), `purge` (uninstalled
workspaces), composed by `engine.Engine.tick()`; `driver` ticks it in a running bot, `simulate` on a
simulated clock. Imports `bot/`; `bot/` never imports this package.
"""
