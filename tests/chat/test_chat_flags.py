"""Flags on chat messages in the review queue: creating them, who sees them (scoped like post
flags), the decisions and what the flaggers and the author are told."""

from __future__ import annotations

import pytest

from forum.chat import messages
from forum.errors import DomainError
from forum.extensions import db
from forum.models import REVIEW_AGREED, REVIEW_FLAGGED_CHAT_MESSAGE, Reviewable
from forum.moderation import audit, chat_flags, queries, review
from forum.notifications.services import KIND_CHAT_MESSAGE_DELETED, KIND_FLAG_OUTCOME
from forum.realtime import EVENT_CHAT_MESSAGE_UPDATED
from tests.chat.helpers import logged, notifications_of, queued_events
from tests.factories import make_user
from tests.moderation.helpers import flagged_item, reply_by


@pytest.fixture
def rude(category_channel, other_member):
    """A message by other_member in the Mathematics channel."""
    message, _ = messages.send_message(category_channel, author=other_member, raw="Грубость")
    db.session.commit()
    return message


@pytest.fixture
def rude_in_public(public_channel, other_member):
    message, _ = messages.send_message(public_channel, author=other_member, raw="Реклама")
    db.session.commit()
    return message


def flag(message, user, kind="inappropriate", note=""):
    return chat_flags.flag_chat_message(message, flagger=user, kind=kind, note=note)


def test_a_flag_opens_one_review_item_in_the_channels_category(rude, member):
    created = flag(rude, member)
    item = created.reviewable
    assert item.kind == REVIEW_FLAGGED_CHAT_MESSAGE and item.chat_message_id == rude.id
    assert item.category_id == rude.channel.category_id and item.post_id is None


def test_more_flags_join_the_same_item(rude, member, db):
    first = flag(rude, member)
    second = flag(rude, make_user(), kind="spam")
    assert first.reviewable_id == second.reviewable_id
    assert db.session.query(Reviewable).count() == 1


def test_flagging_twice_is_refused(rude, member):
    flag(rude, member)
    with pytest.raises(DomainError) as refused:
        flag(rude, member)
    assert refused.value.field == "kind"


def test_one_cannot_flag_ones_own_message(rude, other_member):
    with pytest.raises(DomainError) as refused:
        flag(rude, other_member)
    assert refused.value.status_code == 403


def test_something_else_needs_a_note(rude, member):
    with pytest.raises(DomainError) as refused:
        flag(rude, member, kind="other")
    assert refused.value.field == "message"


@pytest.mark.parametrize("kind", ["", "like", None, 3])
def test_an_unknown_kind_is_refused(rude, member, kind):
    with pytest.raises(DomainError) as refused:
        flag(rude, member, kind=kind)
    assert refused.value.field == "kind"


def test_a_reader_of_a_private_channel_only_may_flag_there(private_category_channel,
                                                           moderator, student):
    message, _ = messages.send_message(private_category_channel, author=moderator, raw="Тайна")
    with pytest.raises(DomainError) as refused:
        flag(message, student)
    assert refused.value.status_code == 404


def test_the_category_moderator_sees_the_flag_in_their_queue(rude, member, subject_moderator):
    flag(rude, member)
    [entry] = queries.review_queue(subject_moderator).items
    assert entry.message.id == rude.id and entry.post is None
    assert entry.author.user.id == rude.user_id


def test_another_categorys_moderator_does_not(rude, member, other_subject_moderator):
    flag(rude, member)
    assert queries.review_queue(other_subject_moderator).items == []
    assert queries.pending_count(other_subject_moderator) == 0


def test_flags_from_a_channel_without_category_go_to_global_moderators_only(
        rude_in_public, member, moderator, subject_moderator):
    flag(rude_in_public, member)
    assert [e.message.id for e in queries.review_queue(moderator).items] == [rude_in_public.id]
    assert queries.review_queue(subject_moderator).items == []


def test_agreeing_deletes_the_message_and_tells_flaggers_and_author(rude, member,
                                                                   subject_moderator):
    item = flag(rude, member).reviewable
    review.perform(item, review.AGREE_AND_DELETE_MESSAGE, actor=subject_moderator)
    assert rude.deleted_at is not None and item.status == REVIEW_AGREED
    [outcome] = notifications_of(member, KIND_FLAG_OUTCOME)
    assert outcome.data["outcome"] == "agreed" and outcome.data["channel_id"] == rude.channel_id
    assert notifications_of(rude.user, KIND_CHAT_MESSAGE_DELETED)
    assert logged(audit.FLAG_AGREE)[0].target_type == "chat_message"
    assert queued_events(EVENT_CHAT_MESSAGE_UPDATED)[-1][1]["deleted"] is True


