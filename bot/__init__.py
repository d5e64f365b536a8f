"""Meridian's platform-free core: the model, time and calendar math, commands and domain services.

Nothing in this package imports from `adapters/` or `scheduler/`.
"""
