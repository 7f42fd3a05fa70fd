"""report facts: per conversation, per handoff and per day (issue 19)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04

The reports read these narrow rows instead of deriving every conversation's facts from the messages on each
request (docs/reports.md, "How the figures are computed"). They are derived data: empty after this revision, the
first report (or the refresh job) builds them. Types are frozen here, as in 0001.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

TIME = sa.DateTime(timezone=True)


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    op.create_table(
        'report_conversations',
        sa.Column('conversation_id', sa.String(length=36), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        sa.Column('created_at', TIME, nullable=False),
        _flag('bot_engaged'), _flag('handed_off'), _flag('contained'),
        sa.Column('last_handoff_at', TIME, nullable=True),
        sa.Column('first_customer_day', sa.Date(), nullable=True),
        sa.Column('last_customer_day', sa.Date(), nullable=True),
        _flag('pending'),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE',
                                name='fk_report_conversations_conversation_id_conversations'),
        sa.PrimaryKeyConstraint('conversation_id', name='pk_report_conversations'),
    )
    op.create_index('ix_report_conversations_created_at', 'report_conversations', ['created_at'], unique=False,
                    postgresql_include=['channel', 'bot_engaged', 'handed_off', 'contained'])
    several_days = sa.text('last_customer_day > first_customer_day')
    op.create_index('ix_report_conversations_several_days', 'report_conversations', ['last_customer_day'],
                    unique=False, postgresql_where=several_days, sqlite_where=several_days)
    pending = sa.text('pending = 1')
    op.create_index('ix_report_conversations_pending', 'report_conversations', ['conversation_id'], unique=False,
                    postgresql_where=pending, sqlite_where=pending)
    op.create_table(
        'report_handoffs',
        sa.Column('handoff_id', sa.String(length=36), nullable=False),
        sa.Column('conversation_id', sa.String(length=36), nullable=False),
        sa.Column('requested_at', TIME, nullable=False),
        sa.Column('requested_day', sa.Date(), nullable=False),
        sa.Column('reasons', sa.Text(), nullable=False),
        *(sa.Column(f'{name}{unit}', sa.Float(), nullable=True)
          for name in ('queue', 'first_response', 'resolution') for unit in ('_seconds', '_business_seconds')),
        _flag('abandoned'), _flag('queued'), _flag('after_hours_ticket'), _flag('no_agent_ticket'),
        sa.ForeignKeyConstraint(['handoff_id'], ['handoffs.id'], ondelete='CASCADE',
                                name='fk_report_handoffs_handoff_id_handoffs'),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE',
                                name='fk_report_handoffs_conversation_id_conversations'),
        sa.PrimaryKeyConstraint('handoff_id', name='pk_report_handoffs'),
    )
    op.create_index('ix_report_handoffs_conversation_id', 'report_handoffs', ['conversation_id'], unique=False)
    op.create_index('ix_report_handoffs_requested_at', 'report_handoffs', ['requested_at'], unique=False)
    op.create_table(
        'report_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('channel', sa.String(length=32), nullable=False),
        sa.Column('intent', sa.String(length=128), nullable=False),
        *(_flag(name) for name in ('messages', 'not_understood', 'calm', 'frustrated', 'abusive', 'conversations',
                                   'handed_off')),
        sa.PrimaryKeyConstraint('day', 'channel', 'intent', name='pk_report_days'),
    )
    op.create_table(
        'report_dirty_days',
        sa.Column('day', sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint('day', name='pk_report_dirty_days'),
    )
    op.create_table(
        'report_state',
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('value', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('key', name='pk_report_state'),
    )
    # Which conversations changed since the last refresh: their state changes stamp updated_at.
    op.create_index('ix_conversations_updated_at', 'conversations', ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_conversations_updated_at', table_name='conversations')
    for table in ('report_state', 'report_dirty_days', 'report_days'):
        op.drop_table(table)
    op.drop_index('ix_report_handoffs_requested_at', table_name='report_handoffs')
    op.drop_index('ix_report_handoffs_conversation_id', table_name='report_handoffs')
    op.drop_table('report_handoffs')
    for name in ('pending', 'several_days', 'created_at'):
        op.drop_index(f'ix_report_conversations_{name}', table_name='report_conversations')
    op.drop_table('report_conversations')
