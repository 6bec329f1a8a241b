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


def test_the_listing_filter_admits_exactly_what_can_view_resource_allows(
        db, people, category, private_category, member, other_member, subject_moderator):
    """For a listing, visible_resources writes the viewer's categories into the SQL as id lists
    and drops the branches that are empty for the viewer; both forms must still agree with the
    per-object rule for every kind of viewer and every state a post or topic can be in."""
    from sqlalchemy import select

    from forum.models import HIDDEN_AWAITING_APPROVAL, Resource
    from tests.library.builders import first_post, make_resource

    child = factories.make_category("5 класс", parent=category)
    other_subject = factories.make_category("Физика", slug="fizika-rules")

    def material(cat, author, **state):
        topic = factories.make_topic(category=cat, author=author)
        post = first_post(topic)
        if state.get("reply"):
            post = factories.make_post(topic, author=author)
        res = make_resource(post)
        if state.get("topic_awaiting"):
            topic.is_awaiting_approval = True
        if state.get("post_awaiting"):
            post.hidden_reason, post.hidden_at = HIDDEN_AWAITING_APPROVAL, utcnow()
        if state.get("post_deleted"):
            post.deleted_at = utcnow()
        if state.get("topic_deleted"):
            topic.deleted_at = utcnow()
        if state.get("removed"):
            res.removed_at = utcnow()
        return res

    materials = [
        material(category, member), material(child, other_member),
        material(other_subject, other_member), material(private_category, member),
        material(category, member, topic_awaiting=True),
        material(child, other_member, topic_awaiting=True),
        material(other_subject, other_member, topic_awaiting=True),
        material(category, member, reply=True, post_awaiting=True),
        material(child, other_member, reply=True, post_awaiting=True),
        material(other_subject, member, reply=True, post_awaiting=True),
        material(category, member, reply=True, post_deleted=True),
        material(category, member, topic_deleted=True),
        material(category, member, removed=True),
    ]
    db.session.commit()

    def listed(user, listing):
        return set(db.session.scalars(
            select(Resource.id).where(permissions.visible_resources(user, listing=listing))))

    for who, user in people.items():
        allowed = {res.id for res in materials if permissions.can_view_resource(user, res)}
        for listing in (True, False):
            assert listed(user, listing) & {res.id for res in materials} == allowed, who
    # The cases above are not vacuous: the rules tell these viewers apart.
    assert materials[8].id in listed(subject_moderator, True)
    assert materials[8].id not in listed(member, True)
    assert materials[9].id in listed(member, True)
