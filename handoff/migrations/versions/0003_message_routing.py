"""message routing facts: routing_started_at and routed_at on messages

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

A customer message committed but never answered (process killed, database down between storing and replying) is
found again through these two timestamps (docs/reliability.md, finding 1). Types are frozen here, as in 0001.
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

UNROUTED = "message_type = 'incoming' AND routed_at IS NULL"


def upgrade() -> None:
    with op.batch_alter_table('messages') as batch:
        batch.add_column(sa.Column('routing_started_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('routed_at', sa.DateTime(timezone=True), nullable=True))
    # History counts as routed: without this, the first sweep after the upgrade would answer every old message again.
    op.execute("UPDATE messages SET routed_at = created_at WHERE message_type = 'incoming'")
    op.create_index('ix_messages_unrouted', 'messages', ['created_at'], unique=False,
                    postgresql_where=sa.text(UNROUTED), sqlite_where=sa.text(UNROUTED))


def downgrade() -> None:
    op.drop_index('ix_messages_unrouted', table_name='messages')
    with op.batch_alter_table('messages') as batch:
        batch.drop_column('routed_at')
        batch.drop_column('routing_started_at')
