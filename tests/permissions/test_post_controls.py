"""post_controls() decides a page's per-post controls in one pass: it must give, for every
role, topic state and post state, exactly what the single-post predicates give."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum import permissions as perm
from forum.extensions import db
from forum.models import HIDDEN_AWAITING_APPROVAL, Post, Topic, utcnow
from forum.moderation.topic_actions import hide_post
from forum.permissions.posts import PostControls
from forum.topics import queries as topic_queries
from forum.topics import services as topics
from tests import factories
from tests.test_permissions import ROLES, build_world, insert_post

# Beyond the matrix's roles: the accounts whose rights a trust level or a sanction narrows.
EXTRA_ROLES = ["new_member", "regular", "silenced"]


def _single_answers(user, post: Post) -> PostControls:
    return PostControls(
        like=perm.can_like_listed_post(user, post,
                                       in_topic=perm.can_like_in_topic(user, post.topic)),
        flag=perm.can_flag_post(user, post),
        edit=perm.can_edit_post(user, post),
        delete=perm.can_delete_post(user, post),
        restore=perm.can_restore_post(user, post),
        hide=perm.can_hide_post(user, post),
        mark_helpful=perm.can_mark_listed_post_helpful(
            user, post, in_topic=perm.can_mark_helpful_in_topic(user, post.topic)),
    )


@pytest.fixture
def world(db):
    world = build_world()
    users = world.users
    users["new_member"] = factories.make_user("novichok", trust_level=0)
    users["regular"] = factories.make_user("staryi", trust_level=3)
    users["silenced"] = factories.silence(factories.make_user("molchun"))
    moderator, author = users["moderator"], users["author"]
    # Every post state a page can show: live, hidden by a moderator, awaiting approval,
    # deleted by its author and by a moderator, and one post of each role's account.
    for role in ROLES[1:] + EXTRA_ROLES:
        insert_post(world.topic, users[role], raw=f"Сообщение: {role}.")
    hide_post(topics.reply(world.topic, author=author, raw="Скрытый ответ."), actor=moderator)
    waiting = insert_post(world.topic, users["new_member"], raw="Ждёт одобрения.")
    waiting.hidden_reason, waiting.hidden_at = HIDDEN_AWAITING_APPROVAL, utcnow()
    self_deleted = topics.reply(world.topic, author=author, raw="Удалю сам.")
    topics.delete_post(self_deleted, actor=author)
    archived = factories.make_topic(category=world.public, author=author, title="Архивная тема",
                                    replies=1)
    archived.is_archived = True
    private = factories.make_topic(category=world.teachers_only, author=author,
                                   title="Тема для учителей", replies=1)
    db.session.commit()
    world.extra_topics = [archived, private]
    return world


def _topics(world) -> list[Topic]:
    return [world.topic, world.closed_topic, world.deleted_topic, *world.extra_topics]


@pytest.mark.parametrize("role", ROLES + EXTRA_ROLES)
def test_batch_controls_equal_the_single_post_predicates(world, role):
    user = world.user(role)
    compared = 0
    for topic in _topics(world):
        posts = list(db.session.scalars(
            select(Post).where(Post.topic_id == topic.id).order_by(Post.post_number)))
        batch = perm.post_controls(user, topic, posts)
        assert set(batch) == {post.id for post in posts}
        for post in posts:
            assert batch[post.id] == _single_answers(user, post), (topic.title, post.raw)
            compared += 1
    assert compared > 20


@pytest.mark.parametrize("role", ROLES + EXTRA_ROLES)
def test_like_control_agrees_with_can_like_post_on_readable_posts(world, role):
    user = world.user(role)
    posts = list(db.session.scalars(select(Post).where(Post.topic_id == world.topic.id)))
    batch = perm.post_controls(user, world.topic, posts)
    for post in posts:
        if perm.can_view_post(user, post):
            assert batch[post.id].like is perm.can_like_post(user, post)


def test_the_matrix_world_gives_each_control_both_answers(world):
    """Guards the comparison above against a world where some control is never allowed."""
    seen = {field: set() for field in PostControls.__dataclass_fields__}
    for role in ROLES + EXTRA_ROLES:
        for topic in _topics(world):
            posts = list(db.session.scalars(select(Post).where(Post.topic_id == topic.id)))
            for controls in perm.post_controls(world.user(role), topic, posts).values():
                for field in seen:
                    seen[field].add(getattr(controls, field))
    assert all(answers == {True, False} for answers in seen.values()), seen


def test_controls_ask_topic_wide_questions_once_however_many_posts(world, monkeypatch):
    """The point of the batch: three times the posts ask can_reply and can_moderate no more
    often (the topic-wide facts are asked once, not per post)."""
    from forum.permissions import content

    calls = {"reply": 0, "moderate": 0}
    real_reply, real_moderate = content.can_reply, content.can_moderate

    def counting_reply(user, topic):
        calls["reply"] += 1
        return real_reply(user, topic)

    def counting_moderate(user, category):
        calls["moderate"] += 1
        return real_moderate(user, category)

    monkeypatch.setattr(content, "can_reply", counting_reply)
    monkeypatch.setattr(content, "can_moderate", counting_moderate)
    posts = list(db.session.scalars(select(Post).where(Post.topic_id == world.topic.id)))
    assert len(posts) > 10
    perm.post_controls(world.user("member"), world.topic, posts)
    for_the_page = dict(calls)
    calls.update(reply=0, moderate=0)
    perm.post_controls(world.user("member"), world.topic, posts * 3)
    assert calls == for_the_page
    assert calls["reply"] == 1


@pytest.mark.parametrize("role", ROLES + EXTRA_ROLES)
def test_controls_from_a_pages_kept_posts_equal_those_from_post_objects(world, role):
    user = world.user(role)
    for topic in _topics(world):
        posts = list(db.session.scalars(
            select(Post).where(Post.topic_id == topic.id).order_by(Post.post_number)))
        kept = topic_queries._page_posts(topic.id, 1, len(posts) + 1)
        assert [post.id for post in kept] == [post.id for post in posts]
        assert perm.post_controls(user, topic, kept) == perm.post_controls(user, topic, posts)


@pytest.mark.parametrize("role", ROLES + EXTRA_ROLES)
def test_shows_post_agrees_with_the_shown_posts_filter(world, role):
    user = world.user(role)
    for topic in _topics(world):
        shown_by_sql = set(db.session.scalars(select(Post.id).where(
            Post.topic_id == topic.id, perm.shown_posts(user))))
        posts = db.session.scalars(select(Post).where(Post.topic_id == topic.id)).all()
        assert {post.id for post in posts if perm.shows_post(user, topic, post)} == shown_by_sql
