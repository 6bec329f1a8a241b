"""The /chat Socket.IO namespace through Flask-SocketIO's test client: who may connect, watch
and write, what is stored and broadcast, and the error ack every bad payload gets."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from forum.accounts.services import create_api_key
from forum.chat import channels
from forum.extensions import db as _db
from forum.extensions import socketio
from forum.models import CHANNEL_PRIVATE, ChatMessage
from forum.realtime import CHAT_NAMESPACE
from tests import factories


@pytest.fixture
def connect(app, db):
    """A /chat socket signed in as `user` (through the login form), or a guest's."""
    sockets = []

    def _connect(user=None, *, language="en", auth=None):
        http = app.test_client()
        if user is not None:
            db.session.commit()
            response = http.post("/login", data={"login": user.username,
                                                 "password": factories.PASSWORD})
            assert response.status_code == 302
        socket = socketio.test_client(app, namespace=CHAT_NAMESPACE, flask_test_client=http,
                                      headers={"Accept-Language": language}, auth=auth)
        sockets.append(socket)
        return socket

    yield _connect
    for socket in sockets:
        if socket.is_connected(CHAT_NAMESPACE):
            socket.disconnect(CHAT_NAMESPACE)


def stored_count() -> int:
    return _db.session.scalar(select(func.count(ChatMessage.id)))


def stored_one() -> ChatMessage:
    _db.session.expire_all()
    return _db.session.scalars(select(ChatMessage)).one()


def ask(socket, event, *payload):
    return socket.emit(event, *payload, namespace=CHAT_NAMESPACE, callback=True)


def received(socket, name):
    """Payloads of the events called `name` (the test client keeps "message" unwrapped)."""
    return [e["args"] if e["name"] == "message" else e["args"][0]
            for e in socket.get_received(CHAT_NAMESPACE) if e["name"] == name]


def send(socket, channel, raw="Привет", client_id="client-0001", **extra):
    return ask(socket, "send", {"channel_id": channel.id, "client_id": client_id, "raw": raw,
                                **extra})


# --- connecting -------------------------------------------------------------------------------

def test_a_guest_connects_and_watches_a_public_channel(connect, public_channel):
    guest = connect()
    ack = ask(guest, "watch", {"channel_id": public_channel.id})
    assert ack["ok"] and ack["channel"]["id"] == public_channel.id
    assert ack["can_send"] is False and ack["refusal"] == "Sign in to write in the chat."


def test_a_guest_cannot_send(connect, public_channel):
    guest = connect()
    ask(guest, "watch", {"channel_id": public_channel.id})
    ack = send(guest, public_channel)
    assert ack["error"] == "unauthenticated"
    assert stored_count() == 0


def test_a_bot_connects_with_an_api_key_and_sends(connect, public_channel, member, db):
    key = create_api_key(actor=None, user=member)
    db.session.commit()
    bot = connect(auth={"api_key": key, "api_username": member.username})
    ack = send(bot, public_channel, raw="Сообщение бота")
    assert ack["ok"] and ack["message"]["user"]["username"] == member.username


def test_a_revoked_api_key_stops_acting_for_its_member(connect, public_channel, member, admin,
                                                       db):
    from forum.accounts.services import revoke_api_key
    from forum.models import ApiKey

    key = create_api_key(actor=None, user=member)
    db.session.commit()
    bot = connect(auth={"api_key": key, "api_username": member.username})
    assert send(bot, public_channel, raw="Пока работаю")["ok"]
    revoke_api_key(db.session.scalar(select(ApiKey).where(ApiKey.user_id == member.id)),
                   actor=admin)
    db.session.commit()
    ack = send(bot, public_channel, raw="Уже нельзя", client_id="client-0002")
    assert ack["error"] == "unauthenticated"
    assert stored_count() == 1


def test_a_wrong_api_key_is_refused_at_connect(connect, member):
    bot = connect(auth={"api_key": "not-a-key", "api_username": member.username})
    assert not bot.is_connected(CHAT_NAMESPACE)


def test_a_signed_in_member_is_told_they_may_send(connect, public_channel, member):
    ack = ask(connect(member), "watch", {"channel_id": public_channel.id})
    assert ack["can_send"] is True and ack["refusal"] is None


# --- rooms and permissions --------------------------------------------------------------------

def test_a_private_category_channel_is_not_found_for_a_student(connect, private_category_channel,
                                                               student):
    ack = ask(connect(student), "watch", {"channel_id": private_category_channel.id})
    assert ack["error"] == "not_found"
    assert ack["message"] == "This channel does not exist or is not available to you."


