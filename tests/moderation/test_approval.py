"""New members' posts held for approval: held content stays invisible to others everywhere
(lists, counts, topic page, API, profile), and approval or rejection settles it."""

import pytest

from forum.extensions import db
from forum.models import (
    HIDDEN_AWAITING_APPROVAL,
    REVIEW_QUEUED_POST,
    Reviewable,
)
from forum.moderation import review
from forum.notifications.services import KIND_POST_APPROVED, KIND_POST_REJECTED
from forum.realtime import EVENT_POST_CREATED
from forum.topics import services as topic_services
from tests import factories
from tests.moderation.helpers import log_actions, notes_of, setting


@pytest.fixture
def newcomer(db):
    user = factories.make_user("novichok")
    db.session.commit()
    return user


@pytest.fixture
def held_reply(topic, newcomer):
    setting("approve_new_member_posts", 2)
    post = topic_services.reply(topic, author=newcomer, raw="Мой первый ответ в сообществе.")
    db.session.commit()
    return post


@pytest.fixture
def held_topic(category, newcomer):
    setting("approve_new_member_posts", 1)
    topic = topic_services.create_topic(category, author=newcomer, title="Вопрос новичка о дробях",
                                        raw="Как вы объясняете дроби?")
    db.session.commit()
    return topic


def item_of(post):
    return db.session.query(Reviewable).filter_by(post_id=post.id).one()


def test_approval_is_off_by_default(topic, newcomer):
    post = topic_services.reply(topic, author=newcomer, raw="Сразу видно всем.")
    assert not post.is_hidden and db.session.query(Reviewable).count() == 0


def test_a_new_members_reply_is_held_and_queued(held_reply, topic):
    assert held_reply.hidden_reason == HIDDEN_AWAITING_APPROVAL
    assert item_of(held_reply).kind == REVIEW_QUEUED_POST
    assert item_of(held_reply).category_id == topic.category_id


def test_a_held_reply_neither_counts_nor_bumps(held_reply, topic, member, newcomer):
    assert topic.posts_count == 1 and topic.last_poster_id == member.id
    assert topic.category.post_count == 1 and newcomer.post_count == 0


def test_members_with_enough_approved_posts_are_not_held(topic, newcomer):
    setting("approve_new_member_posts", 1)
    newcomer.post_count = 1
    post = topic_services.reply(topic, author=newcomer, raw="Уже проверенный участник.")
    assert not post.is_hidden


def test_staff_and_the_categorys_moderators_are_never_held(topic, moderator, subject_moderator):
    setting("approve_new_member_posts", 5)
    for author in (moderator, subject_moderator):
        assert not topic_services.reply(topic, author=author, raw="Ответ модератора.").is_hidden


def test_a_new_members_topic_is_held_with_its_first_post(held_topic, category, newcomer):
    assert held_topic.is_awaiting_approval
    assert category.topic_count == 0 and newcomer.topic_count == 0
    assert topic_services.post_by_number(held_topic, 1).hidden_reason == HIDDEN_AWAITING_APPROVAL


def test_approving_a_reply_counts_and_bumps_it_as_posted_now(held_reply, topic, newcomer,
                                                             subject_moderator):
    review.perform(item_of(held_reply), review.APPROVE, actor=subject_moderator)
    db.session.commit()
    assert not held_reply.is_hidden
    assert topic.posts_count == 2 and topic.last_poster_id == newcomer.id
    assert topic.bumped_at >= held_reply.created_at
    assert newcomer.post_count == 1 and topic.category.post_count == 2
    assert len(notes_of(newcomer, KIND_POST_APPROVED)) == 1
    assert log_actions() == ["post.approve"]


def test_approving_a_topic_lists_and_counts_it(held_topic, category, newcomer, admin):
    review.perform(item_of(topic_services.post_by_number(held_topic, 1)), review.APPROVE,
                   actor=admin)
    db.session.commit()
    assert not held_topic.is_awaiting_approval
    assert category.topic_count == 1 and category.post_count == 1
    assert newcomer.topic_count == 1 and newcomer.post_count == 1


def test_rejecting_a_reply_soft_deletes_it_and_tells_the_author(held_reply, topic, newcomer,
                                                                subject_moderator):
    review.perform(item_of(held_reply), review.REJECT, actor=subject_moderator)
    db.session.commit()
    assert held_reply.deleted_at is not None
    assert topic.posts_count == 1 and topic.category.post_count == 1
    assert len(notes_of(newcomer, KIND_POST_REJECTED)) == 1
    assert log_actions() == ["post.reject"]


def test_rejecting_a_topic_leaves_the_category_counters_as_they_were(held_topic, category,
                                                                     admin):
    before = (category.topic_count, category.post_count)
    review.perform(item_of(topic_services.post_by_number(held_topic, 1)), review.REJECT,
                   actor=admin)
    db.session.commit()
    assert held_topic.deleted_at is not None
    assert (category.topic_count, category.post_count) == before


def test_a_deleted_held_post_cannot_be_approved_any_more(held_reply, newcomer,
                                                         subject_moderator):
    topic_services.delete_post(held_reply, actor=newcomer)
    db.session.commit()
    with pytest.raises(Exception, match="уже не ожидает одобрения"):
        review.perform(item_of(held_reply), review.APPROVE, actor=subject_moderator)


def test_a_held_post_is_not_flaggable(held_reply, member):
    from forum import permissions

    assert not permissions.can_flag_post(member, held_reply)


