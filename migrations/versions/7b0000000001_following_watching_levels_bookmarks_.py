"""Following: watching levels, bookmarks, notification options and e-mailed notifications

Revision ID: 7b0000000001
Revises: 7a0000000001
Create Date: 2026-11-30 10:12:53.557487

"""
from alembic import op
import sqlalchemy as sa

import forum.models.base


# revision identifiers, used by Alembic.
revision = '7b0000000001'
down_revision = '7a0000000001'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('category_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('notification_level', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_category_users_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_category_users_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_category_users')),
    sa.UniqueConstraint('user_id', 'category_id', name=op.f('uq_category_users_user_id'))
    )
    with op.batch_alter_table('category_users', schema=None) as batch_op:
        batch_op.create_index('ix_category_users_category_level', ['category_id', 'notification_level'], unique=False)

    op.create_table('user_options',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('notification_channels', sa.JSON(), nullable=False),
    sa.Column('email_delay_minutes', sa.Integer(), server_default='10', nullable=False),
    sa.Column('digest_frequency', sa.String(length=10), server_default='off', nullable=False),
    sa.Column('last_digest_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('new_dismissed_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('email_unsubscribed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_options_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_options'))
    )
    op.create_table('topic_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('topic_id', sa.Integer(), nullable=False),
    sa.Column('notification_level', sa.Integer(), nullable=False),
    sa.Column('notifications_reason', sa.Integer(), nullable=False),
    sa.Column('changed_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['topic_id'], ['topics.id'], name=op.f('fk_topic_users_topic_id_topics'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_topic_users_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_topic_users')),
    sa.UniqueConstraint('user_id', 'topic_id', name=op.f('uq_topic_users_user_id'))
    )
    with op.batch_alter_table('topic_users', schema=None) as batch_op:
        batch_op.create_index('ix_topic_users_topic_level', ['topic_id', 'notification_level'], unique=False)

    op.create_table('bookmarks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('reminder_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_bookmarks_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_bookmarks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bookmarks')),
    sa.UniqueConstraint('user_id', 'post_id', name=op.f('uq_bookmarks_user_id'))
    )
    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.create_index('ix_bookmarks_reminder_due', ['reminded_at', 'reminder_at'], unique=False)
        batch_op.create_index('ix_bookmarks_user_created', ['user_id', 'created_at'], unique=False)

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('emailed_at', forum.models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index('ix_notifications_unmailed', ['emailed_at', 'read_at', 'created_at'], unique=False)




def downgrade():

    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_notifications_unmailed')
        batch_op.drop_column('emailed_at')

    with op.batch_alter_table('bookmarks', schema=None) as batch_op:
        batch_op.drop_index('ix_bookmarks_user_created')
        batch_op.drop_index('ix_bookmarks_reminder_due')

    op.drop_table('bookmarks')
    with op.batch_alter_table('topic_users', schema=None) as batch_op:
        batch_op.drop_index('ix_topic_users_topic_level')

    op.drop_table('topic_users')
    op.drop_table('user_options')
    with op.batch_alter_table('category_users', schema=None) as batch_op:
        batch_op.drop_index('ix_category_users_category_level')

    op.drop_table('category_users')

