"""The index follows every change (domain events), in the change's own transaction, and a full
reindex gives exactly what the live updates gave."""

from sqlalchemy import select

from forum.chat import messages as chat_messages
from forum.extensions import db
from forum.models import SearchDocument
from forum.moderation import post_moves
from forum.search import upsert_document
from forum.topics import services as topics
from tests.search.conftest import found


def _first(topic):
    return topics.post_by_number(topic, 1)


def test_an_edit_replaces_the_words(corpus, other_member, member):
    topics.edit_post(corpus.fractions_reply, editor=other_member, raw="Показываю на яблоках.")
    db.session.commit()
    assert found(member, "пицце") == set()
    assert found(member, "яблоками") == {("post", corpus.fractions_reply.id)}


def test_a_new_title_is_searchable(corpus, member):
    first = _first(corpus.fractions)
    topics.edit_post(first, editor=member, raw=first.raw, title="Обыкновенные дроби на пальцах")
    db.session.commit()
    assert found(member, "пальцах in:title") == {("post", first.id)}
    assert found(member, "объяснять") == set()


def test_a_restored_post_comes_back(corpus, moderator, member):
    topics.delete_post(corpus.fractions_reply, actor=moderator)
    db.session.commit()
    topics.restore_post(corpus.fractions_reply, actor=moderator)
    db.session.commit()
    assert found(member, "пицце") == {("post", corpus.fractions_reply.id)}


def test_a_restored_topic_comes_back(corpus, moderator, member):
    topics.delete_topic(corpus.fractions, actor=moderator)
    db.session.commit()
    topics.restore_topic(corpus.fractions, actor=moderator)
    db.session.commit()
    assert found(member, "объяснять") == {("post", _first(corpus.fractions).id)}
    assert found(member, "пицце") == {("post", corpus.fractions_reply.id)}


def test_a_post_split_into_a_new_topic_carries_its_new_title(corpus, moderator, member,
                                                             category):
    new = post_moves.move_posts(corpus.fractions, actor=moderator,
                                post_ids=[corpus.fractions_reply.id],
                                title="Дроби на пицце: опыт", category=category)
    db.session.commit()
    assert found(member, "опыт in:title") == {("post", corpus.fractions_reply.id)}
    assert new.id == corpus.fractions_reply.topic_id


def test_a_merged_first_post_loses_its_old_title(corpus, moderator, member):
    first = _first(corpus.fractions)
    post_moves.merge_topic(corpus.fractions, actor=moderator, destination=corpus.geometry)
    db.session.commit()
    assert found(member, "объяснять in:title") == set()
    assert found(member, "путают") == {("post", first.id)}


def test_chat_edit_delete_and_restore(corpus, moderator, member):
    message = corpus.public_message
    chat_messages.edit_message(message, editor=moderator, raw="Кто придёт на вебинар?")
    db.session.commit()
    assert found(member, "семинар") == set()
    assert found(member, "вебинар") == {("chat", message.id)}
    chat_messages.delete_message(message, actor=moderator)
    db.session.commit()
    assert found(member, "вебинар") == set()
    chat_messages.restore_message(message, actor=moderator)
    db.session.commit()
    assert found(member, "вебинар") == {("chat", message.id)}


def test_the_index_rolls_back_with_the_change(corpus, other_member, member):
    topics.edit_post(corpus.fractions_reply, editor=other_member, raw="Показываю на яблоках.")
    db.session.rollback()
    assert found(member, "яблоками") == set()
    assert found(member, "пицце") == {("post", corpus.fractions_reply.id)}


def _snapshot():
    return sorted(db.session.execute(select(
        SearchDocument.kind, SearchDocument.ref_id, SearchDocument.title, SearchDocument.body,
        SearchDocument.user_id, SearchDocument.created_at)).all())


QUERIES = ["дроби", "пицце", "fractions", "семинар", "треугольники in:title", "@boris",
           '"путают дроби"']


def test_a_full_reindex_equals_the_live_index(app, corpus, moderator, member):
    topics.delete_post(corpus.fractions_reply, actor=moderator)
    chat_messages.delete_message(corpus.public_message, actor=moderator)
    chat_messages.edit_message(corpus.private_message, editor=moderator, raw="Новый текст.")
    db.session.commit()
    before = _snapshot()
    results = {q: found(member, q) for q in QUERIES}
    result = app.test_cli_runner().invoke(args=["forum", "search", "reindex",
                                                "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "post: " in result.output and "chat: " in result.output
    assert _snapshot() == before
    assert {q: found(member, q) for q in QUERIES} == results


def test_a_reindex_rebuilds_a_lost_index_and_drops_stale_documents(app, corpus, member):
    db.session.execute(SearchDocument.__table__.delete().where(SearchDocument.kind == "post"))
    from forum.search.index import remove_kind

    remove_kind("post")
    upsert_document("chat", 999_999, body="Осиротевший документ про дроби")
    db.session.commit()
    assert found(member, "объяснять") == set()
    result = app.test_cli_runner().invoke(args=["forum", "search", "reindex"])
    assert result.exit_code == 0, result.output
    assert found(member, "объяснять") == {("post", _first(corpus.fractions).id)}
    assert db.session.scalar(select(SearchDocument).where(
        SearchDocument.ref_id == 999_999)) is None


def test_reindex_refuses_an_unknown_kind(app, corpus):
    result = app.test_cli_runner().invoke(args=["forum", "search", "reindex", "--kind", "nope"])
    assert result.exit_code != 0 and "unknown kind" in result.output
