"""Test-only helpers that stand in for platforms at the network boundary (also used by bench/)."""
