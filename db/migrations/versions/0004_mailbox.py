"""mailbox: how far each IMAP folder has been fetched

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:00:00.000000

`feedbackloop fetch` and the worker read customer mail straight from an IMAP folder; this
table keeps each folder's UIDVALIDITY and the last UID stored, so a fetch reads only new mail.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import sqlmodel

import db.coltypes

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'mailbox',
        sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column('uidvalidity', sa.BigInteger(), nullable=False),
        sa.Column('last_uid', sa.BigInteger(), nullable=False),
        sa.Column('fetched', sa.Integer(), nullable=False),
        sa.Column('fetched_at', db.coltypes.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.PrimaryKeyConstraint('key'),
    )


def downgrade() -> None:
    op.drop_table('mailbox')