# --- invisible to others, visible to the author and moderators --------------------------------

def test_others_do_not_see_a_held_reply_on_the_topic_page(held_reply, topic, client, login,
                                                          other_member):
    login(other_member)
    page = client.get(topic.url).get_data(as_text=True)
    assert "Мой первый ответ" not in page
    assert client.get(f"/posts/{held_reply.id}/fragment").status_code == 404


def test_guests_do_not_see_a_held_reply_anywhere(held_reply, topic, client):
    assert "Мой первый ответ" not in client.get(topic.url).get_data(as_text=True)
    assert client.get(f"/posts/{held_reply.id}.json").status_code == 404
    data = client.get(f"/t/{topic.id}.json").get_json()
    assert held_reply.id not in data["post_stream"]["stream"]
    assert all(p["id"] != held_reply.id for p in data["post_stream"]["posts"])
    assert "novichok" not in client.get("/latest.json").get_data(as_text=True)


def test_the_author_sees_their_held_reply(held_reply, topic, client, login, newcomer):
    login(newcomer)
    assert "Мой первый ответ" in client.get(topic.url).get_data(as_text=True)
    assert client.get(f"/posts/{held_reply.id}.json").status_code == 200


def test_the_categorys_moderator_sees_a_held_reply(held_reply, topic, client, login,
                                                   subject_moderator):
    login(subject_moderator)
    assert "Мой первый ответ" in client.get(topic.url).get_data(as_text=True)


def test_a_held_topic_is_missing_from_lists_and_its_page_for_others(held_topic, category,
                                                                    client, login, member):
    login(member)
    assert "Вопрос новичка" not in client.get("/latest").get_data(as_text=True)
    assert "Вопрос новичка" not in client.get(
        f"/c/{category.slug}/{category.id}").get_data(as_text=True)
    assert "Вопрос новичка" not in client.get("/latest.json").get_data(as_text=True)
    assert client.get(held_topic.url).status_code == 404
    assert client.get(f"/t/{held_topic.id}.json").status_code == 404


def test_a_held_topic_shows_to_its_author_and_its_moderator(held_topic, client, login,
                                                            newcomer, subject_moderator):
    login(newcomer)
    assert client.get(held_topic.url).status_code == 200
    assert "Вопрос новичка" in client.get("/latest").get_data(as_text=True)
    login(subject_moderator)
    assert client.get(held_topic.url).status_code == 200


def test_a_held_topic_stays_hidden_from_another_categorys_moderator(held_topic, client, login,
                                                                    other_subject_moderator):
    login(other_subject_moderator)
    assert client.get(held_topic.url).status_code == 404


def test_a_held_post_is_left_out_of_the_authors_public_profile(held_reply, client, newcomer):
    data = client.get(f"/u/{newcomer.username}.json").get_json()
    assert "Мой первый ответ" not in str(data)


def test_an_approved_topic_appears_for_everyone(held_topic, client, admin):
    review.perform(item_of(topic_services.post_by_number(held_topic, 1)), review.APPROVE,
                   actor=admin)
    db.session.commit()
    assert "Вопрос новичка" in client.get("/latest").get_data(as_text=True)


def test_the_author_deleting_a_held_topic_leaves_the_category_counters_alone(held_topic,
                                                                             category,
                                                                             newcomer):
    topic_services.delete_topic(held_topic, actor=newcomer)
    db.session.commit()
    assert (category.topic_count, category.post_count) == (0, 0)


def test_rejecting_a_post_its_author_deleted_just_closes_the_item(held_reply, newcomer,
                                                                 subject_moderator):
    topic_services.delete_post(held_reply, actor=newcomer)
    db.session.commit()
    item = item_of(held_reply)
    review.perform(item, review.REJECT, actor=subject_moderator)
    db.session.commit()
    assert item.status == "disagreed"


def test_a_held_reply_counts_on_the_replied_to_post_only_once_approved(topic, newcomer,
                                                                       subject_moderator):
    setting("approve_new_member_posts", 1)
    first = topic_services.post_by_number(topic, 1)
    held = topic_services.reply(topic, author=newcomer, raw="Отвечаю на первое сообщение.",
                                reply_to_post_number=1)
    db.session.commit()
    assert first.reply_count == 0
    review.perform(item_of(held), review.APPROVE, actor=subject_moderator)
    db.session.commit()
    assert first.reply_count == 1


def test_a_moderators_reply_in_a_held_topic_counts_in_the_category_once_approved(
        held_topic, category, subject_moderator):
    topic_services.reply(held_topic, author=subject_moderator, raw="Уточните, пожалуйста.")
    db.session.commit()
    assert category.post_count == 0
    review.perform(item_of(topic_services.post_by_number(held_topic, 1)), review.APPROVE,
                   actor=subject_moderator)
    db.session.commit()
    assert (category.topic_count, category.post_count) == (1, 2)
    assert held_topic.posts_count == 2


def test_a_held_reply_is_not_announced_live(topic, newcomer):
    setting("approve_new_member_posts", 1)
    topic_services.reply(topic, author=newcomer, raw="Тихий ответ до одобрения.")
    assert EVENT_POST_CREATED not in _queued_events()


def test_a_visible_reply_is_announced_live(topic, newcomer):
    topic_services.reply(topic, author=newcomer, raw="Обычный ответ.")
    assert EVENT_POST_CREATED in _queued_events()


def _queued_events():
    return [name for name, *_rest in db.session.info.get("kafedra_pending_emits", [])]
