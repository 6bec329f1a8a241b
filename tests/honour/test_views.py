"""The honour pages over HTTP: the board, the directory and the portfolio, with their filters,
visibility rules and bad input."""

from __future__ import annotations

import re

import pytest

from forum.models import utcnow
from tests import factories
from tests.honour.builders import (
    days_ago,
    established,
    first_post,
    grant,
    ledger,
    like,
    say,
    seminar,
    visits,
)


@pytest.fixture
def anna_liked(db, member, other_member, category):
    """anna's topic with a reply; boris (established) liked the topic, 10 points each."""
    topic = factories.make_topic(category=category, author=member, title="Дроби в 5 классе",
                                 replies=1)
    established(other_member)
    like(first_post(topic), other_member, points=10)
    db.session.commit()
    return topic


# --- honour board -----------------------------------------------------------------------------

def test_honour_board_lists_leaders_by_reputation_and_by_likes(client, anna_liked):
    page = client.get("/honour?period=weekly").get_data(as_text=True)
    assert "Доска почёта" in page
    assert page.count("Анна Петровна") == 2
    assert "10 баллов" in page and "1 благодарность" in page


def test_honour_board_speaks_english_to_english_readers(client, anna_liked):
    page = client.get("/honour", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Honour board" in page
    assert "10 points" in page and "1 like" in page


def test_honour_board_marks_the_chosen_period(client, anna_liked):
    page = client.get("/honour?period=yearly").get_data(as_text=True)
    assert '?period=yearly" aria-current="page"' in page


def test_an_unknown_period_falls_back_to_the_month(client, anna_liked):
    response = client.get("/honour?period=forever")
    assert response.status_code == 200
    assert '?period=monthly" aria-current="page"' in response.get_data(as_text=True)


def test_category_board_for_a_category_the_viewer_cannot_see_is_not_found(
        client, private_category):
    assert client.get(f"/honour?category={private_category.id}").status_code == 404


@pytest.mark.parametrize("value", ["abc", "99999999999999999999999", "-1"])
def test_category_board_with_a_malformed_category_is_not_found(client, db, value):
    assert client.get(f"/honour?category={value}").status_code == 404


def test_category_selector_offers_only_visible_categories(client, category, private_category):
    page = client.get("/honour").get_data(as_text=True)
    assert "Математика" in page and "Учительская" not in page


def test_category_board_shows_only_that_category(client, db, anna_liked, other_member):
    physics = factories.make_category("Физика")
    ledger(other_member, 50, category_id=physics.id)
    db.session.commit()
    page = client.get(f"/honour?category={anna_liked.category_id}").get_data(as_text=True)
    assert "Анна Петровна" in page and "boris" not in page


# --- directory --------------------------------------------------------------------------------

def test_directory_sorts_by_the_chosen_figure(client, db, anna_liked, other_member):
    factories.make_topic(author=other_member)
    factories.make_topic(author=other_member)
    db.session.commit()
    by_topics = client.get("/u?order=topic_count&period=all").get_data(as_text=True)
    assert by_topics.index("boris") < by_topics.index("Анна Петровна")
    by_likes = client.get("/u?order=likes_received&period=all").get_data(as_text=True)
    assert by_likes.index("Анна Петровна") < by_likes.index("boris")
    assert 'aria-sort="descending"' in by_likes


def test_directory_sorts_ascending_on_request(client, db, anna_liked, other_member):
    page = client.get("/u?order=likes_received&period=all&asc=true").get_data(as_text=True)
    assert page.index("boris") < page.index("Анна Петровна")
    assert 'aria-sort="ascending"' in page


def test_directory_paginates(client, db, monkeypatch):
    from forum.honour import directory

    monkeypatch.setattr(directory, "PER_PAGE", 2)
    for n in range(5):
        factories.make_user(f"teacher{n}")
    db.session.commit()
    first = client.get("/u?order=post_count&period=all").get_data(as_text=True)
    third = client.get("/u?order=post_count&period=all&page=3").get_data(as_text=True)
    assert "teacher0" in first and "teacher1" in first and "teacher2" not in first
    assert "teacher4" in third and 'rel="next"' not in third


@pytest.mark.parametrize("query", ["order=drop table", "period=eternity", "page=-4",
                                   "page=abc", "page=99999999999999"])
def test_directory_survives_bad_query_strings(client, db, member, query):
    response = client.get("/u?" + query)
    assert response.status_code == 200
    assert "Анна Петровна" in response.get_data(as_text=True) or "page=" in query


def test_directory_counts_only_what_the_viewer_may_see(client, db, member, private_category):
    factories.make_topic(category=private_category, author=member)
    db.session.commit()
    page = client.get("/u?order=topic_count&period=all").get_data(as_text=True)
    row = page[page.index("Анна Петровна"):]
    assert '<td data-label="Темы">0</td>' in row


# --- portfolio --------------------------------------------------------------------------------

def test_portfolio_shows_summary_badges_best_posts_and_seminars(client, db, anna_liked, member):
    visits(member, 4)
    grant(member, "methodist-of-the-year", reason="")  # declared by no engine: its slug shows
    room = seminar("Формирующее оценивание", host=member)
    say(room, member)
    db.session.commit()
    page = client.get("/u/anna/portfolio").get_data(as_text=True)
    assert "Электронное портфолио" in page
    assert "Дроби в 5 классе" in page
    assert "Methodist of the year" in page
    assert "Формирующее оценивание" in page
    assert '<dt>Дней на форуме</dt><dd>4</dd>' in page
    assert '<dt>Получено благодарностей</dt><dd>1</dd>' in page
    assert 'class="portfolio-reputation">10<' in page
    # One kind of entry, one like, ten points: in our partial or the reputation helper's.
    assert re.search(r'data-kind="like_received"><th scope="row">Получено благодарностей</th>'
                     r'<td[^>]*>1</td><td[^>]*>\+?10</td>', page)
    assert "css/print.css" in page


def test_portfolio_of_an_unknown_member_is_not_found(client, db):
    assert client.get("/u/nobody/portfolio").status_code == 404


def test_portfolio_of_a_deleted_member_is_not_found_for_members(client, db, member, login,
                                                                other_member):
    member.deleted_at = utcnow()
    db.session.commit()
    login(other_member)
    assert client.get("/u/anna/portfolio").status_code == 404


def test_portfolio_hides_private_posts_and_likes_but_counts_the_whole_score(
        client, db, member, other_member, private_category, student, login):
    topic = factories.make_topic(category=private_category, author=member, title="Секретная тема")
    established(other_member)
    like(first_post(topic), other_member, points=10)
    db.session.commit()
    login(student)
    page = client.get("/u/anna/portfolio").get_data(as_text=True)
    assert "Секретная тема" not in page
    assert 'class="portfolio-reputation">10<' in page
    assert '<dt>Получено благодарностей</dt><dd>0</dd>' in page


def test_seminars_count_only_rooms_where_the_member_wrote_a_live_message(client, db, member):
    spoken = seminar("Проектная деятельность")
    silent = seminar("Цифровые инструменты")
    retracted = seminar("Функциональная грамотность")
    say(spoken, member)
    say(retracted, member, deleted=True)
    db.session.commit()
    page = client.get("/u/anna/portfolio").get_data(as_text=True)
    assert "Проектная деятельность" in page
    assert silent.name not in page and retracted.name not in page


def test_disabled_badges_are_not_shown(client, db, member):
    grant(member, "retired-badge", enabled=False)
    db.session.commit()
    assert "Retired badge" not in client.get("/u/anna/portfolio").get_data(as_text=True)


def test_profile_links_to_the_portfolio(client, member):
    assert "/u/anna/portfolio" in client.get("/u/anna").get_data(as_text=True)


def test_old_ledger_entries_count_towards_the_portfolio_total(client, db, member):
    ledger(member, 3, at=days_ago(900))
    db.session.commit()
    assert 'class="portfolio-reputation">3<' in client.get("/u/anna/portfolio").get_data(
        as_text=True)
