"""Moving posts: split into a new or existing topic, merge; counters, permalinks, refusals."""

from __future__ import annotations

from datetime import timedelta

import pytest

from forum.errors import DomainError
from forum.extensions import db
from forum.models import MovedPost, Notification, Post, PostRevision, StaffAction, utcnow
from forum.moderation import post_moves
from forum.topics import services
from tests import factories


@pytest.fixture
def thread(db, category, member, other_member):
    """A topic of five posts, a minute apart: #1 by member, #2-#5 alternating authors."""
    topic = factories.make_topic(category=category, author=member, title="Дроби в пятом классе")
    authors = [other_member, member, other_member, member]
    for i, author in enumerate(authors, start=2):
        services.reply(topic, author=author, raw=f"Ответ номер {i}")
    start = utcnow() - timedelta(hours=1)
    for post in db.session.query(Post).filter_by(topic_id=topic.id):
        post.created_at = start + timedelta(minutes=post.post_number)
    services._recount_topic(topic)
    db.session.commit()
    return topic


@pytest.fixture
def target(db, category, other_member):
    topic = factories.make_topic(category=category, author=other_member,
                                 title="Геометрия: площадь фигур")
    db.session.commit()
    return topic


def post(topic, number):
    return services.post_by_number(topic, number)


def test_splitting_into_a_new_topic_keeps_authors_dates_and_history(subject_moderator, thread,
                                                                    category, other_member):
    second, third = post(thread, 2), post(thread, 3)
    dates = (second.created_at, third.created_at)
    new = post_moves.move_posts(thread, actor=subject_moderator, post_ids=[third.id, second.id],
                                title="Отдельное обсуждение дробей", category=category)
    db.session.commit()
    assert [(p.post_number, p.user_id) for p in (second, third)] == [(1, other_member.id),
                                                                     (2, thread.user_id)]
    assert (second.topic_id, third.topic_id) == (new.id, new.id)
    assert (second.created_at, third.created_at) == dates
    assert new.user_id == other_member.id and new.posts_count == 2
    assert db.session.query(PostRevision).filter_by(post_id=second.id).count() == 1


def test_a_split_recounts_both_topics_and_the_category(subject_moderator, thread, category):
    fifth = post(thread, 5)
    posts_before, topics_before = category.post_count, category.topic_count
    new = post_moves.move_posts(thread, actor=subject_moderator, post_ids=[fifth.id],
                                title="Хвост обсуждения дробей", category=category)
    db.session.commit()
    assert (thread.posts_count, thread.highest_post_number) == (4, 4)
    fourth = post(thread, 4)
    assert (thread.last_poster_id, thread.last_posted_at) == (fourth.user_id,
                                                             fourth.created_at)
    assert thread.bumped_at == fourth.created_at
    assert (new.posts_count, new.highest_post_number, new.last_poster_id) == (
        1, 1, fifth.user_id)
    assert (category.post_count, category.topic_count) == (posts_before, topics_before + 1)


def test_moved_posts_go_to_the_end_of_an_existing_topic_in_time_order(subject_moderator,
                                                                     thread, target):
    third, fourth = post(thread, 3), post(thread, 4)
    post_moves.move_posts(thread, actor=subject_moderator, post_ids=[fourth.id, third.id],
                          destination=target)
    db.session.commit()
    assert (third.post_number, fourth.post_number) == (2, 3)
    assert (target.posts_count, target.highest_post_number) == (3, 3)
    assert thread.posts_count == 3


def test_old_permalinks_of_moved_posts_redirect_permanently(client, subject_moderator, thread,
                                                            target):
    third = post(thread, 3)
    post_moves.move_posts(thread, actor=subject_moderator, post_ids=[third.id],
                          destination=target)
    db.session.commit()
    response = client.get(f"/t/{thread.slug}/{thread.id}/3")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/t/{target.slug}/{target.id}/2#post_2")
    assert client.get(f"/t/{thread.slug}/{thread.id}/2").status_code == 200


def test_a_new_reply_never_takes_a_moved_posts_old_number(subject_moderator, thread, target,
                                                          member):
    fifth = post(thread, 5)
    post_moves.move_posts(thread, actor=subject_moderator, post_ids=[fifth.id],
                          destination=target)
    reply = services.reply(thread, author=member, raw="Новый ответ после переноса")
    assert reply.post_number == 6


def test_a_reply_link_follows_a_post_moved_with_its_target(subject_moderator, thread, category):
    second, third = post(thread, 2), post(thread, 3)
    third.reply_to_post_number = 2
    new = post_moves.move_posts(thread, actor=subject_moderator, post_ids=[second.id, third.id],
                                title="Ветка с ответом на ответ", category=category)
    assert new.posts_count == 2 and third.reply_to_post_number == 1


