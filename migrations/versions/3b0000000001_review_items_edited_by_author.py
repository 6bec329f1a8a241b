"""review items remember when the author edited a post hidden by flags

Revision ID: 3b0000000001
Revises: 3a0000000001
Create Date: 2026-11-22 03:45:00.000000

"""
from alembic import op
import sqlalchemy as sa

import forum.models.base


# revision identifiers, used by Alembic.
revision = '3b0000000001'
down_revision = '3a0000000001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reviewables', schema=None) as batch_op:
        batch_op.add_column(sa.Column('edited_by_author_at',
                                      forum.models.base.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade():
    with op.batch_alter_table('reviewables', schema=None) as batch_op:
        batch_op.drop_column('edited_by_author_at')
