"""The shell: lines that are not commands are said in its channel, and conversions happen under them."""
from __future__ import annotations

import io

from adapters.console.shell import ConsoleShell
from tests.conftest import plain


def run(shell: ConsoleShell, lines: str) -> str:
    out = io.StringIO()
    shell.out = out
    shell.run(io.StringIO(lines))
    return plain(out.getvalue())


def test_saying_a_time_in_the_demo_channel_shows_it_in_every_zone(shell: ConsoleShell) -> None:
    out = run(shell, "let's sync at 3pm CET tomorrow\nhello everyone\n")
    assert out.startswith("↳ In this channel's time zones:\n3pm CET tomorrow\n")
    assert "3:00 PM · Berlin and Lagos" in out and "Auckland" in out       # all ten zones, nine lines
    assert out.count("↳") == 1                                              # "hello everyone" gets nothing


def test_after_convert_off_the_channel_never_sees_a_conversion(shell: ConsoleShell) -> None:
    out = run(shell, "/convert off\nlet's sync at 3pm CET tomorrow\n/convert status\n")
    assert "↳" not in out and "Time conversion is off in this channel. Turn it on with /convert on." in out


def test_convert_shows_the_reading_to_the_asker(shell: ConsoleShell) -> None:
    out = run(shell, "/convert call at 9am PT on friday, or 3pm IST\n")
    assert "In your time zone (Lagos):" in out and "9am PT on friday → Fri" in out
    assert "3pm IST → not converted: that zone abbreviation means several zones" in out
