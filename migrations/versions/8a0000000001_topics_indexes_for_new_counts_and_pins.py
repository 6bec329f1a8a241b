"""Topics: indexes for members' "new" counts and Latest's globally pinned topics

Revision ID: 8a0000000001
Revises: 7c0000000001
Create Date: 2026-11-30 14:20:00

"""
import sqlalchemy as sa
from alembic import op

revision = '8a0000000001'
down_revision = '7c0000000001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_topics_created", "topics", ["created_at"])
    op.create_index("ix_topics_pinned_globally", "topics", ["bumped_at"],
                    sqlite_where=sa.text("is_pinned_globally IS 1"),
                    postgresql_where=sa.text("is_pinned_globally"))
    # SQLite's planner knows an index only from ANALYZE's statistics; without them it keeps
    # scanning topics by category for the count this index is for.
    op.execute("ANALYZE topics")


def downgrade():
    op.drop_index("ix_topics_pinned_globally", table_name="topics")
    op.drop_index("ix_topics_created", table_name="topics")
