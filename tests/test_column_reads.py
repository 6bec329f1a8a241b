"""forum.column_reads: SQL rendered once and run on the driver gives exactly what SQLAlchemy's
own execution gives, and steps aside whenever that path is needed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import (
    String,
    TypeDecorator,
    bindparam,
    event,
    exc,
    func,
    literal,
    select,
    text,
    type_coerce,
)

from forum import column_reads
from forum.column_reads import read_columns
from forum.models import Draft, Topic, User, utcnow
from tests import factories

_SINCE = (select(Topic.id, Topic.created_at, Topic.is_pinned_globally)
          .where(Topic.created_at >= bindparam("since", type_=Topic.created_at.type,
                                                required=True),
                 Topic.id.in_(bindparam("ids", expanding=True, required=True)),
                 Topic.title != literal("—"))
          .order_by(Topic.id))
_DRAFT = select(Draft.data).where(Draft.user_id == bindparam("user_id", required=True))


def _sqlalchemy_rows(db, statement, parameters):
    return [tuple(row) for row in db.session.connection().execute(statement, parameters)]


@pytest.fixture
def topics(db, category, member):
    made = [factories.make_topic(category=category, author=member, title=f"Тема номер {n}")
            for n in range(3)]
    db.session.commit()
    return made


@pytest.mark.parametrize("count", [0, 1, 3])
def test_rows_equal_sqlalchemys_for_dates_lists_and_flags(db, topics, count):
    parameters = {"since": utcnow() - timedelta(days=1),
                  "ids": [t.id for t in topics[:count]] + [10**9]}
    rows = read_columns(_SINCE, parameters)
    assert rows.all() == _sqlalchemy_rows(db, _SINCE, parameters)
    assert [row[0] for row in rows] == [t.id for t in topics[:count]]
    if count:
        assert isinstance(rows[0][1], datetime)  # SQLite stores text: converted back
        assert rows[0][2] is False  # a Boolean column comes back as bool on every database


def test_an_empty_list_and_a_later_date_select_nothing(db, topics):
    assert read_columns(_SINCE, {"since": utcnow() - timedelta(days=1), "ids": []}).all() == []
    later = {"since": utcnow() + timedelta(days=1), "ids": [t.id for t in topics]}
    assert read_columns(_SINCE, later).all() == []


def test_each_list_length_is_rendered_once_and_reused(db, topics):
    column_reads._prepared.clear()
    since = utcnow() - timedelta(days=1)
    read_columns(_SINCE, {"since": since, "ids": [topics[0].id]})
    read_columns(_SINCE, {"since": since, "ids": [topics[1].id]})
    read_columns(_SINCE, {"since": since, "ids": [topics[0].id, topics[1].id]})
    assert len(column_reads._prepared) == 2
    # A second IN list of the same length reads its own values, not the first call's.
    assert read_columns(_SINCE, {"since": since, "ids": [topics[2].id]}).scalars() == [
        topics[2].id]


def test_json_values_come_back_decoded(db, member):
    db.session.add(Draft(user_id=member.id, draft_key="new_topic", data={"raw": "Черновик"}))
    db.session.commit()
    assert read_columns(_DRAFT, {"user_id": member.id}).scalar() == {"raw": "Черновик"}
    assert read_columns(_DRAFT, {"user_id": member.id + 1}).scalar() is None


def test_values_the_statement_carries_are_sent_with_each_call(db, member):
    statement = select(func.count()).select_from(User).where(
        User.username_lower.in_(["anna", "nobody"]), User.id == bindparam("id", required=True))
    assert read_columns(statement, {"id": member.id}).one() == (1,)
    assert read_columns(statement, {"id": member.id + 1}).one() == (0,)


class _Folded(TypeDecorator):
    """A parameter type with a conversion of its own, as SQLAlchemy applies it."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.casefold()

    def process_result_value(self, value, dialect):
        return value.upper()


def test_a_types_own_conversions_apply_both_ways(db, member):
    statement = select(type_coerce(User.username, _Folded())).where(
        User.username_lower == bindparam("name", type_=_Folded(), required=True))
    assert _sqlalchemy_rows(db, statement, {"name": "Anna"}) == [("ANNA",)]
    assert read_columns(statement, {"name": "Anna"}).all() == [("ANNA",)]


def test_one_refuses_no_row_and_many_rows(db, topics):
    ids = select(Topic.id).where(Topic.id.in_(bindparam("ids", expanding=True)))
    with pytest.raises(exc.NoResultFound):
        read_columns(ids, {"ids": []}).one()
    with pytest.raises(exc.MultipleResultsFound):
        read_columns(ids, {"ids": [t.id for t in topics]}).one()


def test_statements_take_sqlalchemys_path_while_something_listens(db, member):
    seen = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    by_id = select(User.username).where(User.id == bindparam("id", required=True))
    read_columns(by_id, {"id": member.id})
    assert seen == []
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert read_columns(by_id, {"id": member.id}).scalar() == "anna"
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(seen) == 1 and "users" in seen[0]


def test_a_driver_error_is_raised_as_sqlalchemys(db):
    broken = select(text("no_such_column")).select_from(User)
    with pytest.raises(exc.DBAPIError):
        read_columns(broken)
    db.session.rollback()
    assert read_columns(select(func.count()).select_from(User)).scalar() >= 0

