"""Platform adapters: translate platform events into core calls and core replies into platform messages.

One package per platform (slack/, discord/, console/), each a `base.PlatformAdapter`; `platforms.py`
picks the configured ones from the settings; `common.py` (mentions, command lines) and `pacing.py`
(rate limits) are what the platforms share. Adapters reach the database only through `bot.core.Meridian`;
running the process (the `meridian` command, serve, logs, metrics) is operations/' business.
"""
