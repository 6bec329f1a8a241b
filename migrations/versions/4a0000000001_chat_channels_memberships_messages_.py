"""chat channels memberships messages reactions; flags on chat messages

Revision ID: 4a0000000001
Revises: 3b0000000001
Create Date: 2026-11-30 06:20:47.224365

"""
from alembic import op
import sqlalchemy as sa

import forum.models.base


# revision identifiers, used by Alembic.
revision = '4a0000000001'
down_revision = '3b0000000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('chat_channels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('host_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ends_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('is_closed', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('slow_mode_seconds', sa.Integer(), server_default='0', nullable=False),
    sa.Column('messages_count', sa.Integer(), server_default='0', nullable=False),
    sa.Column('last_message_id', sa.Integer(), nullable=True),
    sa.Column('last_message_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('deleted_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_chat_channels_category_id_categories'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_chat_channels_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['host_id'], ['users.id'], name=op.f('fk_chat_channels_host_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_channels'))
    )
    with op.batch_alter_table('chat_channels', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_channels_category_id'), ['category_id'], unique=False)
        batch_op.create_index('ix_chat_channels_kind_last', ['kind', 'last_message_at'], unique=False)

    op.create_table('chat_memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('is_following', sa.Boolean(), nullable=False),
    sa.Column('is_invited', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('last_read_message_id', sa.Integer(), nullable=True),
    sa.Column('silenced_until', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('last_message_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('joined_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['channel_id'], ['chat_channels.id'], name=op.f('fk_chat_memberships_channel_id_chat_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_chat_memberships_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_memberships')),
    sa.UniqueConstraint('channel_id', 'user_id', name=op.f('uq_chat_memberships_channel_id'))
    )
    with op.batch_alter_table('chat_memberships', schema=None) as batch_op:
        batch_op.create_index('ix_chat_memberships_user', ['user_id', 'is_following'], unique=False)

    op.create_table('chat_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('client_id', sa.String(length=64), nullable=True),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('cooked', sa.Text(), nullable=False),
    sa.Column('reply_to_id', sa.Integer(), nullable=True),
    sa.Column('created_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', forum.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['channel_id'], ['chat_channels.id'], name=op.f('fk_chat_messages_channel_id_chat_channels'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['deleted_by_id'], ['users.id'], name=op.f('fk_chat_messages_deleted_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reply_to_id'], ['chat_messages.id'], name=op.f('fk_chat_messages_reply_to_id_chat_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_chat_messages_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_messages')),
    sa.UniqueConstraint('user_id', 'client_id', name=op.f('uq_chat_messages_user_id'))
    )
    with op.batch_alter_table('chat_messages', schema=None) as batch_op:
        batch_op.create_index('ix_chat_messages_channel_id', ['channel_id', 'id'], unique=False)

    op.create_table('chat_message_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('raw', sa.Text(), nullable=False),
    sa.Column('editor_id', sa.Integer(), nullable=True),
    sa.Column('editor_name', sa.String(length=60), nullable=False),
    sa.Column('created_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['editor_id'], ['users.id'], name=op.f('fk_chat_message_revisions_editor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['message_id'], ['chat_messages.id'], name=op.f('fk_chat_message_revisions_message_id_chat_messages'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_message_revisions'))
    )
    with op.batch_alter_table('chat_message_revisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_message_revisions_message_id'), ['message_id'], unique=False)

    op.create_table('chat_reactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('emoji', sa.String(length=32), nullable=False),
    sa.Column('created_at', forum.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['chat_messages.id'], name=op.f('fk_chat_reactions_message_id_chat_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_chat_reactions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_reactions')),
    sa.UniqueConstraint('message_id', 'user_id', 'emoji', name=op.f('uq_chat_reactions_message_id'))
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chat_message_id', sa.Integer(), nullable=True))
        batch_op.alter_column('post_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_flags_chat_message_id'), ['chat_message_id'], unique=False)
        batch_op.create_unique_constraint(batch_op.f('uq_flags_chat_message_id'), ['chat_message_id', 'user_id'])
        batch_op.create_foreign_key(batch_op.f('fk_flags_chat_message_id_chat_messages'), 'chat_messages', ['chat_message_id'], ['id'], ondelete='CASCADE')

    with op.batch_alter_table('reviewables', schema=None) as batch_op:
        batch_op.add_column(sa.Column('chat_message_id', sa.Integer(), nullable=True))
        batch_op.alter_column('post_id',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.create_index(batch_op.f('ix_reviewables_chat_message_id'), ['chat_message_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reviewables_chat_message_id_chat_messages'), 'chat_messages', ['chat_message_id'], ['id'], ondelete='CASCADE')



def downgrade():
    # Flags and review items on chat messages cannot survive without their messages.
    op.execute("DELETE FROM flags WHERE chat_message_id IS NOT NULL")
    op.execute("DELETE FROM reviewables WHERE chat_message_id IS NOT NULL")
    with op.batch_alter_table('reviewables', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reviewables_chat_message_id_chat_messages'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reviewables_chat_message_id'))
        batch_op.alter_column('post_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('chat_message_id')

    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_flags_chat_message_id_chat_messages'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_flags_chat_message_id'), type_='unique')
        batch_op.drop_index(batch_op.f('ix_flags_chat_message_id'))
        batch_op.alter_column('post_id',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.drop_column('chat_message_id')

    op.drop_table('chat_reactions')
    with op.batch_alter_table('chat_message_revisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_message_revisions_message_id'))

    op.drop_table('chat_message_revisions')
    with op.batch_alter_table('chat_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_chat_messages_channel_id')

    op.drop_table('chat_messages')
    with op.batch_alter_table('chat_memberships', schema=None) as batch_op:
        batch_op.drop_index('ix_chat_memberships_user')

    op.drop_table('chat_memberships')
    with op.batch_alter_table('chat_channels', schema=None) as batch_op:
        batch_op.drop_index('ix_chat_channels_kind_last')
        batch_op.drop_index(batch_op.f('ix_chat_channels_category_id'))

    op.drop_table('chat_channels')
