"""Upload references in posts: cooking, PostUpload kept in step, who may reference what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum import domain_events
from forum.extensions import db
from forum.models import Post, PostUpload
from forum.topics import services as topics
from tests import factories
from tests.uploads import samples


def links(post) -> set[int]:
    return set(db.session.scalars(select(PostUpload.upload_id).where(
        PostUpload.post_id == post.id)))


def card(upload) -> str:
    return f"[{upload.original_filename}|attachment](upload://{upload.short_key}.pdf)"


def test_a_file_reference_cooks_into_a_download_card(db, member, category, make_upload):
    upload = make_upload(member, name="План урока.pdf")
    topic = topics.create_topic(category, author=member, title="Материалы к уроку",
                                raw=f"Смотрите файл:\n\n{card(upload)}")
    post = db.session.scalar(select(Post).where(Post.topic_id == topic.id))
    assert (f'<a class="attachment" href="/uploads/{upload.short_key}.pdf?dl=1" '
            f'rel="nofollow ugc noopener">План урока.pdf</a>') in post.cooked
    assert '<span class="attachment-meta">PDF, ' in post.cooked
    assert links(post) == {upload.id}


def test_an_image_reference_cooks_into_a_thumbnail_linking_to_the_full_image(
        db, member, topic, make_upload):
    upload = make_upload(member, samples.jpeg_with_exif(1380, 920), "photo.jpg")
    post = topics.reply(topic, author=member,
                        raw=f"![Доска|1380x920](upload://{upload.short_key}.jpg)")
    assert (f'<a class="lightbox" href="/uploads/{upload.short_key}.jpg" title="Доска" '
            f'rel="nofollow ugc noopener"><img alt="Доска" height="460" '
            f'src="/uploads/thumbnails/{upload.short_key}.jpg" width="690"') in post.cooked


def test_another_members_private_upload_stays_plain_text(db, member, other_member, topic,
                                                         make_upload):
    theirs = make_upload(other_member, name="secret.pdf")
    post = topics.reply(topic, author=member, raw=f"Вот: {card(theirs)}")
    assert "/uploads/" not in post.cooked
    assert f"upload://{theirs.short_key}.pdf" in post.cooked
    assert links(post) == set()


def test_unknown_keys_stay_plain_text(db, member, topic):
    post = topics.reply(topic, author=member, raw="[x|attachment](upload://NoSuchKey123.pdf)")
    assert "upload://NoSuchKey123.pdf" in post.cooked and "<a" not in post.cooked


def test_an_upload_already_shown_in_a_readable_post_may_be_referenced_again(
        db, member, other_member, topic, make_upload):
    upload = make_upload(other_member)
    topics.reply(topic, author=other_member, raw=card(upload))
    post = topics.reply(topic, author=member, raw="Как в файле выше: " + card(upload))
    assert "attachment-card" in post.cooked
    assert links(post) == {upload.id}


def test_references_in_code_are_not_attachments(db, member, topic, make_upload):
    upload = make_upload(member)
    post = topics.reply(topic, author=member, raw=f"`{card(upload)}`")
    assert "attachment-card" not in post.cooked
    assert links(post) == set()


def test_duplicate_names_in_one_post_are_told_apart(db, member, topic, make_upload):
    first = make_upload(member, name="plan.pdf")
    second = make_upload(member, samples.pdf("other"), name="plan.pdf")
    post = topics.reply(topic, author=member, raw=f"{card(first)}\n\n{card(second)}")
    assert ">plan.pdf</a>" in post.cooked and ">plan (2).pdf</a>" in post.cooked
    assert links(post) == {first.id, second.id}


def test_names_with_brackets_and_markup_are_escaped(db, member, topic, make_upload):
    from forum.uploads.references import markdown_for

    upload = make_upload(member, name='<img src=x onerror=alert(1)> [1].pdf')
    post = topics.reply(topic, author=member, raw=markdown_for(upload))
    assert "&lt;img src=x onerror=alert(1)&gt; [1].pdf</a>" in post.cooked
    assert "<img" not in post.cooked


def test_editing_keeps_post_uploads_in_step_and_sends_the_events(db, member, topic,
                                                                  make_upload):
    first, second = make_upload(member), make_upload(member, samples.pdf("2"), "b.pdf")
    post = topics.reply(topic, author=member, raw=card(first))
    attached, detached = [], []
    with domain_events.upload_attached.connected_to(lambda link: attached.append(
            link.upload_id)), domain_events.upload_detached.connected_to(
            lambda link: detached.append(link.upload_id)):
        topics.edit_post(post, editor=member, raw=card(second))
    assert links(post) == {second.id}
    assert attached == [second.id] and detached == [first.id]


def test_a_moderators_edit_keeps_the_authors_attachments(db, member, moderator, topic,
                                                         make_upload):
    upload = make_upload(member)
    post = topics.reply(topic, author=member, raw=card(upload))
    topics.edit_post(post, editor=moderator, raw=card(upload) + "\n\nПравка модератора.")
    assert links(post) == {upload.id}
    assert "attachment-card" in post.cooked


def test_a_deleted_post_keeps_its_links(db, member, topic, make_upload):
    upload = make_upload(member)
    post = topics.reply(topic, author=member, raw=card(upload))
    topics.delete_post(post, actor=member)
    assert links(post) == {upload.id}


def test_the_preview_shows_the_members_own_uploads(login, member, client, make_upload):
    upload = make_upload(member)
    login(member)
    response = client.post("/preview", json={"raw": card(upload)})
    assert "attachment-card" in response.json["cooked"]


@pytest.mark.parametrize("raw", ["![a|1x1](upload://)", "[a|attachment](upload://../../x)",
                                 "[a](upload://" + "A" * 60 + ".pdf)"])
def test_malformed_references_are_harmless(db, member, topic, raw):
    post = topics.reply(topic, author=member, raw=raw)
    assert "/uploads/" not in post.cooked


def test_a_post_that_fails_to_save_leaves_no_links(db, member, topic, make_upload):
    from forum.errors import DomainError

    upload = make_upload(member)
    with pytest.raises(DomainError):
        topics.reply(topic, author=member, raw=card(upload) + "x" * 40_000)
    db.session.rollback()
    assert db.session.scalars(select(PostUpload)).all() == []
    assert factories  # the builders stay importable for other tests


def test_hostile_file_names_never_become_markup():
    """Every naughty string as a file name, through the composer's Markdown and the cooker."""
    import json
    import re
    from pathlib import Path

    from forum import markup

    names = json.loads((Path(__file__).parent.parent / "data" / "blns" / "blns.json")
                       .read_text("utf-8"))
    for name in names:
        reference = markup.UploadReference(name=name, url="/uploads/Key1.pdf", is_image=False,
                                           extension="pdf", size_label="1 KB")
        raw = f"[{markup.escape_upload_name(name)}|attachment](upload://Key1.pdf)"
        cooked = str(markup.cook(raw, uploads=lambda key, r=reference: r))
        tags = re.findall(r"<([a-z]+)", cooked)
        assert set(tags) <= {"p", "span", "a", "br"}, (name, cooked)
        assert not re.search(r"<[^>]*\son\w+=", cooked), (name, cooked)
