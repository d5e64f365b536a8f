"""The one error type for time input people typed; `code` picks the plain-language message (bot/router.py)."""
from __future__ import annotations


class TimeError(ValueError):
    """Bad time input. `code` names the problem; `params` fill the user-facing message."""

    def __init__(self, code: str, **params: object) -> None:
        super().__init__(code, params)
        self.code = code
        self.params = params
