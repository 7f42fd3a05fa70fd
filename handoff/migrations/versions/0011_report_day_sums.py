"""report facts summed per local day: conversations by channel, handoffs by reasons (issue 19)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04

A year's report added up 100,000 conversation and 20,000 handoff fact rows; these sums make it about a thousand.
They are derived data, counted again from the facts of revision 0010 for each day a refresh touched; the refresh
state is cleared here so the first refresh builds them. Types are frozen here, as in 0001.
"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _count(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    op.add_column('report_conversations', sa.Column('created_day', sa.Date(), nullable=True))
    op.create_index('ix_report_conversations_created_day', 'report_conversations', ['created_day'], unique=False)
    op.create_index('ix_report_handoffs_requested_day', 'report_handoffs', ['requested_day'], unique=False)
    op.create_table(
        'report_conversation_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        *(_count(name) for name in ('conversations', 'bot_engaged', 'handed_off', 'contained', 'handed_off_any')),
        sa.PrimaryKeyConstraint('day', 'channel', name='pk_report_conversation_days'),
    )
    op.create_table(
        'report_handoff_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('reasons', sa.Text(), nullable=False),
        *(_count(name) for name in ('handoffs', 'abandoned', 'queued', 'after_hours_ticket', 'no_agent_ticket')),
        sa.PrimaryKeyConstraint('day', 'reasons', name='pk_report_handoff_days'),
    )
    # Facts written before this revision have no created_day: the next refresh builds everything again.
    op.execute("DELETE FROM report_state")


def downgrade() -> None:
    op.drop_table('report_handoff_days')
    op.drop_table('report_conversation_days')
    op.drop_index('ix_report_handoffs_requested_day', table_name='report_handoffs')
    op.drop_index('ix_report_conversations_created_day', table_name='report_conversations')
    with op.batch_alter_table('report_conversations') as batch:   # SQLite drops a column by copying the table
        batch.drop_column('created_day')
