"""Badge rules never count content in places the member cannot read: private categories count
only for those who may read them, on events and in the backfill alike."""

import pytest
from sqlalchemy import delete

from forum.extensions import db
from forum.models import PERMISSION_FULL, UserBadge
from forum.reputation.badges.engine import backfill
from forum.settings import set_setting
from tests import factories
from tests.reputation.badges.helpers import holds, like, set_likes


@pytest.fixture
def teachers_room(db):
    return factories.make_private_category()


def _move(topic, category) -> None:
    """An admin moved the topic where its author cannot follow (e.g. into the staff room)."""
    topic.category_id = category.id
    db.session.flush()


def _forget_badges() -> None:
    """History from before badges existed: the backfill is what would grant them."""
    db.session.execute(delete(UserBadge))
    db.session.flush()


def test_a_backfill_ignores_posts_in_a_category_the_author_can_no_longer_read(
        teachers_room, category):
    author = factories.make_user()
    factories.make_topic(category=teachers_room, author=author)
    author.role = "student"  # the account was reclassified: the teachers' room is closed to it
    _forget_badges()
    backfill()
    assert not holds(author, "first-post")
    factories.make_topic(category=category, author=author)
    assert holds(author, "first-post")


def test_likes_given_in_a_category_the_giver_cannot_read_do_not_count(student, category,
                                                                      teachers_room):
    topic = factories.make_topic(category=category, author=factories.make_user())
    post = factories.make_post(topic, author=factories.make_user())
    _move(topic, teachers_room)
    like(post, student)  # e.g. a like from before the move, replayed
    assert not holds(student, "first-like")
    backfill()
    assert not holds(student, "first-like")


def test_likes_received_in_a_category_the_author_cannot_read_do_not_count(teachers_room,
                                                                         member):
    author = factories.make_user()
    topic = factories.make_topic(category=teachers_room, author=author)
    reply = factories.make_post(factories.make_topic(category=teachers_room), author=author)
    author.role = "student"
    _forget_badges()
    set_likes(reply, 60, announce_by=member)
    set_likes(topic_first(topic), 60, announce_by=member)
    backfill()
    for slug in ("welcome", "nice-reply", "great-reply", "outstanding-reply", "nice-topic",
                 "great-topic", "mentor"):
        assert not holds(author, slug), slug


def topic_first(topic):
    from sqlalchemy import select

    from forum.models import Post
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id,
                                                Post.post_number == 1))


def test_the_same_likes_count_for_a_member_who_can_read_the_category(member, teachers_room,
                                                                    other_member):
    set_setting("badges_mentor_likes", 10)
    topic = factories.make_topic(category=teachers_room, author=other_member)
    reply = factories.make_post(topic, author=member)
    like(reply, other_member)
    set_likes(reply, 60, announce_by=other_member)
    for slug in ("welcome", "nice-reply", "great-reply", "outstanding-reply", "mentor"):
        assert holds(member, slug), slug
    assert holds(other_member, "nice-topic") and holds(other_member, "first-like")


def test_a_member_of_a_group_the_category_is_open_to_counts_what_the_group_reads(db):
    from forum import permissions
    from forum.groups import services as groups
    student = factories.make_user(role="student")
    group = groups.create_group(actor=None, name="olimpiadniki")
    club = factories.make_category("Клуб", permissions={"olimpiadniki": PERMISSION_FULL})
    groups.add_member(group, student, actor=None)
    permissions.forget_cached_groups(student)
    factories.make_topic(category=club, author=student)
    groups.remove_member(group, student, actor=None)
    _forget_badges()
    backfill()
    assert not holds(student, "first-topic")
    groups.add_member(group, student, actor=None)
    db.session.flush()
    backfill()
    assert holds(student, "first-topic")
