"""Chat message services: sending (idempotent by client id), limits, edits, deletes, reactions."""

from __future__ import annotations

import pytest

from forum.chat import messages
from forum.errors import DomainError
from tests.factories import make_user, silence


def test_sending_stores_the_message_and_moves_the_channel_forward(public_channel, member):
    message, created = messages.send_message(public_channel, author=member,
                                             raw="Привет, **коллеги**")
    assert created
    assert "<strong>коллеги</strong>" in message.cooked
    assert public_channel.last_message_id == message.id
    assert public_channel.messages_count == 1


def test_a_resend_with_the_same_client_id_returns_the_stored_message(public_channel, member):
    first, created = messages.send_message(public_channel, author=member, raw="Раз",
                                           client_id="abcdef12-3456")
    again, created_again = messages.send_message(public_channel, author=member, raw="Раз",
                                                 client_id="abcdef12-3456")
    assert created and not created_again
    assert again.id == first.id
    assert public_channel.messages_count == 1


def test_another_authors_client_id_is_refused(public_channel, member, other_member):
    messages.send_message(public_channel, author=member, raw="Раз", client_id="same-id-123")
    with pytest.raises(DomainError) as refused:
        messages.send_message(public_channel, author=other_member, raw="Два",
                              client_id="same-id-123")
    assert refused.value.field == "client_id"
    assert public_channel.messages_count == 1


@pytest.mark.parametrize("raw", ["", "   ", None, 42, "я" * 4001])
def test_empty_wrong_or_overlong_messages_are_refused(public_channel, member, raw):
    with pytest.raises(DomainError):
        messages.send_message(public_channel, author=member, raw=raw)


def test_sending_to_a_closed_channel_is_refused_with_a_reason(closed_channel, member):
    with pytest.raises(DomainError) as refused:
        messages.send_message(closed_channel, author=member, raw="Можно?")
    assert refused.value.status_code == 403
    assert "закрыт" in refused.value.message


def test_a_silenced_member_cannot_send(public_channel, member):
    silence(member)
    with pytest.raises(DomainError) as refused:
        messages.send_message(public_channel, author=member, raw="Можно?")
    assert refused.value.status_code == 403


def test_a_private_category_channel_is_invisible_to_a_student(private_category_channel, student):
    with pytest.raises(DomainError) as refused:
        messages.send_message(private_category_channel, author=student, raw="Привет")
    assert refused.value.status_code == 404


def test_the_rate_limit_answers_429(public_channel, db):
    newcomer = make_user(trust_level=0)  # new members have the tighter chat rate limit
    for i in range(5):
        messages.send_message(public_channel, author=newcomer, raw=f"Сообщение {i}")
    with pytest.raises(DomainError) as refused:
        messages.send_message(public_channel, author=newcomer, raw="Ещё одно")
    assert refused.value.status_code == 429


def test_the_author_edits_and_the_old_text_is_kept(public_channel, member):
    message, _ = messages.send_message(public_channel, author=member, raw="Ошибка")
    messages.edit_message(message, editor=member, raw="Исправлено")
    assert message.raw == "Исправлено" and message.edited_at is not None


def test_a_deleted_message_broadcasts_no_text(public_channel, member, moderator):
    from forum.chat.serializers import message_data

    message, _ = messages.send_message(public_channel, author=member, raw="Секрет")
    messages.delete_message(message, actor=moderator)
    data = message_data(message)
    assert data["deleted"] and data["cooked"] == ""


def test_a_reaction_toggles(public_channel, member, other_member):
    message, _ = messages.send_message(public_channel, author=member, raw="Отлично")
    assert messages.toggle_reaction(message, user=other_member, emoji="👍") is True
    assert messages.toggle_reaction(message, user=other_member, emoji="👍") is False
    assert message.reactions == []


UPLOAD_MARKDOWN = ("Смотрите [План урока.pdf|attachment](upload://Ab12Cd34Ef56Gh78Ij90Kl.pdf) "
                   "и ![доска \\[1\\].png|40x30](upload://Zz12Cd34Ef56Gh78Ij90Kl.png)")


def test_an_upload_reference_shows_as_its_file_name_not_its_markdown(public_channel, member):
    from forum.markup import plain_text_excerpt

    message, _ = messages.send_message(public_channel, author=member, raw=UPLOAD_MARKDOWN)
    assert "upload://" not in message.cooked and "|attachment" not in message.cooked
    assert plain_text_excerpt(message.cooked) == "Смотрите 📎 План урока.pdf и 📎 доска [1].png"
    assert message.raw == UPLOAD_MARKDOWN  # the author's text is kept as written


def test_an_edited_message_shows_upload_references_as_names_too(public_channel, member):
    message, _ = messages.send_message(public_channel, author=member, raw="Черновик")
    messages.edit_message(message, editor=member, raw=UPLOAD_MARKDOWN)
    assert "upload://" not in message.cooked and "📎 План урока.pdf" in message.cooked


def test_an_upload_reference_in_code_stays_as_written(public_channel, member):
    raw = "Пример: `[a.pdf|attachment](upload://Ab12Cd34Ef56Gh78Ij90Kl.pdf)`"
    message, _ = messages.send_message(public_channel, author=member, raw=raw)
    assert "<code>[a.pdf|attachment](upload://Ab12Cd34Ef56Gh78Ij90Kl.pdf)</code>" in message.cooked
