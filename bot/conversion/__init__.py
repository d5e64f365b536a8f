"""Conversion: finding the clock times people write in chat and reading each as an instant (issue #20).

The pure core is `detect_times(text, *, zone, locale, at) -> list[DetectedTime]`; `meridian detect-times`
(`cli_contract.run`) is its public contract in JSON lines. The platform features (a quiet thread reply in
Slack, Discord's `<t:…>` markup, `/convert` in the shell) build on it. See docs/CONVERSION.md.
"""
from bot.conversion.detect import detect_times
from bot.conversion.read import DetectedTime

__all__ = ["DetectedTime", "detect_times"]
