"""mention: who was told about a comment that @mentions them, and when they saw it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:00:00.000000

Comments made before this revision kept their mentions only in `comment.mentions`, and nobody
was told. The upgrade gives each of those mentioned users (active executives and managers,
not the comment's author: the same rule as new comments) an unseen entry in their inbox; no
e-mail is sent for them afterwards.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.coltypes

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COMMENT = sa.table(
    'comment', sa.column('id', sa.Integer), sa.column('author_id', sa.Integer),
    sa.column('mentions', sa.JSON),
)
_USER = sa.table(
    'user', sa.column('id', sa.Integer), sa.column('role', sa.String),
    sa.column('is_active', sa.Boolean),
)


def upgrade() -> None:
    mention = op.create_table('mention',
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', db.coltypes.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ),
    sa.PrimaryKeyConstraint('comment_id', 'user_id')
    )
    op.create_index('ix_mention_inbox', 'mention', ['user_id', 'seen_at'], unique=False)
    _backfill(mention)


def _backfill(mention: sa.Table) -> None:
    conn = op.get_bind()
    readers = set(conn.execute(sa.select(_USER.c.id).where(
        _USER.c.is_active.is_(True), _USER.c.role.in_(('executive', 'manager'))
    )).scalars())
    rows = []
    for comment_id, author_id, mentions in conn.execute(sa.select(_COMMENT)):
        for user_id in sorted((set(mentions or []) & readers) - {author_id}):
            rows.append({'comment_id': comment_id, 'user_id': user_id, 'seen_at': None})
    if rows:
        conn.execute(mention.insert(), rows)


def downgrade() -> None:
    op.drop_index('ix_mention_inbox', table_name='mention')
    op.drop_table('mention')
