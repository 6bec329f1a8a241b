"""Chat pages over HTTP: who sees what, the plain (no-JavaScript) form, history pages, unread
counts and the new-messages marker, joining, inviting, conversations, creating channels, and the
no-JS fallbacks for editing, deleting and reacting."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from forum.chat import channels, messages
from forum.models import (
    CHANNEL_PRIVATE,
    CHANNEL_SEMINAR,
    ChatChannel,
    ChatMessage,
    ChatReaction,
    utcnow,
)
from tests.factories import make_user

EN = {"Accept-Language": "en"}


@pytest.fixture
def no_rate_limit(app):
    """Many messages written at once: the per-member limit is for people typing."""
    app.config["RATELIMIT_ENABLED"] = False
    yield
    app.config["RATELIMIT_ENABLED"] = True


def url(channel: ChatChannel, **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"/chat/c/{channel.slug}/{channel.id}" + (f"?{query}" if query else "")


def say(db, channel, author, *texts):
    sent = [messages.send_message(channel, author=author, raw=text)[0] for text in texts]
    db.session.commit()
    return sent


def count_messages(db) -> int:
    return db.session.scalar(select(func.count(ChatMessage.id)))


def html(response) -> str:
    return response.get_data(as_text=True)


# --- who sees what ------------------------------------------------------------------------------

def test_a_guest_reads_a_public_channel_without_a_form(client, db, public_channel, moderator):
    say(db, public_channel, moderator, "Добро пожаловать, **коллеги**!")
    page = client.get(url(public_channel), headers=EN)
    assert page.status_code == 200
    assert "<strong>коллеги</strong>" in html(page)
    assert 'id="chat-composer"' not in html(page)
    assert "Sign in to write in the chat." in html(page)


def test_a_guest_page_starts_no_session(client, db, public_channel, moderator):
    say(db, public_channel, moderator, "Привет")
    for address in ("/chat", url(public_channel)):
        response = client.get(address)
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers  # cacheable, shareable pages


def test_a_student_gets_404_for_a_private_category_channel(client, login, db, student,
                                                           private_category_channel):
    db.session.commit()
    login(student)
    assert client.get(url(private_category_channel)).status_code == 404
    assert "Только учителя" not in html(client.get("/chat"))


def test_a_direct_conversation_is_shown_to_its_participants_only(client, login, db, member,
                                                                 other_member, moderator):
    conversation = channels.open_direct_conversation(actor=member, others=[other_member])
    db.session.commit()
    login(moderator)
    assert client.get(url(conversation)).status_code == 404
    login(other_member)
    page = client.get(url(conversation))
    assert page.status_code == 200
    assert "Анна Петровна" in html(page)  # named after the other participant


def test_a_channel_page_under_an_old_slug_redirects(client, db, public_channel):
    db.session.commit()
    response = client.get(f"/chat/c/old-name/{public_channel.id}?before=5")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"{url(public_channel)}?before=5")


def test_a_channel_that_does_not_exist_is_404(client, db):
    assert client.get("/chat/c/nothing/987654").status_code == 404


# --- the plain form -----------------------------------------------------------------------------

def test_the_plain_form_sends_and_redirects_to_the_message(client, login, db, member,
                                                           public_channel):
    login(member)
    response = client.post(f"/chat/c/{public_channel.id}/messages",
                           data={"raw": "Всем привет", "client_id": "plainform-0001"})
    stored = db.session.scalars(select(ChatMessage)).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"{url(public_channel)}#message-{stored.id}")
    assert stored.raw == "Всем привет" and stored.user_id == member.id


def test_a_double_submit_with_the_same_client_id_stores_one_message(client, login, db, member,
                                                                    public_channel):
    login(member)
    page = html(client.get(url(public_channel)))
    client_id = re.search(r'name="client_id" type="hidden" value="([^"]+)"', page).group(1)
    for _ in range(2):
        response = client.post(f"/chat/c/{public_channel.id}/messages",
                               data={"raw": "Один раз", "client_id": client_id})
        assert response.status_code == 302
    assert count_messages(db) == 1


def test_each_page_load_gives_the_form_a_new_client_id(client, login, db, member, public_channel):
    login(member)
    pattern = r'name="client_id" type="hidden" value="([^"]+)"'
    first = re.search(pattern, html(client.get(url(public_channel)))).group(1)
    second = re.search(pattern, html(client.get(url(public_channel)))).group(1)
    assert first != second


def test_an_overlong_message_is_refused_and_the_text_is_kept(client, login, db, member,
                                                             public_channel):
    login(member)
    text = "Длинный текст " * 400
    response = client.post(f"/chat/c/{public_channel.id}/messages",
                           data={"raw": text, "client_id": "plainform-0002"}, headers=EN)
    assert response.status_code == 422
    assert "The message is too long" in html(response)
    assert text.strip() in html(response)
    assert count_messages(db) == 0


def test_an_empty_message_shows_an_error_beside_the_form(client, login, db, member,
                                                         public_channel):
    login(member)
    response = client.post(f"/chat/c/{public_channel.id}/messages", data={"raw": "   "},
                           headers=EN)
    assert response.status_code == 422
    assert "The message cannot be empty." in html(response)


def test_a_message_to_a_closed_channel_keeps_the_text_and_says_why(client, login, db, member,
                                                                   closed_channel):
    db.session.commit()
    login(member)
    response = client.post(f"/chat/c/{closed_channel.id}/messages",
                           data={"raw": "Можно вопрос?", "client_id": "plainform-0003"},
                           headers=EN)
    assert response.status_code == 403
    body = html(response)
    assert "This channel is closed" in body
    assert "Можно вопрос?" in body  # kept in a read-only box to copy
    assert count_messages(db) == 0


def test_a_stale_form_token_keeps_the_text(app, client, login, db, member, public_channel):
    login(member)
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post(f"/chat/c/{public_channel.id}/messages",
                           data={"raw": "Не потеряйся", "csrf_token": "stale"}, headers=EN)
    assert response.status_code == 422
    assert "Не потеряйся" in html(response)


def test_a_reply_from_the_plain_page_quotes_its_target(client, login, db, member, moderator,
                                                       public_channel):
    [question] = say(db, public_channel, moderator, "Кто ведёт кружок?")
    login(member)
    page = html(client.get(url(public_channel, reply_to=question.id)))
    assert f'name="reply_to_id" type="hidden" value="{question.id}"' in page
    client.post(f"/chat/c/{public_channel.id}/messages",
                data={"raw": "Я веду", "reply_to_id": question.id})
    answer = db.session.scalars(select(ChatMessage).where(ChatMessage.user_id == member.id)).one()
    assert answer.reply_to_id == question.id
    assert "Кто ведёт кружок?" in html(client.get(url(public_channel)))


def test_a_guest_cannot_post_the_form(client, db, public_channel):
    db.session.commit()
    response = client.post(f"/chat/c/{public_channel.id}/messages", data={"raw": "Привет"})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert count_messages(db) == 0


def test_a_seminar_room_before_its_start_is_read_only_with_a_note(client, login, db, moderator,
                                                                  member):
    soon = channels.create_channel(CHANNEL_SEMINAR, actor=moderator, name="Скоро семинар",
                                   host=moderator, starts_at=utcnow() + timedelta(days=1))
    db.session.commit()
    login(member)
    page = html(client.get(url(soon), headers=EN))
    assert 'id="chat-composer"' not in page
    assert "The seminar has not started yet" in page
    assert "Not started" in page


# --- history, unread counts and the marker ------------------------------------------------------

def test_the_page_shows_the_last_50_and_links_to_older_ones(client, db, public_channel,
                                                            moderator, no_rate_limit):
    sent = say(db, public_channel, moderator, *[f"Сообщение номер {n}" for n in range(1, 61)])
    page = html(client.get(url(public_channel), headers=EN))
    assert "Сообщение номер 11<" in page and "Сообщение номер 60<" in page
    assert "Сообщение номер 10<" not in page
    assert f"before={sent[10].id}" in page
    older = html(client.get(url(public_channel, before=sent[10].id), headers=EN))
    assert "Сообщение номер 1<" in older and "Сообщение номер 10<" in older
    assert "Сообщение номер 11<" not in older
    assert "Older messages" not in older and "Newest messages" in older


def test_unread_counts_in_the_list_clear_once_the_channel_is_read(client, login, db, member,
                                                                  moderator, public_channel):
    channels.join_channel(public_channel, user=member)
    db.session.commit()
    say(db, public_channel, moderator, "Раз", "Два", "Три")
    login(member)
    listing = html(client.get("/chat", headers=EN))
    assert "3 unread messages" in listing
    client.get(url(public_channel))
    assert "unread message" not in html(client.get("/chat", headers=EN))


def test_the_marker_shows_where_the_member_stopped_reading(client, login, db, member, moderator,
                                                           public_channel):
    channels.join_channel(public_channel, user=member)
    db.session.commit()
    say(db, public_channel, moderator, "Прочитано")
    login(member)
    client.get(url(public_channel))
    [new] = say(db, public_channel, moderator, "Новое")
    page = html(client.get(url(public_channel), headers=EN))
    marker = page.index("data-chat-marker")
    assert page.index("Прочитано") < marker < page.index(f'id="message-{new.id}"')
    assert "data-chat-marker" not in html(client.get(url(public_channel)))


def test_followed_channels_come_first_in_the_list(client, login, db, member, moderator):
    quiet = channels.create_channel("public", actor=moderator, name="Мой тихий канал")
    channels.create_channel("public", actor=moderator, name="Шумный канал")
    channels.join_channel(quiet, user=member)
    db.session.commit()
    login(member)
    listing = html(client.get("/chat", headers=EN))
    assert listing.index("Your channels") < listing.index("Мой тихий канал") \
        < listing.index("More channels") < listing.index("Шумный канал")


def test_seminar_rooms_in_the_list_show_their_time_and_phase(client, db, live_seminar):
    db.session.commit()
    listing = html(client.get("/chat", headers=EN))
    assert "Live now" in listing
    local_start = live_seminar.starts_at.astimezone(
        __import__("zoneinfo").ZoneInfo("Europe/Moscow")).strftime("%d.%m.%Y %H:%M")
    assert local_start in listing


# --- membership -----------------------------------------------------------------------------------

def test_a_member_joins_and_leaves_an_open_channel(client, login, db, member, public_channel):
    login(member)
    assert client.post(f"/chat/c/{public_channel.id}/join").status_code == 302
    assert "Leave channel" in html(client.get(url(public_channel), headers=EN))
    assert client.post(f"/chat/c/{public_channel.id}/leave").status_code == 302
    assert "Join channel" in html(client.get(url(public_channel), headers=EN))


def test_a_moderator_invites_to_a_private_channel(client, login, db, moderator, member):
    private = channels.create_channel(CHANNEL_PRIVATE, actor=moderator, name="Методсовет")
    db.session.commit()
    login(member)
    assert client.get(url(private)).status_code == 404
    login(moderator)
    response = client.post(f"/chat/c/{private.id}/invite", data={"usernames": "@anna"})
    assert response.status_code == 302
    login(member)
    assert client.get(url(private)).status_code == 200


def test_inviting_an_unknown_name_keeps_what_was_typed(client, login, db, moderator):
    private = channels.create_channel(CHANNEL_PRIVATE, actor=moderator, name="Методсовет")
    db.session.commit()
    login(moderator)
    response = client.post(f"/chat/c/{private.id}/invite", data={"usernames": "nobody_here"},
                           headers=EN)
    assert response.status_code == 422
    assert "No member with the username: nobody_here." in html(response)
    assert 'value="nobody_here"' in html(response)


def test_a_member_may_not_invite_to_a_channel_they_do_not_moderate(client, login, db, member,
                                                                   other_member, public_channel):
    login(member)
    response = client.post(f"/chat/c/{public_channel.id}/invite", data={"usernames": "boris"})
    assert response.status_code == 422  # refused with a reason, shown above the form
    assert channels.permissions.membership_of(other_member, public_channel) is None


def test_starting_a_conversation_twice_opens_the_same_one(client, login, db, member,
                                                          other_member):
    login(member)
    first = client.post("/chat/dm", data={"usernames": "boris"})
    second = client.post("/chat/dm", data={"usernames": "Boris"})
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert "Boris" in html(client.get(first.headers["Location"])).replace("boris", "Boris")


def test_a_conversation_with_an_unknown_name_is_refused_in_the_form(client, login, db, member):
    login(member)
    response = client.post("/chat/dm", data={"usernames": "ghost"}, headers=EN)
    assert response.status_code == 422
    assert "No member with the username: ghost." in html(response)


# --- creating channels --------------------------------------------------------------------------

def test_a_member_cannot_open_the_new_channel_form(client, login, db, member):
    login(member)
    assert client.get("/chat/new").status_code == 403


def test_a_moderator_creates_a_seminar_room_in_the_site_time_zone(client, login, db, moderator,
                                                                  member):
    login(moderator)
    response = client.post("/chat/new", data={
        "kind": "seminar", "name": "Семинар по геометрии", "host": "anna",
        "starts_at": "2030-03-01T10:00", "ends_at": "2030-03-01T11:30"})
    assert response.status_code == 302
    room = db.session.scalars(select(ChatChannel)).one()
    assert room.host_id == member.id
    assert room.starts_at == datetime(2030, 3, 1, 7, 0, tzinfo=UTC)  # 10:00 in Moscow
    assert room.ends_at == datetime(2030, 3, 1, 8, 30, tzinfo=UTC)


def test_a_seminar_ending_before_it_starts_is_refused_and_the_form_kept(client, login, db,
                                                                        moderator):
    login(moderator)
    response = client.post("/chat/new", data={
        "kind": "seminar", "name": "Наоборот", "starts_at": "2030-03-01T10:00",
        "ends_at": "2030-03-01T09:00"}, headers=EN)
    assert response.status_code == 422
    assert "The seminar must end after it starts." in html(response)
    assert 'value="Наоборот"' in html(response)


def test_a_subject_moderator_creates_their_category_channel(client, login, db, subject_moderator,
                                                            category):
    login(subject_moderator)
    response = client.post("/chat/new", data={"kind": "category", "name": "Математика — чат",
                                              "category_id": category.id})
    assert response.status_code == 302
    assert db.session.scalars(select(ChatChannel)).one().category_id == category.id


def test_html_in_a_channel_name_is_shown_as_text(client, login, db, moderator):
    login(moderator)
    client.post("/chat/new", data={"kind": "public", "name": "<script>alert(1)</script>"})
    listing = html(client.get("/chat"))
    assert "<script>alert(1)</script>" not in listing
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing


# --- no-JS fallbacks for message actions --------------------------------------------------------

def test_the_author_edits_through_the_plain_page(client, login, db, member, public_channel):
    [message] = say(db, public_channel, member, "Опечатка")
    login(member)
    form = client.get(f"/chat/m/{message.id}/edit")
    assert form.status_code == 200 and "Опечатка" in html(form)
    response = client.post(f"/chat/m/{message.id}/edit", data={"raw": "Исправлено"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"#message-{message.id}")
    db.session.refresh(message)
    assert message.raw == "Исправлено" and message.edited_at is not None


def test_someone_else_cannot_edit_a_message(client, login, db, member, other_member,
                                            public_channel):
    [message] = say(db, public_channel, member, "Моё")
    login(other_member)
    assert client.get(f"/chat/m/{message.id}/edit").status_code == 403


def test_deleting_shows_a_placeholder_to_others_and_the_text_to_the_author(
        client, login, db, member, other_member, public_channel):
    [message] = say(db, public_channel, member, "Лишнее слово")
    login(member)
    assert client.post(f"/chat/m/{message.id}/delete").status_code == 302
    own_view = html(client.get(url(public_channel), headers=EN))
    assert "Лишнее слово" in own_view and "message deleted" in own_view
    login(other_member)
    other_view = html(client.get(url(public_channel), headers=EN))
    assert "Лишнее слово" not in other_view and "message deleted" in other_view


def test_a_moderator_restores_a_deleted_message(client, login, db, member, moderator,
                                                public_channel):
    [message] = say(db, public_channel, member, "Вернётся")
    messages.delete_message(message, actor=member)
    db.session.commit()
    login(moderator)
    assert client.post(f"/chat/m/{message.id}/restore").status_code == 302
    db.session.refresh(message)
    assert message.deleted_at is None


def test_a_reaction_from_the_plain_page_toggles(client, login, db, member, other_member,
                                                public_channel):
    [message] = say(db, public_channel, member, "Ура!")
    login(other_member)
    client.post(f"/chat/m/{message.id}/react", data={"emoji": "🎉"})
    assert db.session.scalar(select(func.count(ChatReaction.id))) == 1
    page = html(client.get(url(public_channel)))
    assert 'aria-pressed="true"' in page
    client.post(f"/chat/m/{message.id}/react", data={"emoji": "🎉"})
    assert db.session.scalar(select(func.count(ChatReaction.id))) == 0


def test_a_bad_emoji_answers_a_clear_error(client, login, db, member, other_member,
                                           public_channel):
    [message] = say(db, public_channel, member, "Ура!")
    login(other_member)
    response = client.post(f"/chat/m/{message.id}/react", data={"emoji": "<b>"}, headers=EN)
    assert response.status_code == 422
    assert "Choose an emoji to react with." in html(response)


def test_message_actions_on_an_invisible_channel_are_404(client, login, db, member, other_member,
                                                         moderator):
    conversation = channels.open_direct_conversation(actor=member, others=[other_member])
    db.session.commit()
    [message] = say(db, conversation, member, "Секрет")
    login(moderator)
    for action in ("delete", "restore", "react"):
        assert client.post(f"/chat/m/{message.id}/{action}").status_code == 404
    assert client.get(f"/chat/m/{message.id}/edit").status_code == 404


def test_a_link_to_an_old_message_opens_the_page_that_shows_it(client, login, db, member,
                                                               public_channel, no_rate_limit):
    first, *rest = say(db, public_channel, member, *[f"Строка {n}" for n in range(60)])
    login(member)
    response = client.post(f"/chat/m/{first.id}/react", data={"emoji": "👍"})
    assert response.headers["Location"].endswith(f"?before={first.id + 1}#message-{first.id}")
    latest = rest[-1]
    response = client.post(f"/chat/m/{latest.id}/react", data={"emoji": "👍"})
    assert response.headers["Location"].endswith(f"{url(public_channel)}#message-{latest.id}")


# --- queries per page -----------------------------------------------------------------------------

def _grow(db, channel, authors, count):
    for n in range(count):
        author = authors[n % len(authors)]
        message, _ = messages.send_message(channel, author=author, raw=f"Текст {n}")
        if n % 3 == 0:
            messages.toggle_reaction(message, user=authors[(n + 1) % len(authors)], emoji="👍")
    db.session.commit()


@pytest.mark.parametrize("kind", ["public_channel", "category_channel", "live_seminar"])
def test_the_channel_page_costs_the_same_queries_however_long_the_history(
        request, client, login, db, member, kind, count_queries, no_rate_limit):
    public_channel = request.getfixturevalue(kind)
    # Each time with unread messages, so each view also moves the read position.
    authors = [make_user() for _ in range(6)]
    channels.join_channel(public_channel, user=member)
    login(member)
    _grow(db, public_channel, authors, 5)
    with count_queries() as small:
        assert client.get(url(public_channel)).status_code == 200
    _grow(db, public_channel, authors + [make_user() for _ in range(6)], 80)
    with count_queries() as large:
        assert client.get(url(public_channel)).status_code == 200
    assert len(large) == len(small), "\n".join(large)


def test_the_channel_list_costs_the_same_queries_however_many_channels(
        client, login, db, member, moderator, count_queries, no_rate_limit):
    def grow(n):
        for i in range(n):
            channel = channels.create_channel("public", actor=moderator, name=f"Канал {i}")
            channels.join_channel(channel, user=member)
            messages.send_message(channel, author=moderator, raw="Привет")
        other = make_user()
        channels.open_direct_conversation(actor=member, others=[other])
        db.session.commit()

    grow(2)
    login(member)
    client.get("/chat")
    with count_queries() as small:
        assert client.get("/chat").status_code == 200
    grow(12)
    client.get("/chat")  # as before the first count: the signed-in account is loaded afresh
    with count_queries() as large:
        assert client.get("/chat").status_code == 200
    assert len(large) == len(small), "\n".join(large)
