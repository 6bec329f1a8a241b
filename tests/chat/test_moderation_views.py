"""Chat moderation over HTTP: the permission matrix (member, subject moderator of the
category, seminar host, global moderator, student, guest), kept input after errors, the move
page, and the plug-in partials."""

from __future__ import annotations

import pytest
from flask import render_template
from flask_babel import to_user_timezone
from flask_login import login_user

from forum.chat import messages
from forum.extensions import db
from forum.models import Post, StaffAction
from forum.moderation import audit

ALLOWED, REFUSED, HIDDEN, SIGN_IN = 302, 403, 404, "sign in"

# (channel fixture, actor fixture) → what a moderation POST gets.
MATRIX = [
    ("category_channel", "member", REFUSED),
    ("category_channel", "subject_moderator", ALLOWED),
    ("category_channel", "other_subject_moderator", REFUSED),
    ("category_channel", "moderator", ALLOWED),
    ("category_channel", "student", REFUSED),
    ("category_channel", "guest", SIGN_IN),
    ("live_seminar", "member", ALLOWED),  # the host
    ("live_seminar", "other_member", REFUSED),
    ("live_seminar", "moderator", ALLOWED),
    ("live_seminar", "student", REFUSED),
    ("private_category_channel", "student", HIDDEN),
    ("private_category_channel", "moderator", ALLOWED),
]


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def as_actor(request, login, client):
    def _as(name):
        if name != "guest":
            login(request.getfixturevalue(name))
        return client
    return _as


def expect(response, expected):
    if expected == SIGN_IN:
        assert response.status_code == 302 and "/login" in response.location
    else:
        assert response.status_code == expected, response.get_data(True)[:300]


@pytest.mark.parametrize("channel_name, actor, expected", MATRIX)
def test_closing_follows_the_permission_matrix(request, as_actor, channel_name, actor, expected):
    channel = request.getfixturevalue(channel_name)
    db.session.commit()
    response = as_actor(actor).post(f"/chat/c/{channel.id}/close")
    expect(response, expected)
    db.session.refresh(channel)
    assert channel.is_closed == (expected == ALLOWED)


@pytest.mark.parametrize("channel_name, actor, expected", MATRIX)
def test_the_move_page_follows_the_permission_matrix(request, as_actor, channel_name, actor,
                                                     expected):
    channel = request.getfixturevalue(channel_name)
    db.session.commit()
    response = as_actor(actor).get(f"/chat/c/{channel.id}/move")
    expect(response, 200 if expected == ALLOWED else expected)


@pytest.mark.parametrize("channel_name, actor, expected", MATRIX)
def test_silencing_follows_the_permission_matrix(request, as_actor, channel_name, actor,
                                                 expected, parent):
    channel = request.getfixturevalue(channel_name)
    target = request.getfixturevalue("other_member" if actor != "other_member" else "parent")
    db.session.commit()
    response = as_actor(actor).post(f"/chat/c/{channel.id}/silence", data={
        "username": target.username, "minutes": "60", "reason": "Флуд"})
    expect(response, expected)
    logged = db.session.query(StaffAction).filter_by(action=audit.CHAT_SILENCE).count()
    assert logged == (1 if expected == ALLOWED else 0)


def test_reopening_and_slow_mode_go_back_to_the_channel(client, login, closed_channel, moderator):
    login(moderator)
    response = client.post(f"/chat/c/{closed_channel.id}/reopen")
    assert response.status_code == 302 and response.location.endswith(f"/{closed_channel.id}")
    client.post(f"/chat/c/{closed_channel.id}/slow-mode", data={"seconds": "30"})
    db.session.refresh(closed_channel)
    assert not closed_channel.is_closed and closed_channel.slow_mode_seconds == 30


