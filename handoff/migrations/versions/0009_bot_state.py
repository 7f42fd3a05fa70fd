"""bot context kept or restored across the tracker cap (issue 18)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

Types are frozen here, as in 0001: a later change of handoff/store/tables.py must not change what this revision did.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rasa trackers the bot process's bounded in-memory store let go (least recently active beyond
    # BOT_TRACKERS_KEPT, or idle past the session expiration), taken back when their conversation goes on.
    op.create_table(
        'bot_trackers',
        sa.Column('sender_id', sa.String(length=255), nullable=False),
        sa.Column('tracker', sa.Text(), nullable=False),
        sa.Column('kept_at', sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('sender_id', name=op.f('pk_bot_trackers')),
    )
    op.create_index(op.f('ix_bot_trackers_kept_at'), 'bot_trackers', ['kept_at'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_bot_trackers_kept_at'), table_name='bot_trackers')
    op.drop_table('bot_trackers')