def test_a_student_hears_nothing_from_a_private_channel(connect, private_category_channel,
                                                        student, moderator):
    pupil = connect(student)
    ask(pupil, "watch", {"channel_id": private_category_channel.id})
    send(connect(moderator), private_category_channel, raw="Только для учителей")
    assert received(pupil, "message") == []


def test_a_private_channel_is_not_found_for_a_non_member(connect, moderator, member, db):
    secret = channels.create_channel(CHANNEL_PRIVATE, actor=moderator, name="Совет")
    db.session.commit()
    assert ask(connect(member), "watch", {"channel_id": secret.id})["error"] == "not_found"


def test_a_missing_channel_is_not_found(connect, member):
    assert ask(connect(member), "watch", {"channel_id": 987654})["error"] == "not_found"


def test_errors_are_in_the_users_language(connect, member):
    ack = ask(connect(member, language="ru"), "watch", {"channel_id": 987654})
    assert ack["message"] == "Такого канала нет, или он вам недоступен."


# --- sending, persistence, deduplication ------------------------------------------------------

def test_a_sent_message_is_stored_and_reaches_the_other_watchers(connect, public_channel, member,
                                                                 other_member):
    reader = connect(other_member)
    ask(reader, "watch", {"channel_id": public_channel.id})
    ack = send(connect(member), public_channel, raw="Коллеги, **привет**")
    assert ack["ok"] and ack["client_id"] == "client-0001"
    stored = stored_one()
    assert stored.id == ack["id"] and "<strong>привет</strong>" in stored.cooked
    assert [m["id"] for m in received(reader, "message")] == [stored.id]


def test_a_resend_with_the_same_client_id_is_acknowledged_with_the_same_message(
        connect, public_channel, member, other_member):
    reader = connect(other_member)
    ask(reader, "watch", {"channel_id": public_channel.id})
    writer = connect(member)
    first, again = send(writer, public_channel), send(writer, public_channel)
    assert first["ok"] and again["ok"] and first["id"] == again["id"]
    assert stored_count() == 1
    assert len(received(reader, "message")) == 1


def test_replaying_someone_elses_client_id_is_refused_and_nobody_hears_of_it(
        connect, public_channel, member, other_member):
    author, listener = connect(member), connect()
    ask(listener, "watch", {"channel_id": public_channel.id})
    send(author, public_channel, raw="Моё", client_id="shared-id-1")
    received(listener, "message")
    replay = send(connect(other_member), public_channel, raw="Другое", client_id="shared-id-1")
    assert replay["error"] == "invalid"
    assert replay["message"] == "This message id was already used."
    assert "Моё" not in str(replay) and replay.get("id") is None
    assert received(listener, "message") == []
    assert stored_count() == 1


def test_reusing_ones_client_id_in_another_channel_is_refused(connect, public_channel,
                                                              category_channel, member):
    writer = connect(member)
    send(writer, public_channel, client_id="reused-id-1")
    ack = send(writer, category_channel, client_id="reused-id-1")
    assert ack["error"] == "invalid" and ack["message"] == "This message id was already used."


def test_watch_returns_the_latest_messages_and_catch_up_returns_what_was_missed(
        connect, public_channel, member):
    writer = connect(member)
    ids = [send(writer, public_channel, raw=f"№{i}", client_id=f"client-{i:04d}")["id"]
           for i in range(4)]
    reader = connect()
    watched = ask(reader, "watch", {"channel_id": public_channel.id, "after_id": ids[1]})
    assert [m["id"] for m in watched["messages"]] == ids[2:]
    caught = ask(reader, "catch_up", {"channel_id": public_channel.id, "after_id": 0})
    assert [m["id"] for m in caught["messages"]] == ids and caught["complete"] is True


def test_history_pages_backwards_by_id(connect, public_channel, moderator, app):
    app.config["CHAT_HISTORY_PAGE_SIZE"] = 2
    writer = connect(moderator)  # moderators are not held to slow mode, but to the rate limit
    ids = [send(writer, public_channel, raw=f"№{i}", client_id=f"client-{i:04d}")["id"]
           for i in range(4)]
    page = ask(writer, "history", {"channel_id": public_channel.id, "before_id": ids[3]})
    assert [m["id"] for m in page["messages"]] == ids[1:3] and page["has_more"] is True
    last = ask(writer, "history", {"channel_id": public_channel.id, "before_id": ids[1]})
    assert [m["id"] for m in last["messages"]] == ids[:1] and last["has_more"] is False


