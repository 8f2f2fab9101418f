"""Decisions keep what stood before them (the review's audit log), and reviewers' API tokens.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-06 19:10:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table('decision') as batch_op:
        batch_op.add_column(sa.Column('previous', sa.JSON(), nullable=True))
    op.create_table(
        'api_token',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.Text(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revoked', sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash'),
    )


def downgrade() -> None:
    op.drop_table('api_token')
    with op.batch_alter_table('decision') as batch_op:
        batch_op.drop_column('previous')