def test_agreeing_may_also_silence_the_author(rude, member, subject_moderator):
    item = flag(rude, member).reviewable
    review.perform(item, review.AGREE_AND_DELETE_MESSAGE, actor=subject_moderator,
                   silence_days=3, silence_reason="Грубость")
    assert rude.user.is_silenced


def test_disagreeing_leaves_the_message(rude, member, subject_moderator):
    item = flag(rude, member).reviewable
    review.perform(item, review.DISAGREE, actor=subject_moderator)
    assert rude.deleted_at is None and item.status == "disagreed"
    assert notifications_of(member, KIND_FLAG_OUTCOME)[0].data["outcome"] == "disagreed"


def test_ignoring_closes_the_item_quietly(rude, member, subject_moderator):
    item = flag(rude, member).reviewable
    review.perform(item, review.IGNORE, actor=subject_moderator)
    assert rude.deleted_at is None and item.status == "ignored"
    assert logged(audit.FLAG_IGNORE)


def test_a_post_action_does_not_apply_to_a_chat_item(rude, member, subject_moderator):
    item = flag(rude, member).reviewable
    with pytest.raises(DomainError) as refused:
        review.perform(item, review.AGREE_AND_HIDE, actor=subject_moderator)
    assert refused.value.status_code == 422 and item.status == "pending"


def test_the_seminar_host_cannot_decide_queue_items_of_the_forum(rude, member, db):
    item = flag(rude, member).reviewable
    with pytest.raises(DomainError) as refused:
        review.perform(item, review.DISAGREE, actor=make_user())
    assert refused.value.status_code == 403


def test_a_second_decision_is_refused(rude, member, subject_moderator, moderator):
    item = flag(rude, member).reviewable
    review.perform(item, review.IGNORE, actor=subject_moderator)
    with pytest.raises(DomainError) as refused:
        review.perform(item, review.DISAGREE, actor=moderator)
    assert refused.value.status_code == 409


def test_post_flags_and_chat_flags_share_the_queue(rude, member, topic, other_member, moderator):
    flagged_item(reply_by(topic, other_member), [member])
    flag(rude, member)
    kinds = {e.reviewable.kind for e in queries.review_queue(moderator).items}
    assert kinds == {"flagged_post", REVIEW_FLAGGED_CHAT_MESSAGE}


# --- over HTTP --------------------------------------------------------------------------------

@pytest.fixture
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_the_flag_page_flags_and_goes_back_to_the_channel(client, login, rude, member, english):
    login(member)
    assert client.get(f"/chat/m/{rude.id}/flag").status_code == 200
    response = client.post(f"/chat/m/{rude.id}/flag", data={"kind": "spam"})
    assert response.status_code == 302 and f"/{rude.channel_id}#message-{rude.id}" in \
        response.location
    assert chat_flags.has_flagged_message(member, rude)


def test_the_flag_page_keeps_the_note_after_an_error(client, login, rude, member, english):
    login(member)
    response = client.post(f"/chat/m/{rude.id}/flag", data={"kind": "other", "message": " "})
    assert response.status_code == 422
    assert "Tell the moderators what is wrong with this message." in response.get_data(True)


def test_the_flag_page_refuses_the_author_of_the_message(client, login, rude, other_member):
    login(other_member)
    assert client.get(f"/chat/m/{rude.id}/flag").status_code == 403


def test_the_flag_page_hides_a_message_of_a_channel_one_cannot_read(
        client, login, private_category_channel, moderator, student):
    message, _ = messages.send_message(private_category_channel, author=moderator, raw="Тайна")
    login(student)
    assert client.get(f"/chat/m/{message.id}/flag").status_code == 404
    assert client.post(f"/chat/m/{message.id}/flag", data={"kind": "spam"}).status_code == 404


def test_the_review_page_shows_the_chat_message_and_decides(client, login, rude, member,
                                                             subject_moderator, english):
    item = flag(rude, member).reviewable
    db.session.commit()
    login(subject_moderator)
    page = client.get("/review").get_data(True)
    assert "Flagged chat message" in page and "Грубость" in page
    response = client.post(f"/review/{item.id}/perform",
                           data={"action": review.AGREE_AND_DELETE_MESSAGE, "silence_days": "0"})
    assert response.status_code == 302
    db.session.refresh(rude)
    assert rude.deleted_at is not None
