"""Topic services: counters, limits, revisions, soft delete, closed topics, mentions, drafts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from forum.drafts.services import load_draft, save_draft
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Category, Post, PostRevision, Topic, User
from forum.text import make_slug
from forum.topics import services
from tests import factories


def refresh(*objects):
    db.session.flush()
    for obj in objects:
        db.session.refresh(obj)


def revisions_of(post: Post) -> list[PostRevision]:
    return list(db.session.scalars(select(PostRevision).where(PostRevision.post_id == post.id)
                                   .order_by(PostRevision.number)))


def row_count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- creating ---------------------------------------------------------------------------------

def test_create_topic_sets_counters_of_topic_category_and_author(db, category, member):
    topic = services.create_topic(category, author=member, title="Как объяснять дроби",
                                  raw="Поделитесь опытом.")
    db.session.commit()
    refresh(topic, category, member)
    assert (topic.posts_count, topic.highest_post_number) == (1, 1)
    assert topic.last_poster_id == member.id
    assert topic.last_posted_at == topic.created_at == topic.bumped_at
    assert (category.topic_count, category.post_count) == (1, 1)
    assert (member.topic_count, member.post_count) == (1, 1)


def test_create_topic_stores_title_slug_and_a_cooked_first_post(db, category, member):
    topic = services.create_topic(category, author=member, title="  Как   объяснять дроби ",
                                  raw="Поделитесь **опытом**.")
    first = services.post_by_number(topic, 1)
    assert topic.title == "Как объяснять дроби"
    assert topic.slug == make_slug("Как объяснять дроби") == "kak-obiasniat-drobi"
    assert first.raw == "Поделитесь **опытом**."
    assert "<strong>опытом</strong>" in first.cooked
    assert first.user_id == member.id and first.version == 1


def test_create_topic_records_the_original_as_revision_one(db, category, member):
    topic = services.create_topic(category, author=member, title="Как объяснять дроби",
                                  raw="Текст.")
    [revision] = revisions_of(services.post_by_number(topic, 1))
    assert (revision.number, revision.raw, revision.title) == (1, "Текст.", "Как объяснять дроби")
    assert revision.username == member.username


def test_slug_of_a_title_without_letters_falls_back(db, category, member):
    topic = services.create_topic(category, author=member, title="!!! ??? !!!", raw="Текст.")
    assert topic.slug == "topic"


def test_reply_updates_topic_category_and_author_counters(db, topic, other_member):
    category = topic.category
    before = topic.bumped_at
    post = services.reply(topic, author=other_member, raw="Мой ответ.")
    db.session.commit()
    refresh(topic, category, other_member)
    assert post.post_number == 2
    assert (topic.posts_count, topic.highest_post_number, topic.reply_count) == (2, 2, 1)
    assert topic.last_poster_id == other_member.id
    assert topic.bumped_at == topic.last_posted_at == post.created_at
    assert topic.bumped_at >= before
    assert (category.topic_count, category.post_count) == (1, 2)
    assert (other_member.topic_count, other_member.post_count) == (0, 1)


def test_posts_are_numbered_in_order(db, topic, other_member):
    numbers = [services.reply(topic, author=other_member, raw=f"Ответ {i}").post_number
               for i in range(5)]
    assert numbers == [2, 3, 4, 5, 6]
    stored = db.session.scalars(select(Post.post_number).where(Post.topic_id == topic.id)
                                .order_by(Post.id)).all()
    assert stored == [1, 2, 3, 4, 5, 6]


def test_a_deleted_posts_number_is_never_reused(db, topic, other_member, moderator):
    last = services.reply(topic, author=other_member, raw="Будет удалён.")
    services.delete_post(last, actor=moderator)
    assert services.reply(topic, author=other_member, raw="Новый.").post_number == 3


def test_reply_to_a_post_increments_its_reply_count(db, topic, other_member, member):
    services.reply(topic, author=other_member, raw="Ответ на первое.", reply_to_post_number=1)
    services.reply(topic, author=member, raw="И ещё.", reply_to_post_number=1)
    post = services.reply(topic, author=member, raw="На второе.", reply_to_post_number=2)
    assert post.reply_to_post_number == 2
    assert services.post_by_number(topic, 1).reply_count == 2
    assert services.post_by_number(topic, 2).reply_count == 1
    assert services.post_by_number(topic, 3).reply_count == 0


def test_reply_to_a_missing_post_is_a_plain_reply(db, topic, other_member):
    post = services.reply(topic, author=other_member, raw="Куда?", reply_to_post_number=99)
    assert post.reply_to_post_number is None
    assert services.post_by_number(topic, 1).reply_count == 0


# --- limits -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("title", "accepted"), [
    ("abcd", False), ("abcde", True), ("Дробь", True), ("Дроб", False),
    ("я" * 200, True), ("я" * 201, False), ("    ", False), ("", False),
    ("  a  b  c  ", True),  # "a b c" is five characters after collapsing spaces
    ("  ab  ", False),
])
def test_title_must_be_5_to_200_characters(db, category, member, title, accepted):
    if accepted:
        topic = services.create_topic(category, author=member, title=title, raw="Текст.")
        assert 5 <= len(topic.title) <= 200
    else:
        with pytest.raises(DomainError) as caught:
            services.create_topic(category, author=member, title=title, raw="Текст.")
        assert caught.value.field == "title"


@pytest.mark.parametrize(("length", "accepted"), [(1, True), (32_000, True), (32_001, False)])
def test_body_may_be_up_to_32000_characters(db, topic, other_member, length, accepted):
    raw = ("слово " * 6000)[:length - 1] + "я" if length > 1 else "я"
    assert len(raw) == length
    if accepted:
        assert services.reply(topic, author=other_member, raw=raw).raw == raw
    else:
        with pytest.raises(DomainError) as caught:
            services.reply(topic, author=other_member, raw=raw)
        assert caught.value.field == "raw"


@pytest.mark.parametrize("raw", ["", "   ", "\n\n\t", "\r\n"])
def test_empty_post_is_refused(db, topic, other_member, raw):
    with pytest.raises(DomainError) as caught:
        services.reply(topic, author=other_member, raw=raw)
    assert caught.value.field == "raw"


def test_refused_topic_saves_nothing(db, category, member):
    topics_before, posts_before = row_count(Topic), row_count(Post)
    with pytest.raises(DomainError):
        services.create_topic(category, author=member, title="Ок, тема", raw="")
    db.session.rollback()
    assert (row_count(Topic), row_count(Post)) == (topics_before, posts_before)
    assert db.session.get(Category, category.id).topic_count == 0


# --- who may write ----------------------------------------------------------------------------

def test_member_cannot_reply_to_a_closed_topic(db, category, member, other_member):
    topic = factories.make_topic(category=category, author=member, closed=True)
    with pytest.raises(DomainError) as caught:
        services.reply(topic, author=other_member, raw="Можно?")
    assert caught.value.status_code == 403
    assert "closed" in str(caught.value.message) or "закрыт" in str(caught.value.message)


def test_moderator_may_reply_to_a_closed_topic(db, category, member, moderator):
    topic = factories.make_topic(category=category, author=member, closed=True)
    assert services.reply(topic, author=moderator, raw="Итог обсуждения.").post_number == 2


def test_student_cannot_reply_in_a_teachers_category(db, topic, student):
    with pytest.raises(DomainError) as caught:
        services.reply(topic, author=student, raw="А я?")
    assert caught.value.status_code == 403


def test_hidden_topic_answers_not_found_to_outsiders(db, private_category, member, student):
    topic = factories.make_topic(category=private_category, author=member)
    with pytest.raises(NotFound):
        services.reply(topic, author=student, raw="Что тут?")
    with pytest.raises(NotFound):
        services.create_topic(private_category, author=student, title="Пробую", raw="Текст.")


def test_member_cannot_open_topics_in_staff_only_category(db, member):
    official = factories.make_staff_only_category()
    with pytest.raises(DomainError) as caught:
        services.create_topic(official, author=member, title="Новость", raw="Текст.")
    assert caught.value.status_code == 403


# --- editing ----------------------------------------------------------------------------------

def test_edit_saves_a_new_version_and_revision(db, topic, member):
    post = services.post_by_number(topic, 1)
    services.edit_post(post, editor=member, raw="Исправленный **текст**.", edit_reason="опечатка")
    assert post.version == 2
    assert post.raw == "Исправленный **текст**."
    assert "<strong>текст</strong>" in post.cooked
    assert post.last_editor_id == member.id
    revisions = revisions_of(post)
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[0].raw == "Первое сообщение темы."
    assert (revisions[1].raw, revisions[1].edit_reason) == ("Исправленный **текст**.", "опечатка")


@pytest.mark.parametrize("same", ["Первое сообщение темы.", "  Первое сообщение темы.  \n"])
def test_edit_without_changes_creates_no_revision(db, topic, member, same):
    post = services.post_by_number(topic, 1)
    services.edit_post(post, editor=member, raw=same, title=topic.title)
    assert post.version == 1
    assert len(revisions_of(post)) == 1


def test_title_edit_updates_title_slug_and_revision(db, topic, member):
    post = services.post_by_number(topic, 1)
    old_id = topic.id
    services.edit_post(post, editor=member, raw=post.raw, title="Дроби в 5 классе")
    assert topic.title == "Дроби в 5 классе"
    assert topic.slug == "drobi-v-5-klasse"
    assert topic.id == old_id
    assert revisions_of(post)[-1].title == "Дроби в 5 классе"


def test_title_edit_is_checked_like_a_new_title(db, topic, member):
    post = services.post_by_number(topic, 1)
    with pytest.raises(DomainError) as caught:
        services.edit_post(post, editor=member, raw=post.raw, title="abc")
    assert caught.value.field == "title"


def test_title_is_ignored_when_editing_a_reply(db, topic, other_member):
    post = services.reply(topic, author=other_member, raw="Ответ.")
    services.edit_post(post, editor=other_member, raw="Ответ исправлен.", title="Чужой заголовок")
    assert topic.title == "Как объяснять дроби"


def test_member_cannot_edit_someone_elses_post(db, topic, other_member):
    with pytest.raises(DomainError) as caught:
        services.edit_post(services.post_by_number(topic, 1), editor=other_member, raw="Взлом.")
    assert caught.value.status_code == 403


def test_moderator_may_edit_any_post(db, topic, moderator):
    post = services.post_by_number(topic, 1)
    services.edit_post(post, editor=moderator, raw="Поправил модератор.")
    assert revisions_of(post)[-1].username == moderator.username


def test_edit_is_refused_when_the_new_body_breaks_the_limits(db, topic, member):
    post = services.post_by_number(topic, 1)
    with pytest.raises(DomainError):
        services.edit_post(post, editor=member, raw="   ")
    assert post.raw == "Первое сообщение темы."


# --- deleting and restoring -------------------------------------------------------------------

def test_deleting_a_reply_is_soft_and_adjusts_counters(db, topic, other_member, moderator):
    category = topic.category
    post = services.reply(topic, author=other_member, raw="Лишнее.")
    services.delete_post(post, actor=moderator)
    db.session.commit()
    refresh(topic, category)
    assert db.session.get(Post, post.id) is not None
    assert post.deleted_at is not None and post.deleted_by_id == moderator.id
    assert (topic.posts_count, topic.highest_post_number) == (1, 2)
    assert category.post_count == 1
    assert topic.last_poster_id == topic.user_id


def test_restoring_a_reply_brings_counters_back(db, topic, other_member, moderator):
    category = topic.category
    post = services.reply(topic, author=other_member, raw="Лишнее?")
    services.delete_post(post, actor=moderator)
    services.restore_post(post, actor=moderator)
    db.session.commit()
    refresh(topic, category)
    assert post.deleted_at is None and post.deleted_by_id is None
    assert (topic.posts_count, category.post_count) == (2, 2)
    assert topic.last_poster_id == other_member.id


def test_author_may_delete_and_restore_their_own_reply(db, topic, other_member):
    post = services.reply(topic, author=other_member, raw="Передумал.")
    services.delete_post(post, actor=other_member)
    assert post.deleted_by_id == other_member.id
    services.restore_post(post, actor=other_member)
    assert post.deleted_at is None


def test_member_cannot_delete_someone_elses_reply(db, topic, member, other_member):
    post = services.reply(topic, author=other_member, raw="Моё.")
    with pytest.raises(DomainError):
        services.delete_post(post, actor=member)
    assert post.deleted_at is None


def test_deleting_a_topic_is_soft_and_adjusts_category_counters(db, category, member, moderator):
    topic = factories.make_topic(category=category, author=member, replies=2)
    services.delete_topic(topic, actor=moderator)
    db.session.commit()
    refresh(topic, category)
    assert topic.deleted_at is not None and topic.deleted_by_id == moderator.id
    assert (category.topic_count, category.post_count) == (0, 0)
    assert db.session.scalar(select(func.count()).where(Post.topic_id == topic.id)) == 3
    assert services.post_by_number(topic, 1).deleted_at is not None
    assert services.post_by_number(topic, 2).deleted_at is None


def test_restoring_a_topic_brings_category_counters_back(db, category, member, moderator):
    topic = factories.make_topic(category=category, author=member, replies=2)
    services.delete_topic(topic, actor=moderator)
    services.restore_topic(topic, actor=moderator)
    db.session.commit()
    refresh(topic, category)
    assert topic.deleted_at is None
    assert services.post_by_number(topic, 1).deleted_at is None
    assert (category.topic_count, category.post_count) == (1, 3)


def test_deleting_the_first_post_deletes_the_topic(db, category, member):
    topic = factories.make_topic(category=category, author=member)
    services.delete_post(services.post_by_number(topic, 1), actor=member)
    assert topic.deleted_at is not None


def test_restoring_the_first_post_restores_the_topic(db, category, member, moderator):
    topic = factories.make_topic(category=category, author=member)
    services.delete_topic(topic, actor=moderator)
    services.restore_post(services.post_by_number(topic, 1), actor=moderator)
    assert topic.deleted_at is None


def test_counters_stay_right_when_a_reply_is_deleted_inside_a_deleted_topic(
        db, category, member, moderator):
    topic = factories.make_topic(category=category, author=member, replies=2)
    services.delete_topic(topic, actor=moderator)
    services.delete_post(services.post_by_number(topic, 3), actor=moderator)
    services.restore_topic(topic, actor=moderator)
    db.session.commit()
    refresh(topic, category)
    assert topic.posts_count == 2
    assert (category.topic_count, category.post_count) == (1, 2)


def test_author_cannot_delete_their_topic_once_someone_replied(db, topic, member, other_member):
    services.reply(topic, author=other_member, raw="Ответ.")
    with pytest.raises(DomainError):
        services.delete_topic(topic, actor=member)
    assert topic.deleted_at is None


def test_nothing_is_hard_deleted(db, category, member, moderator):
    topic = factories.make_topic(category=category, author=member, replies=1)
    counts = (row_count(Topic), row_count(Post), row_count(PostRevision))
    services.delete_post(services.post_by_number(topic, 2), actor=moderator)
    services.delete_topic(topic, actor=moderator)
    db.session.commit()
    assert (row_count(Topic), row_count(Post), row_count(PostRevision)) == counts


# --- moving -----------------------------------------------------------------------------------

def test_moving_a_topic_moves_its_counts(db, category, member):
    target = factories.make_category("Алгебра")
    topic = factories.make_topic(category=category, author=member, replies=2)
    services.change_topic_category(topic, actor=member, category=target)
    db.session.commit()
    refresh(category, target)
    assert (category.topic_count, category.post_count) == (0, 0)
    assert (target.topic_count, target.post_count) == (1, 3)


def test_members_cannot_move_topics_into_a_category_they_cannot_post_in(db, topic, member):
    official = factories.make_staff_only_category()
    with pytest.raises(DomainError):
        services.change_topic_category(topic, actor=member, category=official)
    assert topic.category_id != official.id


# --- mentions ---------------------------------------------------------------------------------

def test_mentions_link_existing_users_only(db, topic, other_member):
    post = services.reply(topic, author=other_member, raw="Спасибо, @anna и @nobody!")
    assert 'href="/u/anna"' in post.cooked
    assert "/u/nobody" not in post.cooked
    assert "@nobody" in post.cooked


def test_mentions_are_case_insensitive(db, topic, other_member):
    post = services.reply(topic, author=other_member, raw="@ANNA, посмотрите.")
    assert 'class="mention"' in post.cooked


def test_mentions_of_deleted_accounts_are_not_linked(db, topic, other_member):
    from forum.accounts.services import delete_account

    gone = factories.make_user("vera")
    delete_account(gone, actor=gone)
    post = services.reply(topic, author=other_member, raw="@vera, вы здесь?")
    assert "/u/vera" not in post.cooked


def test_cyrillic_mentions_link_existing_users(db, topic, other_member):
    factories.make_user("Мария")
    post = services.reply(topic, author=other_member, raw="Коллега @мария знает.")
    assert 'class="mention"' in post.cooked


# --- drafts -----------------------------------------------------------------------------------

def test_creating_a_topic_discards_the_new_topic_draft(db, category, member):
    save_draft(member, "new_topic", {"title": "Черновик", "raw": "..."})
    services.create_topic(category, author=member, title="Готовая тема", raw="Текст.")
    assert load_draft(member, "new_topic") is None


def test_replying_discards_the_reply_draft_of_that_topic_only(db, topic, other_member):
    save_draft(other_member, f"topic_{topic.id}", {"raw": "пишу ответ"})
    save_draft(other_member, "topic_999", {"raw": "другая тема"})
    services.reply(topic, author=other_member, raw="Ответ.")
    assert load_draft(other_member, f"topic_{topic.id}") is None
    assert load_draft(other_member, "topic_999") is not None


def test_editing_discards_the_edit_draft(db, topic, member):
    post = services.post_by_number(topic, 1)
    save_draft(member, f"post_{post.id}", {"raw": "правлю"})
    services.edit_post(post, editor=member, raw="Правка.")
    assert load_draft(member, f"post_{post.id}") is None


def test_failed_reply_keeps_the_draft(db, topic, other_member):
    save_draft(other_member, f"topic_{topic.id}", {"raw": "пишу ответ"})
    db.session.commit()
    with pytest.raises(DomainError):
        services.reply(topic, author=other_member, raw="")
    db.session.rollback()
    assert load_draft(other_member, f"topic_{topic.id}").data == {"raw": "пишу ответ"}


def test_drafts_are_private_to_their_author(db, member, other_member):
    save_draft(member, "new_topic", {"raw": "моё"})
    assert load_draft(other_member, "new_topic") is None


@pytest.mark.parametrize(("first", "second", "kept"), [
    (1, 2, "второй"), (2, 1, "первый"), (3, 3, "второй"),
])
def test_an_older_draft_sequence_never_overwrites_a_newer_one(db, member, first, second, kept):
    save_draft(member, "new_topic", {"raw": "первый"}, sequence=first)
    save_draft(member, "new_topic", {"raw": "второй"}, sequence=second)
    draft = load_draft(member, "new_topic")
    assert draft.data["raw"] == kept
    assert draft.sequence == max(first, second)


def test_draft_keeps_only_composer_fields(db, member):
    draft = save_draft(member, "new_topic", {"title": "T", "raw": "R", "category_id": 3,
                                             "evil": "<script>", "reply_to_post_number": None})
    assert draft.data == {"title": "T", "raw": "R", "category_id": "3"}


@pytest.mark.parametrize("key", ["", "topic_", "topic_abc", "../etc", "new_topic ", "post_1;",
                                 "x" * 70])
def test_unknown_draft_keys_are_refused(db, member, key):
    with pytest.raises(DomainError):
        save_draft(member, key, {"raw": "x"})


def test_oversized_draft_is_refused(db, member):
    with pytest.raises(DomainError):
        save_draft(member, "new_topic", {"raw": "я" * 100_001})


# --- timestamps -------------------------------------------------------------------------------

def test_timestamps_are_aware_utc(db, topic):
    db.session.commit()
    db.session.expire_all()
    fresh = db.session.get(Topic, topic.id)
    assert fresh.created_at.utcoffset() == timedelta(0)
    assert db.session.get(User, fresh.user_id).created_at.tzinfo is not None