def test_read_moves_the_read_position(connect, public_channel, member, other_member):
    sent = send(connect(member), public_channel)
    reader = connect(other_member)
    ask(reader, "watch", {"channel_id": public_channel.id})
    ack = ask(reader, "read", {"channel_id": public_channel.id, "message_id": sent["id"]})
    assert ack == {"ok": True, "last_read_message_id": None}  # not a member: nothing to move
    joined = send(connect(other_member), public_channel, raw="Я тут", client_id="join-0001")
    assert joined["ok"], joined
    ack = ask(reader, "read", {"channel_id": public_channel.id, "message_id": sent["id"]})
    assert ack["ok"] and ack["last_read_message_id"] >= sent["id"]


# --- edits, deletes, reactions ----------------------------------------------------------------

def test_an_edit_is_broadcast(connect, public_channel, member, other_member):
    reader = connect(other_member)
    ask(reader, "watch", {"channel_id": public_channel.id})
    writer = connect(member)
    sent = send(writer, public_channel, raw="Ошибка")
    ack = ask(writer, "edit", {"message_id": sent["id"], "raw": "Исправлено"})
    assert ack["ok"] and "Исправлено" in ack["message"]["cooked"]
    updates = received(reader, "message_updated")
    assert updates[-1]["id"] == sent["id"] and "Исправлено" in updates[-1]["cooked"]


def test_a_moderator_deletes_and_restores_and_every_watcher_hears_it(connect, public_channel,
                                                                     member, moderator):
    reader = connect()
    ask(reader, "watch", {"channel_id": public_channel.id})
    sent = send(connect(member), public_channel, raw="Лишнее")
    staff = connect(moderator)
    deleted = ask(staff, "delete", {"message_id": sent["id"]})
    assert deleted["ok"] and deleted["message"]["deleted"] and deleted["message"]["cooked"] == ""
    assert ask(staff, "restore", {"message_id": sent["id"]})["message"]["deleted"] is False
    assert [u["deleted"] for u in received(reader, "message_updated")] == [True, False]


def test_someone_else_cannot_delete_a_message(connect, public_channel, member, other_member):
    sent = send(connect(member), public_channel)
    ack = ask(connect(other_member), "delete", {"message_id": sent["id"]})
    assert ack["error"] == "forbidden"
    assert stored_one().deleted_at is None


def test_a_reaction_is_added_then_taken_back(connect, public_channel, member, other_member):
    sent = send(connect(member), public_channel)
    reactor = connect(other_member)
    added = ask(reactor, "react", {"message_id": sent["id"], "emoji": "👍"})
    assert added["ok"] and added["added"] is True
    assert added["message"]["reactions"] == [{"emoji": "👍", "count": 1,
                                              "user_ids": [other_member.id]}]
    removed = ask(reactor, "react", {"message_id": sent["id"], "emoji": "👍"})
    assert removed["added"] is False and removed["message"]["reactions"] == []


# --- refusals ---------------------------------------------------------------------------------

def test_sending_to_a_closed_channel_is_forbidden_with_the_reason(connect, closed_channel,
                                                                  member):
    ack = send(connect(member), closed_channel)
    assert ack["error"] == "forbidden"
    assert ack["message"] == "This channel is closed: it can be read but not written to."


def test_a_member_silenced_in_the_channel_cannot_send(connect, public_channel, member, db):
    from datetime import timedelta

    from forum.models import ChatMembership, utcnow

    db.session.add(ChatMembership(channel_id=public_channel.id, user_id=member.id,
                                  silenced_until=utcnow() + timedelta(hours=1)))
    db.session.commit()
    ack = send(connect(member), public_channel)
    assert ack["error"] == "forbidden" and "silenced" in ack["message"]


def test_a_member_silenced_on_the_forum_cannot_send(connect, public_channel, silenced_member):
    ack = send(connect(silenced_member), public_channel)
    assert ack["error"] == "forbidden"
    assert stored_count() == 0


def test_the_rate_limit_answers_rate_limited_and_others_hear_nothing_of_it(
        connect, public_channel, member, other_member):
    member.trust_level = 0  # a new member: 5 messages per 10 seconds
    reader = connect(other_member)
    ask(reader, "watch", {"channel_id": public_channel.id})
    writer = connect(member)
    acks = [send(writer, public_channel, raw=f"№{i}", client_id=f"client-{i:04d}")
            for i in range(6)]
    assert all(a.get("ok") for a in acks[:5])
    assert acks[5]["error"] == "rate_limited" and "too fast" in acks[5]["message"]
    assert len(received(reader, "message")) == 5


