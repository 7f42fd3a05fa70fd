"""trainer loop: annotations of customer messages and the model registry

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23

Types are frozen here (plain DateTime(timezone=True)), as in 0001, so later model changes never alter history.
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('annotations',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('message_id', sa.String(length=36), nullable=False),
    sa.Column('conversation_id', sa.String(length=36), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('intent', sa.String(length=128), nullable=True),
    sa.Column('tone_label', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('annotated_by', sa.String(length=36), nullable=True),
    sa.Column('annotator_name', sa.String(length=128), nullable=True),
    sa.Column('annotated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('exported_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_annotations')),
    sa.UniqueConstraint('message_id', name=op.f('uq_annotations_message_id'))
    )
    op.create_index(op.f('ix_annotations_conversation_id'), 'annotations', ['conversation_id'], unique=False)
    op.create_table('models',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('path', sa.String(length=1024), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=True),
    sa.Column('comparison', sa.JSON(), nullable=True),
    sa.Column('promoted_by', sa.String(length=128), nullable=True),
    sa.Column('promoted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('override_by', sa.String(length=128), nullable=True),
    sa.Column('override_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('override_reason', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_models'))
    )
    op.create_index(op.f('ix_models_status'), 'models', ['status'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_models_status'), table_name='models')
    op.drop_table('models')
    op.drop_index(op.f('ix_annotations_conversation_id'), table_name='annotations')
    op.drop_table('annotations')
