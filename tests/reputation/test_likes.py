"""The likes service: counters, refusals that change nothing, the daily limit, domain events."""

from __future__ import annotations

import pytest

from forum import domain_events
from forum.errors import DomainError
from forum.extensions import db
from forum.models import PostAction, UserStats
from forum.reputation import likes
from forum.settings import set_setting
from tests import factories
from tests.reputation.helpers import like, member_at


@pytest.fixture
def author(db):
    return member_at(1, "avtor")


@pytest.fixture
def post(author, category):
    topic = factories.make_topic(category=category, author=author)
    return factories.make_post(topic, author=author, raw="Делюсь планом урока.")


@pytest.fixture
def liker(db):
    return member_at(1, "kollega")


def _refused(post, user, words):
    with pytest.raises(DomainError) as caught:
        likes.like_post(post, user=user)
    db.session.rollback()
    assert words in str(caught.value.message)
    assert db.session.query(PostAction).count() == 0
    return caught.value


def test_a_like_counts_on_the_post_the_topic_and_both_members(post, author, liker):
    like(post, liker)
    db.session.refresh(post)
    assert post.like_count == 1
    assert post.topic.like_count == 1
    assert db.session.get(UserStats, liker.id).likes_given == 1
    assert db.session.get(UserStats, author.id).likes_received == 1


def test_unliking_takes_every_counter_back(post, author, liker):
    like(post, liker)
    likes.unlike_post(post, user=liker)
    db.session.refresh(post)
    assert (post.like_count, post.topic.like_count) == (0, 0)
    assert db.session.get(UserStats, liker.id).likes_given == 0
    assert db.session.get(UserStats, author.id).likes_received == 0
    assert db.session.query(PostAction).count() == 0


def test_liking_ones_own_post_is_refused(post, author):
    error = _refused(post, author, "своё сообщение")
    assert error.status_code == 403


def test_liking_twice_is_refused_and_counts_once(post, liker):
    like(post, liker)
    with pytest.raises(DomainError, match="уже отметили"):
        likes.like_post(post, user=liker)
    db.session.refresh(post)
    assert post.like_count == 1


def test_liking_a_deleted_post_is_refused(post, liker, moderator):
    from forum.topics import services

    services.delete_post(post, actor=moderator)
    _refused(post, liker, "удалено")


def test_liking_in_a_closed_topic_is_refused(post, liker):
    post.topic.is_closed = True
    db.session.flush()
    _refused(post, liker, "Тема закрыта")


def test_a_silenced_member_cannot_like(post, liker):
    factories.silence(liker)
    _refused(post, liker, "запрещено писать")


def test_students_and_parents_read_but_do_not_like(post, student):
    _refused(post, student, "только учителя")


def test_a_post_in_a_category_the_member_cannot_see_is_not_found(liker, author):
    from werkzeug.exceptions import NotFound

    topic = factories.make_topic(category=factories.make_private_category(), author=author)
    hidden = factories.make_post(topic, author=author)
    with pytest.raises(NotFound):
        likes.like_post(hidden, user=factories.make_user(role="student"))


def test_unliking_a_post_one_never_liked_is_refused(post, liker):
    with pytest.raises(DomainError, match="не отмечали"):
        likes.unlike_post(post, user=liker)


def test_the_daily_limit_follows_the_trust_level_and_names_the_level_that_lifts_it(
        author, category):
    set_setting("likes_per_day_tl1", 2)
    set_setting("likes_per_day_tl2", 5)
    topic = factories.make_topic(category=category, author=author, replies=3)
    posts = [factories.make_post(topic, author=author) for _ in range(3)]
    liker = member_at(1)
    like(posts[0], liker)
    like(posts[1], liker)
    with pytest.raises(DomainError) as caught:
        likes.like_post(posts[2], user=liker)
    assert caught.value.status_code == 429
    assert "Уровень доверия 2 повышает лимит до 5 в день" in caught.value.message
    liker.trust_level = 2
    like(posts[2], liker)


def test_at_the_highest_limit_the_message_says_tomorrow(post):
    set_setting("likes_per_day_tl4", 0)
    leader = member_at(4)
    with pytest.raises(DomainError, match="завтра"):
        likes.like_post(post, user=leader)


def test_like_and_unlike_send_their_domain_events(post, liker):
    seen = []

    def given(sender, **kwargs):
        seen.append(("given", sender.post_id, sender.user_id))

    def removed(sender, **kwargs):
        seen.append(("removed", sender.id, kwargs["user"].id))

    with domain_events.like_given.connected_to(given), \
            domain_events.like_removed.connected_to(removed):
        like(post, liker)
        likes.unlike_post(post, user=liker)
    assert seen == [("given", post.id, liker.id), ("removed", post.id, liker.id)]


def test_the_new_count_is_announced_to_the_topic_after_commit(post, liker):
    like(post, liker)
    pending = db.session.info.get("kafedra_pending_emits")
    assert ("post_likes", {"topic_id": post.topic_id, "post_id": post.id, "like_count": 1},
            f"topic:{post.topic_id}", "/live") in pending
