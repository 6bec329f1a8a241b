"""The query language, as plain parsing (no database)."""

from datetime import date

import pytest

from forum.search.query_parser import MAX_QUERY_LENGTH, parse


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context():
        yield


def test_words_and_a_quoted_phrase_are_separated():
    query = parse('дроби "пятый класс" пицца')
    assert query.words == ["дроби", "пицца"]
    assert query.phrases == ["пятый класс"]


def test_an_unbalanced_quote_takes_the_rest_as_a_phrase():
    assert parse('дроби "пятый класс').phrases == ["пятый класс"]


@pytest.mark.parametrize(("text", "attribute", "expected"), [
    ("дроби @Anna", "username", "Anna"),
    ("дроби category:Matematika", "category_slug", "matematika"),
    ("дроби #matematika", "category_slug", "matematika"),
    ("дроби status:closed", "status", "closed"),
    ("дроби before:2024-09-01", "before", date(2024, 9, 1)),
    ("дроби after:2024-09-01", "after", date(2024, 9, 1)),
    ("дроби order:latest", "order", "latest"),
    ("дроби in:chat", "kind", "chat"),
    ("дроби in:library", "kind", "resource"),
    ("дроби in:title", "in_title", True),
])
def test_each_filter_is_read(text, attribute, expected):
    query = parse(text)
    assert getattr(query, attribute) == expected
    assert query.words == ["дроби"] and not query.notes and query.error is None


@pytest.mark.parametrize("text", ["дроби status:frozen", "дроби before:2024-13-45",
                                  "дроби in:attic", "дроби colour:red", "дроби order:oldest",
                                  "дроби tags:algebra"])
def test_a_filter_that_cannot_be_used_is_ignored_with_a_note(text):
    query = parse(text)
    assert query.error is None and query.words == ["дроби"]
    assert len(query.notes) == 1


@pytest.mark.parametrize("text", ["", "   ", "x" * (MAX_QUERY_LENGTH + 1)])
def test_empty_or_huge_queries_are_errors(text):
    assert parse(text).error


def test_operators_alone_with_nothing_to_find_are_an_error():
    assert parse("status:frozen").error


def test_a_filter_alone_is_a_search():
    query = parse("@anna")
    assert query.error is None and query.has_filters and not query.has_terms
