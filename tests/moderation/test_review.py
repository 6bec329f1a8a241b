"""Review decisions on flagged posts: effects, the log, who is told, stale items, and the
queue's scope (a moderator sees only the categories they moderate)."""

import pytest

from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    HIDDEN_FLAGGED,
    REVIEW_AGREED,
    REVIEW_DISAGREED,
    REVIEW_IGNORED,
    Flag,
)
from forum.moderation import queries, review
from forum.notifications.services import KIND_FLAG_OUTCOME, KIND_POST_HIDDEN, KIND_SILENCED
from tests import factories
from tests.moderation.helpers import flag_by, flagged_item, log_actions, notes_of, reply_by


@pytest.fixture
def post(topic, other_member):
    return reply_by(topic, other_member)


@pytest.fixture
def flagger(db):
    user = factories.make_user("flagger")
    db.session.commit()
    return user


@pytest.fixture
def item(post, flagger):
    return flagged_item(post, [flagger])


def test_agree_and_hide_hides_the_post_and_closes_item_and_flags(item, post, subject_moderator):
    review.perform(item, review.AGREE_AND_HIDE, actor=subject_moderator)
    db.session.commit()
    assert post.hidden_reason == HIDDEN_FLAGGED
    assert (item.status, item.resolved_by_id) == (REVIEW_AGREED, subject_moderator.id)
    assert {f.status for f in db.session.query(Flag)} == {REVIEW_AGREED}
    assert log_actions() == ["flag.agree"]


def test_agree_tells_the_flaggers_and_the_author(item, post, flagger, other_member,
                                                 subject_moderator):
    review.perform(item, review.AGREE_AND_HIDE, actor=subject_moderator)
    db.session.commit()
    outcome = notes_of(flagger, KIND_FLAG_OUTCOME)
    assert [n.data["outcome"] for n in outcome] == ["agreed"]
    assert len(notes_of(other_member, KIND_POST_HIDDEN)) == 1


def test_agree_and_delete_soft_deletes_and_keeps_the_counters_right(item, post, topic,
                                                                    subject_moderator):
    before = (topic.posts_count, topic.category.post_count)
    review.perform(item, review.AGREE_AND_DELETE, actor=subject_moderator)
    db.session.commit()
    assert post.deleted_at is not None
    assert (topic.posts_count, topic.category.post_count) == (before[0] - 1, before[1] - 1)
    assert topic.last_poster_id == topic.user_id


def test_agree_may_silence_the_author_with_a_reason(item, other_member, subject_moderator):
    review.perform(item, review.AGREE_AND_HIDE, actor=subject_moderator, silence_days=7,
                   silence_reason="Реклама в методическом разделе")
    db.session.commit()
    assert other_member.is_silenced
    assert other_member.silence_reason == "Реклама в методическом разделе"
    assert len(notes_of(other_member, KIND_SILENCED)) == 1
    assert log_actions() == ["user.silence", "flag.agree"]


def test_silencing_without_a_reason_is_refused_and_nothing_changes(item, post, other_member,
                                                                   subject_moderator):
    with pytest.raises(DomainError) as error:
        review.perform(item, review.AGREE_AND_HIDE, actor=subject_moderator, silence_days=7)
    db.session.rollback()
    assert error.value.field == "reason"
    assert item.status == "pending" and not post.is_hidden and not other_member.is_silenced


def test_silencing_staff_is_refused(topic, subject_moderator, moderator):
    staff_post = reply_by(topic, moderator)
    staff_item = flagged_item(staff_post)
    with pytest.raises(DomainError) as error:
        review.perform(staff_item, review.AGREE_AND_HIDE, actor=subject_moderator,
                       silence_days=3, silence_reason="Нет")
    assert error.value.status_code == 403


def test_disagree_clears_flags_and_unhides_a_post_hidden_by_flags(post, subject_moderator):
    item = flagged_item(post, [factories.make_user() for _ in range(3)])
    assert post.hidden_reason == HIDDEN_FLAGGED
    review.perform(item, review.DISAGREE, actor=subject_moderator)
    db.session.commit()
    assert not post.is_hidden
    assert item.status == REVIEW_DISAGREED
    assert {f.status for f in db.session.query(Flag)} == {REVIEW_DISAGREED}
    entry_actions = log_actions()
    assert entry_actions == ["flag.disagree"]


