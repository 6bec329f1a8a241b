"""Like badges: first thanks, appreciative, welcome, good/excellent/outstanding reply,
good/excellent topic, mentor. Likes are inserted as the like service will (PostAction rows,
counters, the like_given event)."""

import pytest

from forum.settings import set_setting
from tests import factories
from tests.reputation.badges.helpers import grants, holds, like, set_likes


@pytest.fixture
def reply(topic, other_member):
    return factories.make_post(topic, author=other_member)


def test_first_thanks_comes_with_a_members_first_like(member, reply):
    assert not holds(member, "first-like")
    like(reply, member)
    assert holds(member, "first-like")


def test_first_thanks_is_granted_once(member, topic):
    for _ in range(3):
        like(factories.make_post(topic, author=factories.make_user()), member)
    assert len(grants(member, "first-like")) == 1


def test_appreciative_comes_with_the_fiftieth_like_given(member, topic):
    posts = [factories.make_post(topic, author=factories.make_user()) for _ in range(50)]
    for post in posts[:49]:
        like(post, member)
    assert not holds(member, "appreciative")
    like(posts[49], member)
    assert holds(member, "appreciative")
    assert len(grants(member, "appreciative")) == 1


def test_welcome_comes_with_the_first_like_received(member, other_member, reply):
    assert not holds(other_member, "welcome")
    like(reply, member)
    assert holds(other_member, "welcome")
    like(reply, factories.make_user())
    assert len(grants(other_member, "welcome")) == 1


@pytest.mark.parametrize(("slug", "needed"), [("nice-reply", 10), ("great-reply", 25),
                                              ("outstanding-reply", 50)])
def test_a_reply_badge_comes_at_its_number_of_likes_and_not_before(slug, needed, reply,
                                                                   other_member, member):
    set_likes(reply, needed - 1, announce_by=member)
    assert not holds(other_member, slug)
    set_likes(reply, needed, announce_by=member)
    assert holds(other_member, slug)
    set_likes(reply, needed + 1, announce_by=member)
    assert [g.grant_key for g in grants(other_member, slug)] == [f"post:{reply.id}"]


def test_reply_badges_are_granted_once_per_post(topic, other_member, member):
    first, second = (factories.make_post(topic, author=other_member) for _ in range(2))
    set_likes(first, 10, announce_by=member)
    set_likes(second, 10, announce_by=member)
    assert {g.post_id for g in grants(other_member, "nice-reply")} == {first.id, second.id}


def test_a_topics_first_post_earns_topic_badges_not_reply_badges(topic, member, other_member):
    first = topic_first(topic)
    set_likes(first, 50, announce_by=other_member)
    assert not holds(member, "nice-reply")
    assert holds(member, "nice-topic")


def topic_first(topic):
    from sqlalchemy import select

    from forum.extensions import db
    from forum.models import Post
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id,
                                                Post.post_number == 1))


@pytest.mark.parametrize(("slug", "setting", "needed"), [
    ("nice-topic", "badges_nice_topic_likes", 10),
    ("great-topic", "badges_great_topic_likes", 25)])
def test_topic_badges_come_when_the_topics_likes_reach_the_setting(slug, setting, needed,
                                                                   topic, member, reply):
    set_likes(reply, needed - 1, announce_by=member)  # likes on any post of the topic count
    assert not holds(member, slug)
    set_likes(reply, needed, announce_by=member)
    assert [g.grant_key for g in grants(member, slug)] == [f"topic:{topic.id}"]
    set_likes(reply, needed + 5, announce_by=member)
    assert len(grants(member, slug)) == 1


def test_the_topic_badge_threshold_is_an_admin_setting(topic, member, reply):
    set_setting("badges_nice_topic_likes", 3)
    set_likes(reply, 3, announce_by=member)
    assert holds(member, "nice-topic")


def test_mentor_counts_likes_on_replies_in_other_members_topics(topic, member, other_member):
    set_setting("badges_mentor_likes", 5)
    own_topic = factories.make_topic(author=other_member)
    own_reply = factories.make_post(own_topic, author=other_member)
    set_likes(own_reply, 10, announce_by=member)  # answering oneself does not mentor anyone
    assert not holds(other_member, "mentor")
    helpful = factories.make_post(topic, author=other_member)
    set_likes(helpful, 4, announce_by=member)
    assert not holds(other_member, "mentor")
    set_likes(helpful, 5, announce_by=member)
    assert holds(other_member, "mentor")
    set_likes(helpful, 9, announce_by=member)
    assert len(grants(other_member, "mentor")) == 1


def test_mentor_adds_up_likes_across_replies(topic, member, other_member):
    set_setting("badges_mentor_likes", 6)
    replies = [factories.make_post(topic, author=other_member) for _ in range(3)]
    for post in replies:
        set_likes(post, 2, announce_by=member)
    assert holds(other_member, "mentor")


def test_likes_on_deleted_posts_earn_nothing(topic, member, other_member):
    from forum.reputation.badges.engine import backfill
    from forum.topics import services as topics
    post = factories.make_post(topic, author=other_member)
    set_likes(post, 10)
    topics.delete_post(post, actor=other_member)
    backfill()
    assert not holds(other_member, "nice-reply")
