"""incidents and goodwill grants (issue 14)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

Types are frozen here, as in 0001: a later change of handoff/store/tables.py must not change what this revision did.
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'incidents',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('category', sa.String(length=64), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('owner_id', sa.String(length=36), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_by', sa.String(length=36), nullable=True),
        sa.Column('close_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['owner_id'], ['agents.id'], name='fk_incidents_owner_id_agents',
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['closed_by'], ['agents.id'], name='fk_incidents_closed_by_agents',
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_incidents'),
    )
    op.create_index('ix_incidents_status', 'incidents', ['status'], unique=False)

    op.create_table(
        'incident_reports',
        sa.Column('ticket_id', sa.String(length=36), nullable=False),
        sa.Column('incident_id', sa.String(length=36), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('similarity', sa.Float(), nullable=True),
        sa.Column('matched_ticket_id', sa.String(length=36), nullable=True),
        sa.Column('shared_words', sa.JSON(), nullable=True),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name='fk_incident_reports_ticket_id_tickets',
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name='fk_incident_reports_incident_id_incidents',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('ticket_id', name='pk_incident_reports'),
    )
    op.create_index('ix_incident_reports_incident_id', 'incident_reports', ['incident_id'], unique=False)

    op.create_table(
        'goodwill_grants',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('amount_cents', sa.Integer(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('conversation_id', sa.String(length=36), nullable=True),
        sa.Column('ticket_id', sa.String(length=36), nullable=True),
        sa.Column('agent_id', sa.String(length=36), nullable=True),
        sa.Column('agent_name', sa.String(length=128), nullable=False),
        sa.Column('limit_reasons', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('decided_by', sa.String(length=36), nullable=True),
        sa.Column('decided_by_name', sa.String(length=128), nullable=True),
        sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('decision_note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'],
                                name='fk_goodwill_grants_conversation_id_conversations', ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name='fk_goodwill_grants_ticket_id_tickets',
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['agent_id'], ['agents.id'], name='fk_goodwill_grants_agent_id_agents',
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['decided_by'], ['agents.id'], name='fk_goodwill_grants_decided_by_agents',
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_goodwill_grants'),
    )
    op.create_index('ix_goodwill_grants_status', 'goodwill_grants', ['status'], unique=False)
    op.create_index('ix_goodwill_grants_conversation_id', 'goodwill_grants', ['conversation_id'], unique=False)
    op.create_index('ix_goodwill_grants_ticket_id', 'goodwill_grants', ['ticket_id'], unique=False)
    op.create_index('ix_goodwill_grants_agent_id_created_at', 'goodwill_grants', ['agent_id', 'created_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index('ix_goodwill_grants_agent_id_created_at', table_name='goodwill_grants')
    op.drop_index('ix_goodwill_grants_ticket_id', table_name='goodwill_grants')
    op.drop_index('ix_goodwill_grants_conversation_id', table_name='goodwill_grants')
    op.drop_index('ix_goodwill_grants_status', table_name='goodwill_grants')
    op.drop_table('goodwill_grants')
    op.drop_index('ix_incident_reports_incident_id', table_name='incident_reports')
    op.drop_table('incident_reports')
    op.drop_index('ix_incidents_status', table_name='incidents')
    op.drop_table('incidents')
