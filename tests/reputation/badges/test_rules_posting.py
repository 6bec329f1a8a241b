"""Posting badges: first post, first topic, first reply, prolific author."""

from sqlalchemy import delete

from forum.extensions import db
from forum.models import UserBadge, utcnow
from forum.reputation.badges.engine import backfill
from forum.settings import set_setting
from forum.topics import services as topics
from tests import factories
from tests.reputation.badges.helpers import grants, holds


def test_first_post_is_granted_with_a_members_first_topic(member, category):
    assert not holds(member, "first-post")
    factories.make_topic(category=category, author=member)
    assert holds(member, "first-post")


def test_first_post_is_granted_once_however_many_posts_follow(topic, member):
    factories.make_post(topic, author=member)
    factories.make_post(topic, author=member)
    assert len(grants(member, "first-post")) == 1


def test_first_post_points_at_the_post_that_earned_it(member, category):
    topic = factories.make_topic(category=category, author=member)
    first = topic_first_post(topic)
    assert grants(member, "first-post")[0].post_id == first.id


def topic_first_post(topic):
    from sqlalchemy import select

    from forum.models import Post
    return db.session.scalar(select(Post).where(Post.topic_id == topic.id,
                                                Post.post_number == 1))


def test_first_topic_is_granted_for_a_topic_and_not_for_a_reply(topic, other_member, member):
    factories.make_post(topic, author=other_member)
    assert not holds(other_member, "first-topic")
    assert holds(member, "first-topic")


def test_first_reply_needs_a_reply_in_another_members_topic(topic, member, other_member):
    factories.make_post(topic, author=member)  # answering one's own topic
    assert not holds(member, "first-reply")
    factories.make_post(topic, author=other_member)
    assert holds(other_member, "first-reply")
    factories.make_post(topic, author=other_member)
    assert len(grants(other_member, "first-reply")) == 1


def test_a_post_awaiting_approval_earns_nothing_until_it_is_published(topic):
    set_setting("approve_new_member_posts", 1)
    newcomer = factories.make_user()
    held = factories.make_post(topic, author=newcomer)
    assert held.hidden_reason == "approval"
    backfill()
    assert not holds(newcomer, "first-reply")
    held.hidden_at, held.hidden_reason = None, None  # what review.approve does
    topics.count_new_post(held, author=newcomer, now=utcnow())
    assert holds(newcomer, "first-reply")


def test_prolific_author_comes_with_the_hundredth_post_not_the_ninety_ninth(topic, member):
    for n in range(98):  # the topic's first post plus 98 replies: 99 posts
        topics.reply(topic, author=member, raw=f"Ответ {n}")
    assert not holds(member, "prolific-author")
    topics.reply(topic, author=member, raw="Сотый")
    assert holds(member, "prolific-author")
    topics.reply(topic, author=member, raw="Сто первый")
    assert len(grants(member, "prolific-author")) == 1


def test_deleted_posts_do_not_count_towards_prolific_author(topic, other_member):
    posts = [topics.reply(topic, author=other_member, raw=f"Ответ {n}") for n in range(100)]
    assert holds(other_member, "prolific-author")
    topics.delete_post(posts[0], actor=other_member)
    db.session.execute(delete(UserBadge))  # as if the badge had never been granted
    backfill()
    assert not holds(other_member, "prolific-author")