def test_typing_is_broadcast_to_others_once_per_interval(connect, public_channel, member,
                                                         other_member):
    reader = connect(other_member)
    ask(reader, "watch", {"channel_id": public_channel.id})
    writer = connect(member)
    ask(writer, "watch", {"channel_id": public_channel.id})
    assert ask(writer, "typing", {"channel_id": public_channel.id}) == {"ok": True}
    assert ask(writer, "typing", {"channel_id": public_channel.id}) == {"ok": True}
    typing = received(reader, "typing")
    assert [t["user"]["id"] for t in typing] == [member.id]
    assert received(writer, "typing") == []


def test_presence_lists_the_signed_in_watchers_and_follows_them_out(connect, public_channel,
                                                                    member, other_member):
    first = connect(member)
    ask(first, "watch", {"channel_id": public_channel.id})
    second = connect(other_member)
    ack = ask(second, "watch", {"channel_id": public_channel.id})
    assert {u["id"] for u in ack["presence"]} == {member.id, other_member.id}
    assert {u["id"] for u in received(first, "presence")[-1]["users"]} == {member.id,
                                                                            other_member.id}
    second.disconnect(CHAT_NAMESPACE)
    assert [u["id"] for u in received(first, "presence")[-1]["users"]] == [member.id]


# --- malformed payloads -----------------------------------------------------------------------

MALFORMED = [
    ("watch", None),
    ("watch", "channel:1"),
    ("watch", {}),
    ("watch", {"channel_id": "1"}),
    ("watch", {"channel_id": True}),
    ("watch", {"channel_id": -3}),
    ("watch", {"channel_id": 2**70}),
    ("watch", {"channel_id": 1.5}),
    ("watch", {"channel_id": "CHANNEL", "after_id": "x"}),
    ("send", {"channel_id": "CHANNEL", "raw": "Без client_id"}),
    ("send", {"channel_id": "CHANNEL", "client_id": "ok-client-1"}),
    ("send", {"channel_id": "CHANNEL", "client_id": "ok-client-1", "raw": ["list"]}),
    ("send", {"channel_id": "CHANNEL", "client_id": "ok-client-1", "raw": "   "}),
    ("send", {"channel_id": "CHANNEL", "client_id": "ok-client-1", "raw": "я" * 4001}),
    ("send", {"channel_id": "CHANNEL", "client_id": "ok-client-1", "raw": "я" * 300_000}),
    ("send", {"channel_id": "CHANNEL", "client_id": "<script>", "raw": "Привет"}),
    ("send", {"channel_id": "CHANNEL", "client_id": "x" * 100_000, "raw": "Привет"}),
    ("send", {"channel_id": "CHANNEL", "client_id": 12345678, "raw": "Привет"}),
    ("send", {"channel_id": "CHANNEL", "client_id": "ok-client-1", "raw": "Hi",
              "reply_to_id": 99999}),
    ("edit", {"message_id": "1", "raw": "Новый"}),
    ("edit", {"raw": "Новый"}),
    ("delete", {"message_id": None}),
    ("restore", {"message_id": {"id": 1}}),
    ("react", {"message_id": 99999, "emoji": "👍"}),
    ("history", {"channel_id": "CHANNEL"}),
    ("history", {"channel_id": "CHANNEL", "before_id": 0}),
    ("catch_up", {"channel_id": "CHANNEL"}),
    ("catch_up", {"channel_id": "CHANNEL", "after_id": -1}),
    ("read", {"channel_id": "CHANNEL", "message_id": "last"}),
    ("typing", {"channel_id": [1]}),
    ("unwatch", {"channel_id": None}),
    ("no_such_event", {"channel_id": "CHANNEL"}),
]


@pytest.mark.parametrize(("event", "payload"), MALFORMED,
                         ids=[f"{e}-{i}" for i, (e, _) in enumerate(MALFORMED)])
def test_a_malformed_payload_gets_an_error_ack_and_nobody_hears_of_it(
        connect, public_channel, member, other_member, event, payload):
    reader = connect(other_member)
    ask(reader, "watch", {"channel_id": public_channel.id})
    reader.get_received(CHAT_NAMESPACE)
    if isinstance(payload, dict):
        payload = {k: public_channel.id if v == "CHANNEL" else v for k, v in payload.items()}
    ack = ask(connect(member), event, payload)
    assert ack["error"] in ("invalid", "not_found")
    assert isinstance(ack["message"], str) and ack["message"]
    assert reader.get_received(CHAT_NAMESPACE) == []
    assert stored_count() == 0


def test_a_payload_in_several_arguments_gets_an_error_ack(connect, public_channel, member):
    ack = ask(connect(member), "watch", {"channel_id": public_channel.id}, "extra")
    assert ack["error"] == "invalid"
