"""chat: a client message id is unique across authors

Revision ID: 6a0000000002
Revises: 6a0000000001
Create Date: 2026-11-30 10:10:10.688109

"""
from alembic import op
import sqlalchemy as sa

import forum.models.base


# revision identifiers, used by Alembic.
revision = '6a0000000002'
down_revision = '6a0000000001'
branch_labels = None
depends_on = None


def upgrade():
    # Ids replayed by another author before this rule: the earliest message keeps its id.
    op.execute("UPDATE chat_messages SET client_id = NULL WHERE client_id IS NOT NULL AND id > "
               "(SELECT MIN(other.id) FROM chat_messages AS other "
               "WHERE other.client_id = chat_messages.client_id)")
    with op.batch_alter_table('chat_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_chat_messages_user_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_chat_messages_client_id'), ['client_id'])



def downgrade():
    with op.batch_alter_table('chat_messages', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_chat_messages_client_id'), type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_chat_messages_user_id'), ['user_id', 'client_id'])

