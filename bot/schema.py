"""One metadata for Alembic and the tests: importing this module imports every table Meridian has."""
from __future__ import annotations

from bot import features  # noqa: F401  (feature modules declare their tables on Base)
from bot.models import Base

metadata = Base.metadata
