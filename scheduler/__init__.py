"""Recurring rituals on a clock: what is due is stored, claimed and recorded in the database.

Imports `bot/`; `bot/` never imports this package.
"""
