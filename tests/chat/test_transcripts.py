"""Transcript downloads: content (authors, times in the reader's zone, placeholders), headers
(attachment, RFC 5987 name), and readers only."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from forum.chat import messages, transcripts
from forum.extensions import db


@pytest.fixture
def history(category_channel, member, other_member, moderator):
    first, _ = messages.send_message(category_channel, author=member, raw="Начнём **урок**")
    first.created_at = datetime(2026, 11, 30, 9, 5, tzinfo=UTC)
    gone, _ = messages.send_message(category_channel, author=other_member, raw="Секретная грубость")
    messages.delete_message(gone, actor=moderator)
    reply, _ = messages.send_message(category_channel, author=other_member,
                                     raw="<script>x</script>", reply_to_id=first.id)
    db.session.commit()
    return first, gone, reply


def test_markdown_lists_each_message_with_author_and_time_in_the_readers_zone(
        client, history, category_channel):
    response = client.get(f"/chat/c/{category_channel.id}/transcript.md")
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and response.mimetype == "text/markdown"
    assert "# Математика — чат" in text
    assert "**Анна Петровна (@anna)** · 30.11.2026 12:05" in text  # Moscow is UTC+3
    assert "Начнём **урок**" in text


def test_a_deleted_message_is_a_placeholder_for_everyone(client, login, history, moderator,
                                                         category_channel):
    login(moderator)
    for kind in ("md", "html"):
        text = client.get(f"/chat/c/{category_channel.id}/transcript.{kind}").get_data(True)
        assert "Секретная грубость" not in text
        assert "[сообщение удалено]" in text or "[message deleted]" in text


def test_html_is_sanitised_and_standalone(client, history, category_channel):
    response = client.get(f"/chat/c/{category_channel.id}/transcript.html")
    text = response.get_data(as_text=True)
    assert response.mimetype == "text/html" and text.startswith("<!doctype html>")
    assert "<script>x" not in text and "<strong>урок</strong>" in text


def test_downloads_are_attachments_with_a_cyrillic_name(client, history, category_channel):
    header = client.get(f"/chat/c/{category_channel.id}/transcript.md").headers[
        "Content-Disposition"]
    assert header.startswith("attachment; filename=\"")
    assert f"filename*=UTF-8''{quote('Математика — чат')}" in header
    assert header.split('"')[1].isascii()


def test_a_channel_one_cannot_read_answers_404(client, login, private_category_channel,
                                                student):
    login(student)
    assert client.get(f"/chat/c/{private_category_channel.id}/transcript.md").status_code == 404
    assert client.get(f"/chat/c/{private_category_channel.id}/transcript.html").status_code == 404


def test_a_guest_downloads_a_public_seminar(client, live_seminar, member):
    messages.send_message(live_seminar, author=member, raw="Добро пожаловать")
    db.session.commit()
    response = client.get(f"/chat/c/{live_seminar.id}/transcript.md")
    assert response.status_code == 200 and "Добро пожаловать" in response.get_data(True)


def test_a_missing_channel_answers_404(client, db):
    assert client.get("/chat/c/999/transcript.md").status_code == 404


def test_the_service_refuses_a_non_reader(private_category_channel, student):
    from forum.errors import DomainError

    with pytest.raises(DomainError) as refused:
        transcripts.channel_transcript(private_category_channel, viewer=student)
    assert refused.value.status_code == 404


def test_markdown_escapes_names_that_look_like_markup(history, category_channel, member, app):
    member.name = "# **Жирная** [ссылка](x)"
    with app.test_request_context():
        text = transcripts.as_markdown(transcripts.channel_transcript(category_channel,
                                                                      viewer=member))
    assert "\\# \\*\\*Жирная\\*\\* \\[ссылка\\](x)" in text


def test_a_seminar_transcript_names_its_host_and_time(client, live_seminar, member):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    for kind in ("md", "html"):
        text = client.get(f"/chat/c/{live_seminar.id}/transcript.{kind}").get_data(True)
        assert "Host: Анна Петровна" in text and "Seminar: " in text


def test_upload_references_show_as_file_names_in_the_transcript(client, category_channel,
                                                               member):
    messages.send_message(category_channel, author=member,
                          raw="Файл: [План.pdf|attachment](upload://Ab12Cd34Ef56Gh78Ij90Kl.pdf)")
    db.session.commit()
    for kind in ("md", "html"):
        text = client.get(f"/chat/c/{category_channel.id}/transcript.{kind}").get_data(
            as_text=True)
        assert "План.pdf" in text and "upload://" not in text, kind
