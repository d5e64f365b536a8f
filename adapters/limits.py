"""What a renderer does when a reply is bigger than its platform allows: never cut silently.

Each renderer (adapters/slack/blocks.py, adapters/discord/render.py) still keeps a message sendable
in production (a cut message beats an HTTP 400 and no message), but it reports every cut here. The
features are responsible for fitting (they summarise, page or split); a cut is their bug. Tests turn
on `strict`, so any reply that would be cut fails the test that produced it instead of shipping.
"""
from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator

log = logging.getLogger(__name__)

_strict = False


class LimitExceeded(ValueError):
    """A reply does not fit a platform limit; raised only in strict mode (tests)."""


def set_strict(on: bool) -> None:
    """Strict mode raises LimitExceeded instead of logging and cutting. tests/conftest.py turns it on."""
    global _strict
    _strict = on


def is_strict() -> bool:
    return _strict


@contextmanager
def lenient() -> Iterator[None]:
    """Within this block renderers cut and log again: for tests of the production safety net itself."""
    before = _strict
    set_strict(False)
    try:
        yield
    finally:
        set_strict(before)


def overflow(platform: str, what: str, size: int, limit: int) -> None:
    """Report that `what` (size `size`) exceeds `limit` on `platform`: raise in strict mode, else log."""
    message = f"{platform}: {what} is {size}, the limit is {limit}; the feature must summarise, page or split"
    if _strict:
        raise LimitExceeded(message)
    log.error(message)