def test_merging_moves_every_post_and_retires_the_emptied_topic(client, subject_moderator,
                                                                thread, target, category):
    topics_before = category.topic_count
    post_moves.merge_topic(thread, actor=subject_moderator, destination=target)
    db.session.commit()
    assert target.posts_count == 6 and thread.posts_count == 0
    assert thread.deleted_at is not None and category.topic_count == topics_before - 1
    response = client.get(f"/t/{thread.slug}/{thread.id}")
    assert response.status_code == 301
    assert f"/t/{target.slug}/{target.id}/2" in response.headers["Location"]
    assert [e.action for e in db.session.query(StaffAction).order_by(StaffAction.id)] == [
        "post.move", "topic.merge"]


def test_merging_twice_changes_nothing_the_second_time(subject_moderator, thread, target):
    post_moves.merge_topic(thread, actor=subject_moderator, destination=target)
    post_moves.merge_topic(thread, actor=subject_moderator, destination=target)
    assert target.posts_count == 6
    assert db.session.query(StaffAction).count() == 2


def test_sending_the_same_move_twice_is_harmless(subject_moderator, thread, target):
    ids = [post(thread, 4).id, post(thread, 5).id]
    post_moves.move_posts(thread, actor=subject_moderator, post_ids=ids, destination=target)
    post_moves.move_posts(thread, actor=subject_moderator, post_ids=ids, destination=target)
    assert target.posts_count == 3
    assert db.session.query(MovedPost).count() == 2


def test_the_first_post_cannot_leave_its_topic_alone(subject_moderator, thread, target):
    with pytest.raises(DomainError) as refused:
        post_moves.move_posts(thread, actor=subject_moderator,
                              post_ids=[post(thread, 1).id, post(thread, 2).id],
                              destination=target)
    assert "Первое сообщение" in str(refused.value.message)
    assert thread.posts_count == 5 and db.session.query(MovedPost).count() == 0


def test_the_first_post_moves_with_all_the_others_as_a_merge(subject_moderator, thread,
                                                             category):
    ids = [post(thread, n).id for n in range(1, 6)]
    new = post_moves.move_posts(thread, actor=subject_moderator, post_ids=ids,
                                title="Всё обсуждение целиком", category=category)
    assert new.posts_count == 5 and thread.deleted_at is not None


def test_stale_selections_get_a_clear_message(subject_moderator, thread, target, other_member):
    stranger = factories.make_topic(author=other_member)
    second = post(thread, 2)
    services.delete_post(second, actor=subject_moderator)
    for ids, words in (([second.id], "тем временем удалены"),
                       ([post(stranger, 1).id], "уже нет в этой теме"),
                       ([], "хотя бы одно")):
        with pytest.raises(DomainError) as refused:
            post_moves.move_posts(thread, actor=subject_moderator, post_ids=ids,
                                  destination=target)
        assert words in str(refused.value.message)
        assert refused.value.status_code == 422


def test_moving_where_the_moderator_may_not_post_is_refused(subject_moderator, thread):
    staff_only = factories.make_staff_only_category()
    with pytest.raises(DomainError) as refused:
        post_moves.move_posts(thread, actor=subject_moderator, post_ids=[post(thread, 2).id],
                              title="Попытка в чужой раздел", category=staff_only)
    assert refused.value.status_code == 403
    assert thread.posts_count == 5


def test_a_private_destination_the_moderator_cannot_see_is_not_found(subject_moderator, thread):
    staff_room = factories.make_category("Кабинет", permissions={"staff": 1})
    hidden = factories.make_topic(category=staff_room, author=factories.make_user(role="admin"))
    with pytest.raises(Exception) as refused:
        post_moves.move_posts(thread, actor=subject_moderator, post_ids=[post(thread, 2).id],
                              destination=hidden)
    assert getattr(refused.value, "code", None) == 404


def test_moving_into_the_same_topic_is_refused(subject_moderator, thread):
    with pytest.raises(DomainError):
        post_moves.move_posts(thread, actor=subject_moderator, post_ids=[post(thread, 2).id],
                              destination=thread)


def test_authors_of_moved_posts_are_told(subject_moderator, thread, target, member,
                                         other_member):
    post_moves.move_posts(thread, actor=subject_moderator,
                          post_ids=[post(thread, 2).id, post(thread, 3).id], destination=target)
    for user in (member, other_member):
        # Replies in the thread told its author too: only the moderator's action counts here.
        note = db.session.query(Notification).filter_by(user_id=user.id,
                                                        kind="moderator_action").one()
        assert note.data["action"] == "post.move" and note.topic_id == target.id
