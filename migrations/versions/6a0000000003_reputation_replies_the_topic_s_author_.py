"""reputation: replies the topic's author marked helpful

Revision ID: 6a0000000003
Revises: 6a0000000002
Create Date: 2026-11-30 10:14:42.094232

"""
from alembic import op
import sqlalchemy as sa

import forum.models.base


# revision identifiers, used by Alembic.
revision = '6a0000000003'
down_revision = '6a0000000002'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('helpful_at', forum.models.base.UTCDateTime(timezone=True), nullable=True))



def downgrade():
    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('helpful_at')

