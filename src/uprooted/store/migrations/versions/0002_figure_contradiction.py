"""Figures keep their group's contradiction (reports of one moment that disagree), set by ``aggregate``.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06 17:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table('figure') as batch_op:
        batch_op.add_column(sa.Column('contradiction', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('figure') as batch_op:
        batch_op.drop_column('contradiction')
