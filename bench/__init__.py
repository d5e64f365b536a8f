"""Meridian's benchmarks: `python -m bench` (see bench/__main__.py and docs/PERFORMANCE.md).

Each module measures one thing beside a baseline taken in the same run: tick (scheduler claim vs
APScheduler), pairing (a coffee round vs the exact optimum and a random shuffle), ack (slash-command
acknowledgement over HTTP vs bare aiohttp), fanout (1,000 DMs vs the floor Slack's limits impose),
rss (memory of `meridian serve` vs importing the core).
"""