def test_ignore_closes_the_item_and_leaves_the_post_unchanged(item, post, flagger,
                                                              subject_moderator):
    review.perform(item, review.IGNORE, actor=subject_moderator)
    db.session.commit()
    assert item.status == REVIEW_IGNORED and not post.is_hidden and post.deleted_at is None
    assert [n.data["outcome"] for n in notes_of(flagger, KIND_FLAG_OUTCOME)] == ["ignored"]
    assert log_actions() == ["flag.ignore"]


def test_acting_on_a_resolved_item_is_refused_clearly_and_changes_nothing(item, post, admin,
                                                                          subject_moderator):
    review.perform(item, review.IGNORE, actor=subject_moderator)
    db.session.commit()
    with pytest.raises(DomainError, match="уже рассмотрел\\(а\\) matmod") as error:
        review.perform(item, review.AGREE_AND_DELETE, actor=admin)
    db.session.rollback()
    assert error.value.status_code == 409
    assert post.deleted_at is None and log_actions() == ["flag.ignore"]


def test_a_moderator_of_another_category_cannot_decide(item, post, other_subject_moderator):
    with pytest.raises(DomainError) as error:
        review.perform(item, review.AGREE_AND_HIDE, actor=other_subject_moderator)
    assert error.value.status_code == 403
    db.session.rollback()
    assert item.status == "pending" and not post.is_hidden


def test_an_approval_action_does_not_apply_to_a_flagged_post(item, subject_moderator):
    with pytest.raises(DomainError) as error:
        review.perform(item, review.APPROVE, actor=subject_moderator)
    assert error.value.status_code == 422


def test_the_queue_shows_a_moderator_only_their_categories(item, subject_moderator,
                                                           other_subject_moderator, admin):
    physics = factories.make_category("Химия")
    elsewhere = flagged_item(reply_by(factories.make_topic(category=physics)))
    assert [e.reviewable.id for e in queries.review_queue(subject_moderator).items] == [item.id]
    assert queries.pending_count(subject_moderator) == 1
    assert queries.review_queue(other_subject_moderator).items == []
    assert queries.pending_count(other_subject_moderator) == 0
    assert {e.reviewable.id for e in queries.review_queue(admin).items} == {item.id,
                                                                            elsewhere.id}


def test_members_have_no_queue(item, member):
    assert queries.review_queue(member).items == [] and queries.pending_count(member) == 0


def test_an_item_carries_context_flags_and_the_authors_history(topic, post, flagger,
                                                               subject_moderator, other_member):
    earlier = flagged_item(reply_by(topic, other_member, raw="Раньше было так."))
    review.perform(earlier, review.AGREE_AND_HIDE, actor=subject_moderator)
    db.session.commit()
    flag_by(post, flagger, kind="other", message="Это реклама курсов")
    entry = queries.review_queue(subject_moderator).items[0]
    assert entry.post.id == post.id
    assert entry.context.post_number == post.post_number - 1
    assert [(f.user.username, f.kind, f.message) for f in entry.flags] == [
        ("flagger", "other", "Это реклама курсов")]
    assert entry.author.user.id == other_member.id and entry.author.agreed_flags == 1


def test_resolved_items_are_listed_apart(item, subject_moderator):
    review.perform(item, review.IGNORE, actor=subject_moderator)
    db.session.commit()
    assert queries.review_queue(subject_moderator).items == []
    resolved = queries.review_queue(subject_moderator, status=queries.STATUS_RESOLVED)
    assert [e.reviewable.id for e in resolved.items] == [item.id]


def test_the_queue_page_costs_a_fixed_number_of_queries(topic, admin, count_queries):
    for _ in range(3):
        flagged_item(reply_by(topic))
    with count_queries() as few:
        queries.review_queue(admin)
    for _ in range(6):
        flagged_item(reply_by(topic))
    db.session.expire_all()
    with count_queries() as more:
        queries.review_queue(admin)
    assert len(more) == len(few)


def test_a_new_subject_moderator_has_a_queue_at_once(db, category):
    user = factories.make_user("novyi_moderator")
    db.session.commit()
    from forum import permissions
    from forum.categories.services import assign_moderator, remove_moderator

    assert not permissions.can_view_review_queue(user)
    assign_moderator(category, user, actor=None)
    assert permissions.can_view_review_queue(user)
    admin = factories.make_user("glavnyi", role="admin")
    remove_moderator(category, user, actor=admin)
    assert not permissions.can_view_review_queue(user)
