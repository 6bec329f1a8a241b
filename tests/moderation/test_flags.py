"""Flagging a post: who may, one flag per member, the review item, hiding at the threshold,
and the author's edit sending a post hidden by flags back to the queue."""

import pytest

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    FLAG_SPAM,
    HIDDEN_FLAGGED,
    REVIEW_AGREED,
    REVIEW_FLAGGED_POST,
    REVIEW_PENDING,
    Flag,
    Reviewable,
)
from forum.moderation import flags, review
from forum.notifications.services import KIND_POST_HIDDEN
from forum.topics import services as topic_services
from tests import factories
from tests.moderation.helpers import flag_by, notes_of, reply_by, setting


@pytest.fixture
def post(topic, other_member):
    return reply_by(topic, other_member)


def members(n):
    users = [factories.make_user() for _ in range(n)]
    db.session.commit()
    return users


def test_a_flag_opens_a_pending_review_item_in_the_posts_category(post, member):
    flag = flags.flag_post(post, flagger=member, kind="off_topic")
    db.session.commit()
    item = db.session.query(Reviewable).one()
    assert (item.kind, item.status, item.category_id) == (
        REVIEW_FLAGGED_POST, REVIEW_PENDING, post.topic.category_id)
    assert flag.reviewable_id == item.id and flag.status == REVIEW_PENDING


def test_further_flags_join_the_same_pending_item(post):
    flag_by(post, *members(2))
    assert db.session.query(Reviewable).count() == 1
    assert len(db.session.query(Reviewable).one().flags) == 2


def test_a_second_flag_by_the_same_member_is_refused_and_changes_nothing(post, member):
    flag_by(post, member)
    with pytest.raises(DomainError, match="уже пожаловались"):
        flags.flag_post(post, flagger=member, kind="spam")
    db.session.rollback()
    assert db.session.query(Flag).count() == 1


def test_a_race_between_two_flags_of_one_member_gives_the_same_message(post, member,
                                                                        monkeypatch):
    flag_by(post, member)
    monkeypatch.setattr(flags, "has_flagged", lambda user, post: False)  # the check lost the race
    with pytest.raises(DomainError, match="уже пожаловались"):
        flags.flag_post(post, flagger=member, kind="spam")
    db.session.rollback()
    assert db.session.query(Flag).count() == 1


def test_something_else_needs_a_message(post, member):
    with pytest.raises(DomainError) as error:
        flags.flag_post(post, flagger=member, kind="other", message="   ")
    assert error.value.field == "message"


def test_a_too_long_message_is_refused(post, member):
    with pytest.raises(DomainError) as error:
        flags.flag_post(post, flagger=member, kind="other",
                        message="я" * (flags.MESSAGE_MAX_LENGTH + 1))
    assert error.value.field == "message"


def test_an_unknown_kind_is_refused(post, member):
    with pytest.raises(DomainError) as error:
        flags.flag_post(post, flagger=member, kind="like")
    assert error.value.field == "kind"


def test_members_cannot_flag_their_own_posts(post, other_member):
    assert not permissions.can_flag_post(other_member, post)
    with pytest.raises(DomainError):
        flags.flag_post(post, flagger=other_member, kind="spam")


def test_silenced_members_cannot_flag(post, silenced_member):
    with pytest.raises(DomainError):
        flags.flag_post(post, flagger=silenced_member, kind="spam")


def test_a_post_is_hidden_when_distinct_members_reach_the_threshold(post, other_member):
    flag_by(post, *members(3))
    assert post.hidden_reason == HIDDEN_FLAGGED and post.hidden_at is not None
    assert len(notes_of(other_member, KIND_POST_HIDDEN)) == 1


def test_a_post_below_the_threshold_stays_visible(post, other_member):
    flag_by(post, *members(2))
    assert not post.is_hidden
    assert notes_of(other_member, KIND_POST_HIDDEN) == []


def test_the_threshold_follows_the_setting(post):
    setting("flags_to_hide_post", 1)
    flag_by(post, *members(1))
    assert post.hidden_reason == HIDDEN_FLAGGED


def test_a_raised_threshold_needs_more_flags(post):
    setting("flags_to_hide_post", 5)
    flag_by(post, *members(4))
    assert not post.is_hidden


def test_the_author_editing_a_post_hidden_by_flags_sends_it_back_to_review(post, other_member,
                                                                            moderator):
    flag_by(post, *members(3))
    item = db.session.query(Reviewable).one()
    review.perform(item, review.AGREE_AND_HIDE, actor=moderator)
    db.session.commit()
    assert item.status == REVIEW_AGREED
    topic_services.edit_post(post, editor=other_member, raw="Исправленный текст сообщения.")
    db.session.commit()
    assert item.status == REVIEW_PENDING and item.edited_by_author_at is not None
    assert item.resolved_at is None
    assert post.hidden_reason == HIDDEN_FLAGGED  # until a moderator decides


def test_the_author_editing_a_pending_hidden_post_marks_the_item(post, other_member):
    flag_by(post, *members(3))
    topic_services.edit_post(post, editor=other_member, raw="Исправленный текст сообщения.")
    db.session.commit()
    item = db.session.query(Reviewable).one()
    assert item.status == REVIEW_PENDING and item.edited_by_author_at is not None


def test_editing_a_post_that_is_not_hidden_leaves_the_queue_alone(post, other_member):
    flag_by(post, *members(1))
    topic_services.edit_post(post, editor=other_member, raw="Исправленный текст сообщения.")
    db.session.commit()
    assert db.session.query(Reviewable).one().edited_by_author_at is None


def test_a_flag_on_a_post_whose_item_was_resolved_opens_a_new_item(post, moderator):
    flag_by(post, *members(1))
    review.perform(db.session.query(Reviewable).one(), review.IGNORE, actor=moderator)
    db.session.commit()
    flag_by(post, *members(1))
    statuses = sorted(r.status for r in db.session.query(Reviewable))
    assert statuses == ["ignored", "pending"]



def test_an_open_review_item_follows_its_topic_to_another_category(category):
    physics = factories.make_category("Физика-2")
    flagged_topic = factories.make_topic(replies=1)
    reply = topic_services.post_by_number(flagged_topic, 2)
    flags.flag_post(reply, flagger=factories.make_user(), kind=FLAG_SPAM)
    admin = factories.make_user(role="admin")
    topic_services.change_topic_category(flagged_topic, actor=admin, category=physics)
    db.session.commit()
    assert db.session.query(Reviewable).one().category_id == physics.id


def test_an_open_review_item_follows_its_post_when_it_is_split_off(category):
    from forum.moderation import post_moves

    chemistry = factories.make_category("Химия-2")
    source = factories.make_topic(replies=2)
    reply = topic_services.post_by_number(source, 2)
    flags.flag_post(reply, flagger=factories.make_user(), kind=FLAG_SPAM)
    admin = factories.make_user(role="admin")
    post_moves.move_posts(source, actor=admin, post_ids=[reply.id],
                          title="Отдельная тема про спам", category=chemistry)
    db.session.commit()
    assert db.session.query(Reviewable).one().category_id == chemistry.id
