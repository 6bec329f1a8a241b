"""trust levels: how far each member has read each topic (topics entered, posts read once)

Revision ID: 5e0000000001
Revises: 5a0000000001
Create Date: 2026-11-30 06:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

import forum.models.base


# revision identifiers, used by Alembic.
revision = '5e0000000001'
down_revision = '5a0000000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('topic_reads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('last_read_post_number', sa.Integer(), server_default='0', nullable=False),
    sa.Column('time_read_seconds', sa.Integer(), server_default='0', nullable=False),
    sa.Column('first_read_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_read_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_topic_reads_topic_id_topics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_topic_reads_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic_reads')),
    sa.UniqueConstraint('user_id', 'topic_id', name=op.f('uq_topic_reads_user_id'))
    )
    with op.batch_alter_table('topic_reads', schema=None) as batch_op:
        batch_op.create_index('ix_topic_reads_user_last_read', ['user_id', 'last_read_at'], unique=False)


def downgrade():
    with op.batch_alter_table('topic_reads', schema=None) as batch_op:
        batch_op.drop_index('ix_topic_reads_user_last_read')
    op.drop_table('topic_reads')
