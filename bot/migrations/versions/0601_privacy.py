"""privacy: a forgotten member's coffee seats stay, anonymous (member_id NULL, ON DELETE SET NULL)

/forget-me deletes the member; their seats used to go with them (CASCADE), which made colleagues'
coffee history lose a partner. Now the seat stays and points at nobody.

Revision ID: 0601_privacy
Revises: 0201_coffee
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0601_privacy"
down_revision = "0201_coffee"
branch_labels = None
depends_on = None

# 0201_coffee left the foreign key unnamed: PostgreSQL calls it <table>_<column>_fkey; SQLite's batch
# mode finds it through this naming convention.
FK_NAME = "coffee_seats_member_id_fkey"
SQLITE_NAMES = {"fk": "%(table_name)s_%(column_0_name)s_fkey"}


def _member_fk(ondelete: str, nullable: bool) -> None:
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table("coffee_seats", naming_convention=SQLITE_NAMES) as batch_op:
            batch_op.drop_constraint(FK_NAME, type_="foreignkey")
            batch_op.alter_column("member_id", existing_type=sa.Integer(), nullable=nullable)
            batch_op.create_foreign_key(FK_NAME, "members", ["member_id"], ["id"], ondelete=ondelete)
        return
    op.drop_constraint(FK_NAME, "coffee_seats", type_="foreignkey")
    op.alter_column("coffee_seats", "member_id", existing_type=sa.Integer(), nullable=nullable)
    op.create_foreign_key(FK_NAME, "coffee_seats", "members", ["member_id"], ["id"], ondelete=ondelete)


def upgrade() -> None:
    _member_fk("SET NULL", nullable=True)


def downgrade() -> None:
    op.execute("DELETE FROM coffee_seats WHERE member_id IS NULL")
    _member_fk("CASCADE", nullable=False)
