"""forward.answer_id: the comment with which its recipient answered a forwarded message

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:00:00.000000

A manager can now answer a message forwarded to them ("?" → "we checked: ..."), which takes it
off their inbox without making it an item. Forwards made before are unanswered.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('forward') as batch:
        batch.add_column(sa.Column('answer_id', sa.Integer(), nullable=True))
        batch.create_foreign_key('fk_forward_answer_id_comment', 'comment', ['answer_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('forward') as batch:
        batch.drop_constraint('fk_forward_answer_id_comment', type_='foreignkey')
        batch.drop_column('answer_id')
