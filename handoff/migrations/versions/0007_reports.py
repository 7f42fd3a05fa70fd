"""report indexes and CSAT surveys (issue 19)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

`csat_surveys` records that a conversation was offered the rating (the response rate's denominator); the indexes
let the report queries read one period instead of whole tables (docs/reports.md, docs/performance.md).
Types are frozen here, as in 0001: a later change of handoff/store/tables.py must not change what this revision did.
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

# Covering on PostgreSQL: the period's customer and agent messages are read from the index alone.
MESSAGE_INCLUDE = ['conversation_id', 'intent', 'confidence', 'tone_label', 'routing_started_at', 'message_type',
                   'private']
INDEXES = (
    ('ix_conversations_created_at', 'conversations', ['created_at']),
    ('ix_handoffs_requested_at', 'handoffs', ['requested_at']),
    ('ix_csat_created_at', 'csat', ['created_at']),
    ('ix_tickets_created_at', 'tickets', ['created_at']),
    ('ix_tickets_solved_at', 'tickets', ['solved_at']),
)


def upgrade() -> None:
    op.create_table(
        'csat_surveys',
        sa.Column('conversation_id', sa.String(length=36), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE',
                                name='fk_csat_surveys_conversation_id_conversations'),
        sa.PrimaryKeyConstraint('conversation_id', name='pk_csat_surveys'),
    )
    op.create_index('ix_csat_surveys_sent_at', 'csat_surveys', ['sent_at'], unique=False)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    op.create_index('ix_messages_sender_type_created_at', 'messages', ['sender_type', 'created_at'], unique=False,
                    postgresql_include=MESSAGE_INCLUDE)


def downgrade() -> None:
    op.drop_index('ix_messages_sender_type_created_at', table_name='messages')
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    op.drop_index('ix_csat_surveys_sent_at', table_name='csat_surveys')
    op.drop_table('csat_surveys')
