"""carrier tracking: schedule and state per shipment, sandbox shops, simulated events,
encrypted carrier credentials

Existing scans that the sandbox invented (external id `sandbox:...`) are marked simulated,
not rewritten or deleted, so merchants can see which events no carrier ever reported.
Tracked parcels still on their way are due at once, so the poller decides who follows them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 14:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import parcelgraph.models.types

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FINAL = "('delivered', 'returned', 'return_received', 'return_failed')"


def _when() -> sa.Column:
    return parcelgraph.models.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("shops") as batch_op:
        batch_op.add_column(
            sa.Column("sandbox", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("events") as batch_op:
        batch_op.add_column(
            sa.Column("simulated", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    op.execute("UPDATE events SET simulated = true WHERE external_id LIKE 'sandbox:%'")
    with op.batch_alter_table("shipments") as batch_op:
        batch_op.add_column(sa.Column("tracking_state", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("tracking_error", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("last_checked_at", _when(), nullable=True))
        batch_op.add_column(sa.Column("next_check_at", _when(), nullable=True))
        batch_op.add_column(
            sa.Column("not_found_count", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("tracking_digest", sa.String(length=64), nullable=True))
        batch_op.drop_index("ix_shipments_next_poll")
        batch_op.drop_column("next_poll_at")
        batch_op.create_index("ix_shipments_next_check", ["next_check_at"], unique=False)
    op.execute(
        "UPDATE shipments SET tracking_state = 'ACTIVE', next_check_at = CURRENT_TIMESTAMP "
        f"WHERE tracking_number IS NOT NULL AND phase NOT IN {_FINAL}"
    )
    op.execute(
        "UPDATE shipments SET tracking_state = 'STOPPED' "
        f"WHERE tracking_number IS NOT NULL AND phase IN {_FINAL}"
    )
    op.create_table(
        "carrier_credentials",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("shop_id", sa.Uuid(), nullable=True),
        sa.Column("scope", sa.String(length=36), nullable=False),
        sa.Column("adapter", sa.String(length=32), nullable=False),
        sa.Column("secret", sa.Text(), nullable=False),
        sa.Column("hint", sa.String(length=16), nullable=False),
        sa.Column("fields", sa.String(length=100), nullable=False),
        sa.Column("created_at", _when(), nullable=False),
        sa.Column("updated_at", _when(), nullable=False),
        sa.ForeignKeyConstraint(["shop_id"], ["shops.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("scope", "adapter", name="uq_carrier_credentials_scope"),
    )
    with op.batch_alter_table("carrier_credentials") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_carrier_credentials_shop_id"), ["shop_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("carrier_credentials")
    with op.batch_alter_table("shipments") as batch_op:
        batch_op.drop_index("ix_shipments_next_check")
        batch_op.add_column(sa.Column("next_poll_at", _when(), nullable=True))
        batch_op.create_index("ix_shipments_next_poll", ["next_poll_at"], unique=False)
        for name in ("tracking_digest", "not_found_count", "next_check_at", "last_checked_at",
                     "tracking_error", "tracking_state"):  # fmt: skip
            batch_op.drop_column(name)
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_column("simulated")
    with op.batch_alter_table("shops") as batch_op:
        batch_op.drop_column("sandbox")
