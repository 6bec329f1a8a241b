"""The library's rules, table-driven: who sees, downloads, edits, reviews and rates."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin

from forum import permissions
from forum.extensions import db
from forum.models import utcnow
from tests import factories

ROLES = ("guest", "author", "other", "student", "subject_moderator", "admin", "expert",
         "silenced_expert")


@pytest.fixture
def people(db, member, other_member, student, subject_moderator, admin, expert,
           expert_group):
    silenced = factories.make_user("tihiy")
    expert_group.members.append(silenced)
    factories.silence(silenced)
    db.session.commit()
    return {"guest": AnonymousUserMixin(), "author": member, "other": other_member,
            "student": student, "subject_moderator": subject_moderator, "admin": admin,
            "expert": expert, "silenced_expert": silenced}


@pytest.mark.parametrize("who, view, edit, review, rate", [
    ("guest", True, False, False, False),
    ("author", True, True, False, False),
    ("other", True, False, False, True),
    ("student", True, False, False, False),
    ("subject_moderator", True, True, False, True),
    ("admin", True, True, False, True),
    ("expert", True, False, True, True),
    ("silenced_expert", True, False, False, False),
])
def test_rules_for_a_public_resource(people, resource, who, view, edit, review, rate):
    user = people[who]
    assert permissions.can_view_resource(user, resource) is view
    assert permissions.can_download_resource(user, resource) is view
    assert permissions.can_edit_resource(user, resource) is edit
    assert permissions.can_review_resource(user, resource) is review
    assert permissions.can_rate_resource(user, resource) is rate


def test_a_removed_resource_is_visible_to_nobody(people, resource):
    resource.removed_at = utcnow()
    db.session.flush()
    assert not any(permissions.can_view_resource(u, resource) for u in people.values())


def test_experts_of_a_parent_subject_review_its_subcategories(db, category, expert, member):
    from tests.library.builders import first_post, make_resource

    child = factories.make_category("5 класс", parent=category)
    resource = make_resource(first_post(factories.make_topic(category=child, author=member)))
    assert permissions.can_review_resource(expert, resource)


def test_experts_of_another_subject_may_not_review(db, resource, expert_group):
    physics = factories.make_category("Физика", slug="fizika")
    physicist = factories.make_user("fizik")
    from forum.groups import services as groups
    from forum.library import experts

    other_group = groups.create_group(actor=None, name="experts-physics")
    other_group.members.append(physicist)
    experts.set_expert_group(physics, other_group, actor=None)
    assert not permissions.can_review_resource(physicist, resource)
