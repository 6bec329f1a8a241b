"""reputation: likes, member statistics and visits, reputation ledger, badges; like counters; title badge

Revision ID: 5a0000000001
Revises: 4a0000000001
Create Date: 2026-11-30 06:28:33.678159

"""
from alembic import op
import sqlalchemy as sa

import forum.models.base


# revision identifiers, used by Alembic.
revision = '5a0000000001'
down_revision = '4a0000000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('badges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=60), nullable=False),
    sa.Column('tier', sa.String(length=10), nullable=False),
    sa.Column('icon', sa.String(length=40), nullable=False),
    sa.Column('allow_multiple', sa.Boolean(), nullable=False),
    sa.Column('is_manual', sa.Boolean(), nullable=False),
    sa.Column('is_enabled', sa.Boolean(), nullable=False),
    sa.Column('allow_title', sa.Boolean(), nullable=False),
    sa.Column('grant_count', sa.Integer(), server_default='0', nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_badges')),
    sa.UniqueConstraint('slug', name=op.f('uq_badges_slug'))
    )
    op.create_table('user_stats',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('days_visited', sa.Integer(), server_default='0', nullable=False),
    sa.Column('topics_entered', sa.Integer(), server_default='0', nullable=False),
    sa.Column('posts_read', sa.Integer(), server_default='0', nullable=False),
    sa.Column('time_read_seconds', sa.Integer(), server_default='0', nullable=False),
    sa.Column('likes_given', sa.Integer(), server_default='0', nullable=False),
    sa.Column('likes_received', sa.Integer(), server_default='0', nullable=False),
    sa.Column('reputation', sa.Integer(), server_default='0', nullable=False),
    sa.Column('trust_level_reached_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('tl3_grace_until', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('trust_level_locked', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_stats_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_user_stats'))
    )
    with op.batch_alter_table('user_stats', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_stats_reputation'), ['reputation'], unique=False)

    op.create_table('user_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('posts_read', sa.Integer(), server_default='0', nullable=False),
    sa.Column('time_read_seconds', sa.Integer(), server_default='0', nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_visits_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_visits')),
    sa.UniqueConstraint('user_id', 'visited_on', name=op.f('uq_user_visits_user_id'))
    )
    op.create_table('post_actions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('action_type', sa.Integer(), nullable=False),
    sa.Column('created_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_post_actions_post_id_posts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_post_actions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_post_actions')),
    sa.UniqueConstraint('post_id', 'user_id', 'action_type', name=op.f('uq_post_actions_post_id'))
    )
    with op.batch_alter_table('post_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_post_actions_post_id'), ['post_id'], unique=False)
        batch_op.create_index('ix_post_actions_user_created', ['user_id', 'created_at'], unique=False)

    op.create_table('reputation_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('points', sa.Integer(), nullable=False),
    sa.Column('source_key', sa.String(length=80), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('created_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_reputation_events_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_reputation_events_category_id_categories'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_reputation_events_post_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_reputation_events_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reputation_events')),
    sa.UniqueConstraint('user_id', 'kind', 'source_key', name=op.f('uq_reputation_events_user_id'))
    )
    with op.batch_alter_table('reputation_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reputation_events_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_reputation_events_created', ['created_at'], unique=False)
        batch_op.create_index('ix_reputation_events_user_created', ['user_id', 'created_at'], unique=False)

    op.create_table('user_badges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('badge_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('grant_key', sa.String(length=60), nullable=False),
    sa.Column('granted_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('granted_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['badge_id'], ['badges.id'], name=op.f('fk_user_badges_badge_id_badges'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['granted_by_id'], ['users.id'], name=op.f('fk_user_badges_granted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['post_id'], ['posts.id'], name=op.f('fk_user_badges_post_id_posts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_badges_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_user_badges')),
    sa.UniqueConstraint('badge_id', 'user_id', 'grant_key', name=op.f('uq_user_badges_badge_id'))
    )
    with op.batch_alter_table('user_badges', schema=None) as batch_op:
        batch_op.create_index('ix_user_badges_badge', ['badge_id', 'granted_at'], unique=False)
        batch_op.create_index('ix_user_badges_user', ['user_id', 'granted_at'], unique=False)

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('like_count', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.add_column(sa.Column('like_count', sa.Integer(), server_default='0', nullable=False))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_badge_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_title_badge_id_badges'), 'badges', ['title_badge_id'], ['id'], ondelete='SET NULL', use_alter=True)



def downgrade():
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_title_badge_id_badges'), type_='foreignkey')
        batch_op.drop_column('title_badge_id')

    with op.batch_alter_table('topics', schema=None) as batch_op:
        batch_op.drop_column('like_count')

    with op.batch_alter_table('posts', schema=None) as batch_op:
        batch_op.drop_column('like_count')

    with op.batch_alter_table('user_badges', schema=None) as batch_op:
        batch_op.drop_index('ix_user_badges_user')
        batch_op.drop_index('ix_user_badges_badge')

    op.drop_table('user_badges')
    with op.batch_alter_table('reputation_events', schema=None) as batch_op:
        batch_op.drop_index('ix_reputation_events_user_created')
        batch_op.drop_index('ix_reputation_events_created')
        batch_op.drop_index(batch_op.f('ix_reputation_events_category_id'))

    op.drop_table('reputation_events')
    with op.batch_alter_table('post_actions', schema=None) as batch_op:
        batch_op.drop_index('ix_post_actions_user_created')
        batch_op.drop_index(batch_op.f('ix_post_actions_post_id'))

    op.drop_table('post_actions')
    op.drop_table('user_visits')
    with op.batch_alter_table('user_stats', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_stats_reputation'))

    op.drop_table('user_stats')
    op.drop_table('badges')
