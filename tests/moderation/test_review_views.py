"""The flag page and the review queue over HTTP: the permission matrix for flagging, for the
queue and for every decision (refused actors get 403/404 and nothing changes), the header
link's count, kept input after an error, and stale forms."""

import re

import pytest

from forum.extensions import db
from forum.models import Flag, Reviewable, StaffAction
from forum.moderation import review
from forum.topics import services as topic_services
from tests import factories
from tests.moderation.helpers import flag_by, flagged_item, reply_by, setting

ACTORS = ["admin", "subject_moderator", "other_subject_moderator", "member", "silenced_member",
          "suspended_member", "guest"]


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def act_as(request, client, login):
    """Sign in as the named fixture's user; a suspended member keeps an old session cookie."""

    def _act_as(name):
        if name == "guest":
            return None
        user = request.getfixturevalue(name)
        if name == "suspended_member":
            with client.session_transaction() as session:
                session["_user_id"] = str(user.id)
        else:
            login(user)
        return user

    return _act_as


@pytest.fixture
def post(topic, other_member):
    return reply_by(topic, other_member)


# --- flagging ---------------------------------------------------------------------------------

FLAG_ALLOWED = {"admin", "subject_moderator", "other_subject_moderator", "member"}


@pytest.mark.parametrize("actor", ACTORS)
def test_flagging_through_the_page_follows_the_permission_matrix(actor, act_as, client, post):
    act_as(actor)
    response = client.post(f"/posts/{post.id}/flag", data={"kind": "spam"})
    if actor in FLAG_ALLOWED:
        assert response.status_code == 302
        assert db.session.query(Flag).count() == 1
    else:
        assert response.status_code in (403, 404)
        assert db.session.query(Flag).count() == 0


def test_the_flag_page_offers_every_kind_with_a_description(client, login, member, post):
    login(member)
    page = client.get(f"/posts/{post.id}/flag").get_data(as_text=True)
    for label in ("Off-topic", "Inappropriate", "Spam", "Something else"):
        assert label in page
    assert "belongs elsewhere" in page


def test_a_post_shows_a_flag_link_to_members_but_not_to_its_author(client, login, member,
                                                                   other_member, post, topic):
    login(member)
    assert f"/posts/{post.id}/flag" in client.get(topic.url).get_data(as_text=True)
    login(other_member)
    assert f"/posts/{post.id}/flag" not in client.get(topic.url).get_data(as_text=True)


def test_something_else_without_a_message_keeps_the_choice_and_explains(client, login, member,
                                                                        post):
    login(member)
    response = client.post(f"/posts/{post.id}/flag", data={"kind": "other", "message": " "})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Tell the moderators what is wrong" in page
    assert re.search(r'<input[^>]* checked [^>]*value="other"', page)
    assert db.session.query(Flag).count() == 0


def test_after_flagging_the_member_is_thanked(client, login, member, post):
    login(member)
    response = client.post(f"/posts/{post.id}/flag", data={"kind": "off_topic"},
                           follow_redirects=True)
    assert "Moderators will look at this post" in response.get_data(as_text=True)


def test_flagging_twice_says_so_and_changes_nothing(client, login, member, post):
    login(member)
    client.post(f"/posts/{post.id}/flag", data={"kind": "spam"})
    response = client.post(f"/posts/{post.id}/flag", data={"kind": "inappropriate"})
    assert response.status_code == 422
    assert "already flagged" in response.get_data(as_text=True)
    assert [f.kind for f in db.session.query(Flag)] == ["spam"]


def test_a_post_in_a_hidden_category_cannot_be_flagged_or_seen(client, login, student,
                                                               private_category):
    secret = factories.make_topic(category=private_category)
    db.session.commit()
    login(student)
    first = topic_services.post_by_number(secret, 1)
    assert client.post(f"/posts/{first.id}/flag", data={"kind": "spam"}).status_code == 404


# --- the queue page ---------------------------------------------------------------------------

QUEUE_ALLOWED = {"admin", "subject_moderator", "other_subject_moderator"}


@pytest.mark.parametrize("actor", ACTORS)
def test_the_queue_page_is_for_moderators_only(actor, act_as, client, post):
    flagged_item(post)
    act_as(actor)
    response = client.get("/review")
    assert response.status_code == (200 if actor in QUEUE_ALLOWED else 403)


def test_the_queue_shows_the_post_its_context_and_its_flags(client, login, subject_moderator,
                                                            post):
    flag_by(post, factories.make_user("vera"), kind="other", message="Реклама курсов")
    login(subject_moderator)
    page = client.get("/review").get_data(as_text=True)
    assert "Спорное сообщение" in page and "Первое сообщение темы" in page
    assert "Реклама курсов" in page and "vera" in page
    assert "Agree and hide the post" in page and "Silence the author" in page


