"""ticket lifecycle, SLA facts and history (issue 14)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04

Types are frozen here, as in 0001: a later change of handoff/store/tables.py must not change what this revision did.

Existing tickets: numbered in the order they were created; status 'open' (nobody could work on them yet) becomes
'new'; problem reports of the category 'complaint' become complaints; the note gives the inbox summary; they keep
no due times (the promise was made before there were any), so they are not shown as overdue all at once.
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets') as batch:
        batch.alter_column('conversation_id', existing_type=sa.String(length=36), nullable=True)
        batch.add_column(sa.Column('number', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('channel', sa.String(length=16), nullable=True))
        batch.add_column(sa.Column('subject', sa.String(length=200), nullable=True))
        batch.add_column(sa.Column('summary', sa.String(length=500), nullable=True))
        batch.add_column(sa.Column('customer_name', sa.String(length=128), nullable=True))
        batch.add_column(sa.Column('details', sa.JSON(), nullable=True))
        batch.add_column(sa.Column('owner_id', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('updated_at', sa.DateTime(timezone=True), nullable=True))
        for name in ('claimed_at', 'first_response_at', 'first_response_due_at', 'solution_due_at', 'pending_since',
                     'pending_until', 'solved_at', 'closed_at', 'last_customer_at'):
            batch.add_column(sa.Column(name, sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('merged_into_id', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('follow_up_of_id', sa.String(length=36), nullable=True))
        batch.add_column(sa.Column('last_article_seq', sa.Integer(), nullable=True))

    tickets = sa.table('tickets', sa.column('id', sa.String), sa.column('created_at', sa.DateTime(timezone=True)))
    connection = op.get_bind()
    rows = connection.execute(sa.select(tickets.c.id).order_by(tickets.c.created_at, tickets.c.id)).fetchall()
    for number, (ticket_id,) in enumerate(rows, start=1):
        connection.execute(sa.text("UPDATE tickets SET number = :number WHERE id = :id"),
                           {"number": number, "id": ticket_id})
    op.execute("UPDATE tickets SET channel = 'widget', updated_at = created_at, "
               "summary = substr(note, 1, 500), last_article_seq = 0")
    op.execute("UPDATE tickets SET last_article_seq = 1 WHERE note IS NOT NULL AND note <> ''")
    op.execute("UPDATE tickets SET status = 'new' WHERE status = 'open'")
    op.execute("UPDATE tickets SET kind = 'complaint' WHERE kind = 'problem_report' AND category = 'complaint'")

    with op.batch_alter_table('tickets') as batch:
        batch.alter_column('number', existing_type=sa.Integer(), nullable=False)
        batch.alter_column('channel', existing_type=sa.String(length=16), nullable=False)
        batch.alter_column('updated_at', existing_type=sa.DateTime(timezone=True), nullable=False)
        batch.alter_column('last_article_seq', existing_type=sa.Integer(), nullable=False)
        batch.create_unique_constraint('uq_tickets_number', ['number'])
        batch.create_foreign_key('fk_tickets_owner_id_agents', 'agents', ['owner_id'], ['id'], ondelete='SET NULL')
        batch.create_index('ix_tickets_kind', ['kind'], unique=False)
        batch.create_index('ix_tickets_status', ['status'], unique=False)
        batch.create_index('ix_tickets_owner_id', ['owner_id'], unique=False)

    op.create_table(
        'ticket_articles',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('ticket_id', sa.String(length=36), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('sender_type', sa.String(length=16), nullable=False),
        sa.Column('author_id', sa.String(length=36), nullable=True),
        sa.Column('author_name', sa.String(length=128), nullable=True),
        sa.Column('text', sa.Text(), nullable=True),
        sa.Column('meta', sa.JSON(), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name='fk_ticket_articles_ticket_id_tickets',
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['author_id'], ['agents.id'], name='fk_ticket_articles_author_id_agents',
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name='pk_ticket_articles'),
        sa.UniqueConstraint('ticket_id', 'seq', name='uq_ticket_articles_ticket_id_seq'),
    )
    op.create_index('ix_ticket_articles_ticket_id', 'ticket_articles', ['ticket_id'], unique=False)
    # The customer's own words come first in each ticket's history, as they were before this revision.
    op.execute("INSERT INTO ticket_articles (id, ticket_id, seq, kind, channel, sender_type, text, created_at) "
               "SELECT id, id, 1, 'customer', 'widget', 'customer', note, created_at FROM tickets "
               "WHERE note IS NOT NULL AND note <> ''")

    op.create_table(
        'ticket_counter',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('last_number', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_ticket_counter'),
    )
    op.execute(sa.text("INSERT INTO ticket_counter (id, last_number) VALUES (1, :last)").bindparams(last=len(rows)))


def downgrade() -> None:
    op.drop_table('ticket_counter')
    op.drop_index('ix_ticket_articles_ticket_id', table_name='ticket_articles')
    op.drop_table('ticket_articles')
    op.execute("UPDATE tickets SET status = 'open'")
    op.execute("UPDATE tickets SET kind = 'problem_report' WHERE kind IN ('complaint', 'billing_error')")
    # Tickets without a conversation (opened by e-mail) cannot exist in the old schema.
    op.execute("DELETE FROM tickets WHERE conversation_id IS NULL")
    with op.batch_alter_table('tickets') as batch:
        batch.drop_index('ix_tickets_owner_id')
        batch.drop_index('ix_tickets_status')
        batch.drop_index('ix_tickets_kind')
        batch.drop_constraint('fk_tickets_owner_id_agents', type_='foreignkey')
        batch.drop_constraint('uq_tickets_number', type_='unique')
        for name in ('follow_up_of_id', 'merged_into_id', 'last_customer_at', 'closed_at', 'solved_at',
                     'pending_until', 'pending_since', 'solution_due_at', 'first_response_due_at',
                     'first_response_at', 'claimed_at', 'updated_at', 'owner_id', 'details', 'customer_name',
                     'summary', 'subject', 'channel', 'number', 'last_article_seq'):
            batch.drop_column(name)
        batch.alter_column('conversation_id', existing_type=sa.String(length=36), nullable=False)
