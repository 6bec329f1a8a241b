"""Materials shared and expert reviews given: on the honour board and in the users directory,
per period and subject, counting only materials the viewer may see."""

from __future__ import annotations

from datetime import timedelta

from forum.extensions import db
from forum.honour.board import library_leaders
from forum.honour.directory import directory_page
from forum.library import reviews
from forum.models import utcnow
from tests import factories
from tests.library.builders import first_post, make_resource

GOOD = {"relevance": 5, "methodology": 4, "clarity": 4, "completeness": 5}


def _material(category, author, title="План урока"):
    topic = factories.make_topic(category=category, author=author, title=f"Тема: {title}")
    return make_resource(first_post(topic))


def names(leaders):
    return [(leader.user.username, leader.value) for leader in leaders]


def test_the_board_ranks_members_by_materials_shared_in_the_period(member, other_member,
                                                                    category):
    for title in ("Урок 1", "Урок 2"):
        _material(category, member, title)
    old = _material(category, other_member, "Старый урок")
    old.created_at = utcnow() - timedelta(days=400)
    _material(category, other_member, "Новый урок")
    db.session.commit()
    assert names(library_leaders(None, "materials", period="yearly")) == [
        (member.username, 2), (other_member.username, 1)]
    assert names(library_leaders(None, "materials", period="all")) == [
        (member.username, 2), (other_member.username, 2)]


def test_materials_in_a_private_category_count_only_for_its_readers(member, student, admin,
                                                                   private_category):
    _material(private_category, member, "Секретный план")
    db.session.commit()
    assert library_leaders(student, "materials", period="all") == []
    assert names(library_leaders(admin, "materials", period="all")) == [(member.username, 1)]


def test_the_board_ranks_experts_by_reviews_given_and_filters_by_subject(
        member, other_member, category, expert):
    other_subject = factories.make_category("Физика", slug="fizika")
    resource = _material(category, member)
    _material(other_subject, other_member, "Опыт")
    reviews.save_review(resource, reviewer=expert, scores=GOOD, comment="Полезно")
    db.session.commit()
    assert names(library_leaders(None, "reviews", period="weekly")) == [(expert.username, 1)]
    assert library_leaders(None, "reviews", period="weekly",
                           category_ids=[other_subject.id]) == []
    assert names(library_leaders(None, "materials", period="weekly",
                                 category_ids=[other_subject.id])) == [(other_member.username, 1)]


def test_the_directory_sorts_by_materials_and_reviews(member, other_member, category, expert):
    resource = _material(category, member)
    reviews.save_review(resource, reviewer=expert, scores=GOOD, comment="")
    db.session.commit()
    by_materials = directory_page(None, period="all", order="materials")
    assert by_materials.items[0].user.username == member.username
    assert by_materials.items[0].figures["materials"] == 1
    by_reviews = directory_page(None, period="all", order="reviews")
    assert by_reviews.items[0].user.username == expert.username
    assert by_reviews.items[0].figures["reviews"] == 1


def test_the_board_page_shows_the_library_columns(client, member, category):
    _material(category, member)
    db.session.commit()
    page = client.get("/honour?period=all", headers={"Accept-Language": "en"}).get_data(
        as_text=True)
    assert "By materials shared" in page and "By expert reviews given" in page
    assert "1 material" in page
