"""category_readers() gives, for many members at once, what visible_categories() gives each."""

import pytest
from sqlalchemy import select

from forum import permissions
from forum.extensions import db
from forum.groups import services as groups
from forum.models import PERMISSION_FULL, Category, utcnow
from tests import factories


@pytest.fixture
def community(db):
    """Public, teachers-only, staff-only and group-only categories, a subcategory, and people
    of every kind: roles, a subject moderator, a custom group's member, a deleted account."""
    public = factories.make_category("Общий")
    teachers = factories.make_private_category()
    factories.make_staff_only_category()
    club_group = groups.create_group(actor=None, name="kruzhok")
    club = factories.make_category("Кружок", permissions={"kruzhok": PERMISSION_FULL})
    factories.make_category("Подраздел", parent=teachers)
    people = {role: factories.make_user(role=role)
              for role in ("admin", "moderator", "member", "student", "parent")}
    people["subject moderator"] = factories.make_subject_moderator(teachers)
    people["club student"] = factories.make_user(role="student")
    groups.add_member(club_group, people["club student"], actor=None)
    people["deleted"] = factories.make_user()
    people["deleted"].deleted_at = utcnow()
    db.session.flush()
    assert public and club
    return people


def _one_by_one(user) -> set[int]:
    permissions.forget_cached_groups(user)
    return set(db.session.scalars(select(Category.id).where(
        permissions.visible_categories(user))))


def _all_at_once(user_ids=None) -> dict[int, set[int]]:
    pairs: dict[int, set[int]] = {}
    for user_id, category_id in db.session.execute(permissions.category_readers(user_ids)):
        pairs.setdefault(user_id, set()).add(category_id)
    return pairs


def test_every_live_account_reads_what_visible_categories_says(community):
    pairs = _all_at_once()
    for name, user in community.items():
        if name == "deleted":
            continue
        assert pairs.get(user.id, set()) == _one_by_one(user), name


def test_deleted_accounts_read_nothing(community):
    assert community["deleted"].id not in _all_at_once()


def test_narrowing_to_some_accounts_gives_only_theirs(community):
    student, member = community["student"], community["member"]
    pairs = _all_at_once([student.id, member.id])
    assert set(pairs) == {student.id, member.id}
    assert pairs[member.id] == _one_by_one(member)
