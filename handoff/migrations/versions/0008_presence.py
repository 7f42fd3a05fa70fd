"""agent presence in the shared store (issue 15)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

Types are frozen here, as in 0001: a later change of handoff/store/tables.py must not change what this revision did.
"""
from alembic import op  # noqa: F401
import sqlalchemy as sa  # noqa: F401


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The status an agent chose lived in the memory of the instance that served PUT /status, and another
    # instance's heartbeat overwrote it; now it is a column every instance reads.
    with op.batch_alter_table('agents') as batch:
        batch.add_column(sa.Column('presence_status', sa.String(length=16), nullable=False,
                                   server_default='online'))


def downgrade() -> None:
    with op.batch_alter_table('agents') as batch:
        batch.drop_column('presence_status')
