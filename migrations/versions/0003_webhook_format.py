"""webhook format: KARLA, STANDARD, or LEGACY for the webhooks that exist already

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-30 14:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing webhooks keep what they received so far: parcelgraph's envelope with both
    # the Karla-Signature and the Standard Webhooks headers.
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("format", sa.String(length=16), nullable=False, server_default="LEGACY")
        )


def downgrade() -> None:
    with op.batch_alter_table("webhooks", schema=None) as batch_op:
        batch_op.drop_column("format")
