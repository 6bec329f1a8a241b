"""forum.extensions.read_columns: column reads below the ORM see what the session holds."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import read_columns
from forum.models import User
from tests import factories


def test_a_column_read_sees_a_row_added_but_not_flushed(db):
    newcomer = factories.make_user("boris", name="Борис")
    db.session.flush()
    late = User(username="vera", username_lower="vera", email="vera@example.org",
                email_lower="vera@example.org", name="Вера")
    db.session.add(late)
    found = read_columns(select(User.username).where(User.id.in_(
        select(User.id).where(User.username_lower.in_(["boris", "vera"]))))).scalars().all()
    assert sorted(found) == ["boris", "vera"] and newcomer.id
