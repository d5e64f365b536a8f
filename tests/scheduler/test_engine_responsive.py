"""Planning a large workspace must not freeze the process: Slack, Discord and /healthz share its event loop."""
from __future__ import annotations

import asyncio

from bot.time.clock import SimulatedClock
from bot.core import Meridian
from bot.teamfile import apply_plan, parse_toml
from scheduler.engine import Engine

from adapters.console.sender import ConsoleSender


def big_team(size: int) -> str:
    zones = ["Europe/Berlin", "Asia/Tokyo", "America/Sao_Paulo", "Asia/Kolkata", "Africa/Lagos"]
    countries = ["DE", "JP", "BR", "IN", "NG"]
    members = "\n".join(f'[[members]]\nid = "m{i}"\ntz = "{zones[i % 5]}"\ncountry = "{countries[i % 5]}"\n'
                        for i in range(size))
    return f'[workspace]\nname = "Big"\nchannel = "general"\n\n{members}\n[standup]\nchannel = "general"\n'


async def test_the_event_loop_keeps_running_while_a_workspace_is_planned(core: Meridian, clock: SimulatedClock) -> None:
    with core.db.session() as session:
        apply_plan(session, parse_toml(big_team(150)), "console", "big")
    engine = Engine(core.db, clock, {"console": ConsoleSender()}, settings=core.settings, replica_id="t")
    beats = 0

    async def heartbeat() -> None:
        nonlocal beats
        while True:
            beats += 1
            await asyncio.sleep(0)

    task = asyncio.create_task(heartbeat())
    await asyncio.sleep(0)
    before = beats
    result = await engine.tick()
    task.cancel()
    assert result.replanned >= 1
    assert beats > before + 1, "the tick blocked the event loop while planning"
