"""topics: an index on is_banner, because every page looks up the site banner

Revision ID: 3a0000000001
Revises: ca8b32b79301
Create Date: 2026-11-22 04:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '3a0000000001'
down_revision = 'ca8b32b79301'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.create_index('ix_topics_is_banner', ['is_banner'], unique=False)


def downgrade():
    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_index('ix_topics_is_banner')