def test_another_categorys_moderator_sees_neither_items_nor_counts(client, login, post,
                                                                   other_subject_moderator):
    flagged_item(post)
    login(other_subject_moderator)
    page = client.get("/review").get_data(as_text=True)
    assert "Спорное сообщение" not in page
    assert "Review (0)" in page


def test_the_header_link_counts_pending_items_in_scope(client, login, subject_moderator, post):
    flagged_item(post)
    login(subject_moderator)
    assert "Review (1)" in client.get("/latest").get_data(as_text=True)


def test_members_have_no_review_link(client, login, member):
    login(member)
    assert "/review" not in client.get("/latest").get_data(as_text=True)


def test_the_queue_filters_by_status_and_category(client, login, admin, post):
    item = flagged_item(post)
    review.perform(item, review.IGNORE, actor=admin)
    db.session.commit()
    login(admin)
    assert "Спорное сообщение" not in client.get("/review").get_data(as_text=True)
    resolved = client.get("/review?status=resolved").get_data(as_text=True)
    assert "Спорное сообщение" in resolved and "Resolved by coordinator" in resolved
    other = factories.make_category("Литература")
    db.session.commit()
    assert "Спорное сообщение" not in client.get(
        f"/review?status=resolved&category={other.id}").get_data(as_text=True)


# --- decisions --------------------------------------------------------------------------------

DECIDE_ALLOWED = {"admin", "subject_moderator"}


def _item_for(action, post, topic):
    if action in (review.APPROVE, review.REJECT):
        setting("approve_new_member_posts", 1)
        held = reply_by(topic, factories.make_user(), raw="Ожидает одобрения модератора.")
        return db.session.query(Reviewable).filter_by(post_id=held.id).one()
    return flagged_item(post)


@pytest.mark.parametrize("action", [review.AGREE_AND_HIDE, review.AGREE_AND_DELETE,
                                    review.DISAGREE, review.IGNORE, review.APPROVE,
                                    review.REJECT])
@pytest.mark.parametrize("actor", ACTORS)
def test_every_decision_follows_the_permission_matrix(actor, action, act_as, client, post, topic):
    item = _item_for(action, post, topic)
    act_as(actor)
    response = client.post(f"/review/{item.id}/perform", data={"action": action})
    db.session.expire_all()
    if actor in DECIDE_ALLOWED:
        assert response.status_code == 302
        assert item.status != "pending"
        assert db.session.query(StaffAction).count() == 1
    else:
        assert response.status_code in (403, 404)
        assert item.status == "pending"
        assert db.session.query(StaffAction).count() == 0


def test_a_stale_decision_gets_a_clear_message_and_changes_nothing(client, login, admin,
                                                                   subject_moderator, post):
    item = flagged_item(post)
    review.perform(item, review.DISAGREE, actor=admin)
    db.session.commit()
    login(subject_moderator)
    response = client.post(f"/review/{item.id}/perform", data={"action": "agree_and_delete"})
    assert response.status_code == 409
    assert "already handled by coordinator" in response.get_data(as_text=True)
    db.session.expire_all()
    assert post.deleted_at is None and item.status == "disagreed"


def test_a_silence_without_reason_keeps_the_choice_and_explains(client, login,
                                                                subject_moderator, post):
    item = flagged_item(post)
    login(subject_moderator)
    response = client.post(f"/review/{item.id}/perform",
                           data={"action": "agree_and_hide", "silence_days": "7",
                                 "silence_reason": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give a reason" in page and '<option selected value="7">' in page
    db.session.expire_all()
    assert item.status == "pending" and not post.is_hidden


def test_agreeing_with_a_silence_through_the_page(client, login, subject_moderator, post,
                                                  other_member):
    item = flagged_item(post)
    login(subject_moderator)
    response = client.post(f"/review/{item.id}/perform",
                           data={"action": "agree_and_hide", "silence_days": "3",
                                 "silence_reason": "Реклама"})
    assert response.status_code == 302
    db.session.expire_all()
    assert other_member.is_silenced and post.is_hidden


def test_an_unknown_item_is_a_404(client, login, admin):
    login(admin)
    assert client.post("/review/999/perform", data={"action": "ignore"}).status_code == 404


def test_the_queue_is_paginated(app, client, login, admin, topic):
    app.config["REVIEW_ITEMS_PER_PAGE"] = 2
    for n in range(3):
        flagged_item(reply_by(topic, raw=f"Сообщение для проверки {n}"))
    login(admin)
    first = client.get("/review").get_data(as_text=True)
    assert "проверки 0" in first and "проверки 1" in first and "проверки 2" not in first
    assert 'rel="next"' in first
    second = client.get("/review?page=2").get_data(as_text=True)
    assert "проверки 2" in second and "проверки 0" not in second
