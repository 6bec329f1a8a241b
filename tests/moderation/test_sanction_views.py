"""Sanction pages and API: who may silence or suspend whom, what the member then experiences."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post, StaffAction, User, utcnow
from forum.moderation import audit, sanctions
from tests import factories
from tests.actors import ACTORS

CAN_SILENCE = {"admin", "moderator", "subject_moderator", "other_subject_moderator"}
CAN_SUSPEND = {"admin", "moderator"}
GUESTLIKE = {"guest", "suspended_member"}  # the suspended member's session has ended


def _reload(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def _silence_form(**overrides):
    data = {"silence-duration": "1w", "silence-reason": "Грубость в теме"}
    data.update(overrides)
    return data


@pytest.mark.parametrize("actor", ACTORS)
def test_the_sanctions_page_opens_only_for_those_who_may_sanction(actor, actor_browser,
                                                                   other_member):
    browser, _ = actor_browser(actor)
    response = browser.get(f"/u/{other_member.username}/sanctions")
    if actor in CAN_SILENCE:
        assert response.status_code == 200
    elif actor in GUESTLIKE:
        assert response.status_code == 302 and "/login" in response.location
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("actor", ACTORS)
def test_silencing_through_the_page_follows_the_permission_matrix(actor, actor_browser,
                                                                  other_member):
    browser, _ = actor_browser(actor)
    response = browser.post(f"/u/{other_member.username}/silence", data=_silence_form())
    target = _reload(other_member)
    if actor in CAN_SILENCE:
        assert response.status_code == 302
        assert target.is_silenced and target.silence_reason == "Грубость в теме"
        assert db.session.query(StaffAction).filter_by(action=audit.USER_SILENCE).count() == 1
    else:
        assert response.status_code == (302 if actor in GUESTLIKE else 403)
        assert not target.is_silenced
        assert db.session.query(StaffAction).count() == 0


@pytest.mark.parametrize("actor", ACTORS)
def test_suspending_through_the_page_follows_the_permission_matrix(actor, actor_browser,
                                                                   other_member):
    browser, _ = actor_browser(actor)
    response = browser.post(f"/u/{other_member.username}/suspend", data={
        "suspend-duration": "3d", "suspend-reason": "Спам"})
    target = _reload(other_member)
    if actor in CAN_SUSPEND:
        assert response.status_code == 302 and target.is_suspended
        remaining = target.suspended_until - utcnow()
        assert timedelta(days=2, hours=23) < remaining <= timedelta(days=3)
    else:
        assert response.status_code == (302 if actor in GUESTLIKE else 403)
        assert not target.is_suspended


@pytest.mark.parametrize("actor", ACTORS)
def test_lifting_a_silence_early_follows_the_permission_matrix(actor, actor_browser,
                                                               other_member):
    factories.silence(other_member)
    db.session.commit()
    browser, _ = actor_browser(actor)
    response = browser.post(f"/u/{other_member.username}/unsilence")
    target = _reload(other_member)
    assert target.is_silenced is (actor not in CAN_SILENCE)
    if actor in CAN_SILENCE:
        assert response.status_code == 302
        assert db.session.query(StaffAction).filter_by(action=audit.USER_UNSILENCE).count() == 1


def test_lifting_a_suspension_early_lets_the_member_log_in_again(actor_browser, other_member,
                                                                   browser_for):
    factories.suspend(other_member)
    db.session.commit()
    browser, _ = actor_browser("admin")
    assert browser.post(f"/u/{other_member.username}/unsuspend").status_code == 302
    assert not _reload(other_member).is_suspended
    browser_for(other_member)  # asserts the login succeeds


def test_lifting_twice_is_harmless_and_logged_once(actor_browser, other_member):
    factories.silence(other_member)
    db.session.commit()
    browser, _ = actor_browser("admin")
    browser.post(f"/u/{other_member.username}/unsilence")
    browser.post(f"/u/{other_member.username}/unsilence")
    assert db.session.query(StaffAction).filter_by(action=audit.USER_UNSILENCE).count() == 1


def test_a_chosen_end_date_ends_the_sanction_that_evening(actor_browser, other_member):
    browser, _ = actor_browser("admin")
    day = (utcnow() + timedelta(days=10)).date()
    response = browser.post(f"/u/{other_member.username}/silence", data=_silence_form(**{
        "silence-duration": "date", "silence-until_date": day.isoformat()}))
    assert response.status_code == 302
    assert (_reload(other_member).silenced_until - utcnow()) > timedelta(days=9)


@pytest.mark.parametrize("overrides, message", [
    ({"silence-reason": ""}, "Give a reason"),
    ({"silence-duration": "date"}, "Choose the date the sanction ends."),
    ({"silence-duration": "date", "silence-until_date": "2001-01-01"},
     "Choose a date in the future."),
])
def test_bad_sanction_input_keeps_what_was_typed(overrides, message, actor_browser,
                                                 other_member):
    browser, _ = actor_browser("moderator")
    response = browser.post(f"/u/{other_member.username}/silence",
                            data=_silence_form(**{"silence-reason": "Мой <b>текст</b>",
                                                  **overrides}))
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and message in html
    if overrides.get("silence-reason") != "":
        assert "Мой &lt;b&gt;текст&lt;/b&gt;" in html
    assert not _reload(other_member).is_silenced


def test_the_admin_user_page_shows_until_why_and_by_whom_escaped(actor_browser, other_member,
                                                                   moderator):
    sanctions.silence_user(other_member, actor=moderator, until=utcnow() + timedelta(days=2),
                           reason="<script>alert(1)</script>")
    db.session.commit()
    browser, _ = actor_browser("admin")
    html = browser.get(f"/admin/users/{other_member.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert "by moder" in html
    assert f"/u/{other_member.username}/sanctions" in html


@pytest.mark.parametrize("actor, shown", [("subject_moderator", True), ("moderator", True),
                                          ("member", False), ("guest", False)])
def test_the_profile_links_to_sanctions_only_for_those_allowed(actor, shown, actor_browser,
                                                               other_member):
    browser, _ = actor_browser(actor)
    html = browser.get(f"/u/{other_member.username}").get_data(as_text=True)
    assert (f"/u/{other_member.username}/sanctions" in html) is shown


# --- what the member experiences ---------------------------------------------------------------

def test_a_suspended_member_is_told_why_and_until_when_at_login(client, suspended_member):
    response = client.post("/login", data={"login": "zapret", "password": factories.PASSWORD},
                           headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "suspended until" in html and "Спам" in html


def test_a_wrong_password_reveals_nothing_about_a_suspension(client, suspended_member):
    response = client.post("/login", data={"login": "zapret", "password": "wrong-password"},
                           headers={"Accept-Language": "en"})
    html = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "suspended" not in html and "Спам" not in html


def test_a_signed_in_member_is_logged_out_on_the_next_request_once_suspended(browser_for,
                                                                              member):
    browser = browser_for(member)
    assert browser.get("/my/preferences").status_code == 200
    sanctions.suspend_user(member, actor=factories.make_user("boss", role="admin"),
                           until=utcnow() + timedelta(days=1), reason="Спам")
    db.session.commit()
    response = browser.get("/my/preferences")
    assert response.status_code == 302 and "/login" in response.location


def test_a_silenced_member_sees_a_notice_instead_of_the_reply_composer(browser_for, topic,
                                                                        silenced_member):
    browser = browser_for(silenced_member)
    html = browser.get(f"/t/{topic.id}", follow_redirects=True).get_data(as_text=True)
    assert "silenced-notice" in html and "Нарушение кодекса" in html
    assert 'class="reply-form"' not in html


def test_a_silenced_member_sees_a_notice_instead_of_the_new_topic_button(browser_for, category,
                                                                          silenced_member):
    html = browser_for(silenced_member).get(f"/c/{category.id}", follow_redirects=True).get_data(
        as_text=True)
    assert "silenced-notice" in html and "/new-topic" not in html


def test_a_silenced_members_html_reply_is_refused_with_the_reason(browser_for, topic,
                                                                   silenced_member):
    response = browser_for(silenced_member).post(f"/t/{topic.id}/reply",
                                                  data={"raw": "Мой ответ, который не уйдёт"})
    html = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "You are silenced until" in html and "Нарушение кодекса" in html
    assert "Мой ответ, который не уйдёт" in html  # the text is kept
    assert topic.posts_count == 1


@pytest.mark.parametrize("path", ["/new-topic", "/t/{topic}/reply", "/posts/{post}/edit"])
def test_a_silenced_member_opening_a_composer_is_refused_with_the_reason(path, browser_for,
                                                                         db, category):
    author = factories.make_user("tikhon")
    topic = factories.make_topic(category=category, author=author)
    factories.silence(author)
    db.session.commit()
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    url = path.format(topic=topic.id, post=first.id)
    response = browser_for(author).get(url)
    assert response.status_code == 403
    assert "You are silenced until" in response.get_data(as_text=True)


@pytest.mark.parametrize("body", [
    {"topic_id": None, "raw": "Ответ через API, достаточно длинный"},
    {"title": "Новая тема через API", "raw": "Текст новой темы через API", "category": None},
])
def test_a_silenced_members_api_posts_are_refused_with_the_reason(body, client, topic, category,
                                                                  silenced_member):
    from forum.accounts.services import create_api_key

    key = create_api_key(actor=None, user=silenced_member)
    db.session.commit()
    body = {k: (topic.id if k == "topic_id" else category.id if k == "category" else v)
            for k, v in body.items()}
    response = client.post("/posts.json", json=body, headers={
        "Api-Key": key, "Api-Username": "tikhon", "Accept-Language": "en"})
    assert response.status_code == 403
    assert "You are silenced until" in response.get_json()["errors"][0]


def test_a_silenced_members_api_edit_is_refused_with_the_reason(client, category):
    from forum.accounts.services import create_api_key

    author = factories.make_user("tikhon")
    topic = factories.make_topic(category=category, author=author)
    factories.silence(author)
    key = create_api_key(actor=None, user=author)
    db.session.commit()
    first = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    response = client.put(f"/posts/{first.id}.json", json={"post": {"raw": "Новый текст поста"}},
                          headers={"Api-Key": key, "Api-Username": "tikhon",
                                   "Accept-Language": "en"})
    assert response.status_code == 403
    assert "You are silenced until" in response.get_json()["errors"][0]


def test_the_refusal_message_is_none_for_members_who_may_post(member):
    assert sanctions.silence_refusal(member) is None


# --- Discourse API -----------------------------------------------------------------------------

def _api(client, db, user):
    from forum.accounts.services import create_api_key

    key = create_api_key(actor=None, user=user)
    db.session.commit()
    return {"Api-Key": key, "Api-Username": user.username, "Accept-Language": "en"}


API_ACTORS = ("admin", "moderator", "subject_moderator", "other_subject_moderator", "member",
              "silenced_member")


@pytest.mark.parametrize("actor", [*API_ACTORS, "guest"])
def test_api_silence_follows_the_permission_matrix(actor, request, client, db, other_member):
    headers = {} if actor == "guest" else _api(client, db, request.getfixturevalue(actor))
    response = client.put(f"/admin/users/{other_member.id}/silence", headers=headers, json={
        "silenced_till": (utcnow() + timedelta(days=3)).isoformat(), "reason": "Флуд"})
    target = _reload(other_member)
    if actor in CAN_SILENCE:
        assert response.status_code == 200
        body = response.get_json()["silence"]
        assert body["silenced"] is True and body["silence_reason"] == "Флуд"
        assert target.is_silenced
    else:
        assert response.status_code == 403 and response.get_json()["errors"]
        assert not target.is_silenced


@pytest.mark.parametrize("actor", [*API_ACTORS, "guest"])
def test_api_suspend_follows_the_permission_matrix(actor, request, client, db, other_member):
    headers = {} if actor == "guest" else _api(client, db, request.getfixturevalue(actor))
    response = client.put(f"/admin/users/{other_member.id}/suspend", headers=headers,
                          data={"suspend_until": "2099-01-01", "reason": "Спам"})
    target = _reload(other_member)
    if actor in CAN_SUSPEND:
        assert response.status_code == 200
        assert response.get_json()["suspension"]["suspend_reason"] == "Спам"
        assert target.is_suspended
    else:
        assert response.status_code == 403
        assert not target.is_suspended


def test_api_unsilence_and_unsuspend_lift_the_sanctions(client, db, admin, other_member):
    factories.silence(other_member)
    factories.suspend(other_member)
    headers = _api(client, db, admin)
    assert client.put(f"/admin/users/{other_member.id}/unsilence",
                      headers=headers).get_json() == {"unsilence": {"silenced": False}}
    assert client.put(f"/admin/users/{other_member.id}/unsuspend",
                      headers=headers).status_code == 200
    target = _reload(other_member)
    assert not target.is_silenced and not target.is_suspended


@pytest.mark.parametrize("value", ["", "завтра", "2001-01-01"])
def test_api_silence_with_a_bad_date_is_a_clear_422(value, client, db, admin, other_member):
    response = client.put(f"/admin/users/{other_member.id}/silence", headers=_api(
        client, db, admin), json={"silenced_till": value, "reason": "Флуд"})
    assert response.status_code == 422 and response.get_json()["errors"]
    assert not _reload(other_member).is_silenced


def test_api_sanctions_of_an_unknown_member_are_404(client, db, admin):
    response = client.put("/admin/users/999999/silence", headers=_api(client, db, admin),
                          json={"silenced_till": "2099-01-01", "reason": "x"})
    assert response.status_code == 404
