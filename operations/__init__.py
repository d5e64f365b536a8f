"""Running Meridian: the `meridian` command and what an operator needs around the bot.

The composition root (`cli.py`, `serve.py`) wires settings, database, core, scheduler and the configured
platform adapters; the rest serves the operator: logs without secrets, Prometheus metrics, `doctor`,
`db copy`, data export and purge, and `simulate`. Nothing in bot/, scheduler/ or adapters/ imports it.
"""