def test_a_silence_without_reason_keeps_what_was_typed(client, login, public_channel, moderator,
                                                       other_member):
    login(moderator)
    response = client.post(f"/chat/c/{public_channel.id}/silence", data={
        "username": "boris", "minutes": "1440", "reason": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Give a reason; the member will see it." in page
    assert 'value="boris"' in page and '<option value="1440" selected>' in page


def test_silencing_an_unknown_member_is_a_field_error(client, login, public_channel, moderator):
    login(moderator)
    response = client.post(f"/chat/c/{public_channel.id}/silence", data={
        "username": "<script>", "minutes": "60", "reason": "Флуд"})
    assert response.status_code == 422 and "<script>" not in response.get_data(True)


def test_bad_slow_mode_is_explained(client, login, public_channel, moderator):
    login(moderator)
    response = client.post(f"/chat/c/{public_channel.id}/slow-mode", data={"seconds": "много"})
    assert response.status_code == 422 and "Slow mode is a number" in response.get_data(True)


def test_the_tools_page_lists_and_lifts_silences(client, login, public_channel, moderator,
                                                 other_member):
    login(moderator)
    client.post(f"/chat/c/{public_channel.id}/silence", data={
        "username": "boris", "minutes": "60", "reason": "Флуд"})
    page = client.get(f"/chat/c/{public_channel.id}/moderation").get_data(True)
    assert "boris" in page and "Lift the silence" in page
    client.post(f"/chat/c/{public_channel.id}/unsilence", data={"username": "boris"})
    page = client.get(f"/chat/c/{public_channel.id}/moderation").get_data(True)
    assert "Nobody is silenced in this channel." in page


def test_deleting_and_restoring_from_the_plain_page(client, login, public_channel, member,
                                                    moderator):
    message, _ = messages.send_message(public_channel, author=member, raw="Лишнее")
    db.session.commit()
    login(moderator)
    assert client.post(f"/chat/m/{message.id}/delete").status_code == 302
    db.session.refresh(message)
    assert message.deleted_at is not None
    client.post(f"/chat/m/{message.id}/restore")
    db.session.refresh(message)
    assert message.deleted_at is None


def test_a_member_cannot_delete_someone_elses_message(client, login, public_channel, member,
                                                      other_member):
    message, _ = messages.send_message(public_channel, author=member, raw="Моё")
    db.session.commit()
    login(other_member)
    client.post(f"/chat/m/{message.id}/delete")
    db.session.refresh(message)
    assert message.deleted_at is None


def test_the_move_page_moves_ticked_messages_into_a_new_topic(client, login, public_channel,
                                                              member, moderator, category):
    message, _ = messages.send_message(public_channel, author=member, raw="Ценная мысль")
    db.session.commit()
    login(moderator)
    response = client.post(f"/chat/c/{public_channel.id}/move", data={
        "message_ids": [str(message.id)], "operation": "copy", "mode": "new",
        "title": "Ценные мысли из чата", "category_id": str(category.id)})
    assert response.status_code == 302 and "/t/" in response.location
    assert db.session.query(Post).filter_by(raw="Ценная мысль").one().user_id == member.id


def test_the_move_page_keeps_the_choice_after_an_error(client, login, public_channel, member,
                                                       moderator, category):
    message, _ = messages.send_message(public_channel, author=member, raw="Ценная мысль")
    db.session.commit()
    login(moderator)
    response = client.post(f"/chat/c/{public_channel.id}/move", data={
        "message_ids": [str(message.id)], "mode": "new", "title": "",
        "category_id": str(category.id)})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "The title must be" in page
    assert f'value="{message.id}" checked' in page


def test_the_move_page_explains_a_bad_time(client, login, public_channel, moderator, topic):
    login(moderator)
    response = client.post(f"/chat/c/{public_channel.id}/move", data={
        "since": "завтра", "until": "", "mode": "existing", "destination": str(topic.id)})
    assert response.status_code == 422 and "DD.MM.YYYY HH:MM" in response.get_data(True)


def test_the_move_page_finds_a_topic_by_address_and_time_range(client, login, public_channel,
                                                               member, moderator, topic):
    message, _ = messages.send_message(public_channel, author=member, raw="По теме")
    db.session.commit()
    login(moderator)
    with client.application.test_request_context():  # typed in the reader's time zone
        start = to_user_timezone(message.created_at).strftime("%d.%m.%Y %H:%M")
    response = client.post(f"/chat/c/{public_channel.id}/move", data={
        "since": start, "until": "31.12.2099 23:59", "mode": "existing",
        "destination": f"http://localhost{topic.url}"})
    assert response.status_code == 302, response.get_data(True)[:500]
    db.session.refresh(message)
    assert message.deleted_at is not None


def test_the_staff_log_shows_chat_actions(client, login, public_channel, moderator, admin):
    login(moderator)
    client.post(f"/chat/c/{public_channel.id}/close")
    login(admin)
    page = client.get("/moderation/log").get_data(True)
    assert "closed a chat channel" in page and public_channel.name in page


# --- the partials -----------------------------------------------------------------------------

def render_as(app, user, template, **context):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        login_user(user)
        return render_template(template, **context)


def test_the_tools_partial_shows_tools_to_moderators_only(app, public_channel, moderator, member):
    for_moderator = render_as(app, moderator, "chat/_moderation_tools.html",
                              channel=public_channel)
    for_member = render_as(app, member, "chat/_moderation_tools.html", channel=public_channel)
    assert "Close the channel" in for_moderator and "/transcript.md" in for_moderator
    assert "Close the channel" not in for_member and "/transcript.md" in for_member
