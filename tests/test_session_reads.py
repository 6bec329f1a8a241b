"""forum.column_reads.read_columns and forum.extensions.load_by_id: the fast paths of every
page's reads give what the ORM's own paths give."""

from __future__ import annotations

from sqlalchemy import select

from forum import extensions
from forum.column_reads import read_columns
from forum.extensions import load_by_id
from forum.models import SIGNED_IN_USER_OPTIONS, User
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


def test_load_by_id_loads_with_its_options_through_one_kept_statement(db, member,
                                                                       count_queries):
    db.session.commit()
    member_id = member.id
    db.session.expunge_all()
    extensions._by_id_statement.cache_clear()
    with count_queries() as statements:
        user = load_by_id(User, member_id, SIGNED_IN_USER_OPTIONS)
        assert user.username == "anna" and user.unread_notification_count == 0
    assert len(statements) == 1  # the undeferred count came with the row
    db.session.expunge_all()
    assert load_by_id(User, member_id, SIGNED_IN_USER_OPTIONS).id == member_id
    assert extensions._by_id_statement.cache_info().hits == 1
    assert load_by_id(User, member_id + 1000, SIGNED_IN_USER_OPTIONS) is None
