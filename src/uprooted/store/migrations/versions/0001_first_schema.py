"""The first schema: documents and their versions, figures, events, places, ingest errors, decisions.

Revision ID: 0001
Revises: (none)
Create Date: 2026-12-06 16:11:27.850517
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('target_type', sa.String(length=8), nullable=False),
    sa.Column('target_key', sa.String(length=40), nullable=False),
    sa.Column('action', sa.String(length=8), nullable=False),
    sa.Column('edit', sa.JSON(), nullable=True),
    sa.Column('analyst', sa.Text(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_target_key'), ['target_key'], unique=False)

    op.create_table('document',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('doc_id', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('relevant', sa.Boolean(), nullable=True),
    sa.Column('category', sa.String(length=16), nullable=True),
    sa.Column('status', sa.String(length=8), nullable=False),
    sa.Column('extractor_version', sa.String(length=64), nullable=False),
    sa.Column('ingested_at', sa.DateTime(), nullable=False),
    sa.Column('processed_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['previous_id'], ['document.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key', 'content_hash', name='uq_document_key_hash')
    )
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_document_doc_id'), ['doc_id'], unique=False)
        batch_op.create_index('ix_document_key_current', ['key', 'current'], unique=False)

    op.create_table('ingest_error',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('doc_id', sa.Text(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('stage', sa.String(length=32), nullable=True),
    sa.Column('extractor_version', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ingest_error', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ingest_error_key'), ['key'], unique=False)

    op.create_table('event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Text(), nullable=False),
    sa.Column('stable_key', sa.String(length=40), nullable=False),
    sa.Column('event_type', sa.String(length=40), nullable=False),
    sa.Column('sub_event_type', sa.String(length=60), nullable=False),
    sa.Column('date_start', sa.String(length=10), nullable=True),
    sa.Column('date_end', sa.String(length=10), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_event_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_event_stable_key'), ['stable_key'], unique=False)

    op.create_table('figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Text(), nullable=False),
    sa.Column('stable_key', sa.String(length=40), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('term', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('date_start', sa.String(length=10), nullable=True),
    sa.Column('date_end', sa.String(length=10), nullable=True),
    sa.Column('confidence', sa.Float(), nullable=False),
    sa.Column('projection', sa.Boolean(), nullable=False),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('group', sa.Text(), nullable=True),
    sa.Column('recommended', sa.Boolean(), nullable=True),
    sa.Column('why', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('figure', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_figure_document_id'), ['document_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_figure_group'), ['group'], unique=False)
        batch_op.create_index(batch_op.f('ix_figure_stable_key'), ['stable_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_figure_term'), ['term'], unique=False)

    op.create_table('place',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=False),
    sa.Column('geonameid', sa.Integer(), nullable=True),
    sa.Column('name', sa.Text(), nullable=True),
    sa.Column('iso3', sa.String(length=3), nullable=True),
    sa.Column('admin1', sa.Text(), nullable=True),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['document.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_document_id'), ['document_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('place', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_document_id'))

    op.drop_table('place')
    with op.batch_alter_table('figure', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_figure_term'))
        batch_op.drop_index(batch_op.f('ix_figure_stable_key'))
        batch_op.drop_index(batch_op.f('ix_figure_group'))
        batch_op.drop_index(batch_op.f('ix_figure_document_id'))

    op.drop_table('figure')
    with op.batch_alter_table('event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_event_stable_key'))
        batch_op.drop_index(batch_op.f('ix_event_document_id'))

    op.drop_table('event')
    with op.batch_alter_table('ingest_error', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ingest_error_key'))

    op.drop_table('ingest_error')
    with op.batch_alter_table('document', schema=None) as batch_op:
        batch_op.drop_index('ix_document_key_current')
        batch_op.drop_index(batch_op.f('ix_document_doc_id'))

    op.drop_table('document')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_target_key'))

    op.drop_table('decision')
