"""outbox and e-mail articles (issue 16)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

Types are frozen here, as in 0001: a later change of handoff/store/tables.py must not change what this revision did.
The outbox, its delivery attempts, the Message-IDs and reply tokens that thread replies, raw inbound mails and
undeliverable addresses (handoff/store/tables.py, section "E-mail").
"""
from alembic import op
import sqlalchemy as sa

ID = sa.String(length=36)
WHEN = sa.DateTime(timezone=True)


def _ticket_fk(table: str, ondelete: str = 'CASCADE') -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(['ticket_id'], ['tickets.id'], name=f'fk_{table}_ticket_id_tickets',
                                   ondelete=ondelete)


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'mail_outbox',
        sa.Column('id', ID, nullable=False),
        sa.Column('ticket_id', ID, nullable=True),
        sa.Column('conversation_id', ID, nullable=True),
        sa.Column('article_id', ID, nullable=True),
        sa.Column('purpose', sa.String(length=16), nullable=False),
        sa.Column('to_address', sa.String(length=320), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('message_id', sa.String(length=255), nullable=False),
        sa.Column('raw', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', WHEN, nullable=False),
        sa.Column('claim_id', ID, nullable=True),
        sa.Column('claimed_at', WHEN, nullable=True),
        sa.Column('last_error', sa.String(length=500), nullable=True),
        sa.Column('created_at', WHEN, nullable=False),
        sa.Column('sent_at', WHEN, nullable=True),
        sa.Column('failed_at', WHEN, nullable=True),
        _ticket_fk('mail_outbox'),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'],
                                name='fk_mail_outbox_conversation_id_conversations', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_mail_outbox'),
        sa.UniqueConstraint('message_id', name='uq_mail_outbox_message_id'),
    )
    for column in ('ticket_id', 'conversation_id', 'status', 'next_attempt_at'):
        op.create_index(f'ix_mail_outbox_{column}', 'mail_outbox', [column], unique=False)

    op.create_table(
        'mail_attempts',
        sa.Column('id', ID, nullable=False),
        sa.Column('outbox_id', ID, nullable=False),
        sa.Column('started_at', WHEN, nullable=False),
        sa.Column('finished_at', WHEN, nullable=True),
        sa.Column('outcome', sa.String(length=16), nullable=True),
        sa.Column('smtp_code', sa.Integer(), nullable=True),
        sa.Column('error', sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(['outbox_id'], ['mail_outbox.id'], name='fk_mail_attempts_outbox_id_mail_outbox',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name='pk_mail_attempts'),
    )
    op.create_index('ix_mail_attempts_outbox_id', 'mail_attempts', ['outbox_id'], unique=False)

    op.create_table(
        'mail_message_ids',
        sa.Column('message_id', sa.String(length=255), nullable=False),
        sa.Column('ticket_id', ID, nullable=False),
        sa.Column('direction', sa.String(length=8), nullable=False),
        sa.Column('created_at', WHEN, nullable=False),
        _ticket_fk('mail_message_ids'),
        sa.PrimaryKeyConstraint('message_id', name='pk_mail_message_ids'),
    )
    op.create_index('ix_mail_message_ids_ticket_id', 'mail_message_ids', ['ticket_id'], unique=False)

    op.create_table(
        'mail_reply_tokens',
        sa.Column('token', sa.String(length=64), nullable=False),
        sa.Column('ticket_id', ID, nullable=False),
        sa.Column('created_at', WHEN, nullable=False),
        _ticket_fk('mail_reply_tokens'),
        sa.PrimaryKeyConstraint('token', name='pk_mail_reply_tokens'),
        sa.UniqueConstraint('ticket_id', name='uq_mail_reply_tokens_ticket_id'),
    )

    op.create_table(
        'mail_raw',
        sa.Column('id', ID, nullable=False),
        sa.Column('ticket_id', ID, nullable=True),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('message_id', sa.String(length=255), nullable=True),
        sa.Column('source', sa.String(length=8), nullable=False),
        sa.Column('sender', sa.String(length=320), nullable=True),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('outcome', sa.String(length=32), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('raw', sa.LargeBinary(), nullable=False),
        sa.Column('received_at', WHEN, nullable=False),
        _ticket_fk('mail_raw'),
        sa.PrimaryKeyConstraint('id', name='pk_mail_raw'),
        sa.UniqueConstraint('digest', name='uq_mail_raw_digest'),
    )
    for column in ('ticket_id', 'message_id', 'sender', 'received_at'):
        op.create_index(f'ix_mail_raw_{column}', 'mail_raw', [column], unique=False)

    op.create_table(
        'mail_undeliverable',
        sa.Column('address', sa.String(length=320), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('diagnostic', sa.String(length=500), nullable=True),
        sa.Column('ticket_id', ID, nullable=True),
        sa.Column('bounced_at', WHEN, nullable=False),
        _ticket_fk('mail_undeliverable', ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('address', name='pk_mail_undeliverable'),
    )


def downgrade() -> None:
    op.drop_table('mail_undeliverable')
    for column in ('received_at', 'sender', 'message_id', 'ticket_id'):
        op.drop_index(f'ix_mail_raw_{column}', table_name='mail_raw')
    op.drop_table('mail_raw')
    op.drop_table('mail_reply_tokens')
    op.drop_index('ix_mail_message_ids_ticket_id', table_name='mail_message_ids')
    op.drop_table('mail_message_ids')
    op.drop_index('ix_mail_attempts_outbox_id', table_name='mail_attempts')
    op.drop_table('mail_attempts')
    for column in ('next_attempt_at', 'status', 'conversation_id', 'ticket_id'):
        op.drop_index(f'ix_mail_outbox_{column}', table_name='mail_outbox')
    op.drop_table('mail_outbox')
