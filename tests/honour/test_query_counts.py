"""The honour pages cost a fixed number of queries however much the community has done."""

from __future__ import annotations

import pytest

from tests import factories
from tests.honour.builders import (
    established,
    first_post,
    grant,
    ledger,
    like,
    say,
    seminar,
    visits,
)

PAGES = ["/honour?period=all", "/honour?period=weekly", "/u?period=all&order=reputation",
         "/u?period=weekly&order=likes_received", "/u/anna/portfolio",
         "/directory_items.json?period=all&order=likes_received", "/u/anna/summary.json"]


def grow(rounds: int, category, member) -> None:
    """Each round: a new member with a topic liked by anna, and anna's own topic liked by them,
    ledger entries, a badge, visits and a seminar message."""
    for _ in range(rounds):
        someone = established(factories.make_user())
        theirs = factories.make_topic(category=category, author=someone)
        mine = factories.make_topic(category=category, author=member)
        like(first_post(theirs), member, points=5)
        like(first_post(mine), someone, points=5)
        ledger(someone, 3, kind="badge")
        grant(member, f"badge-{someone.id}")
        grant(someone, f"badge-{someone.id}")
        visits(someone, 2)
        room = seminar(f"Семинар {someone.id}")
        say(room, member)
        say(room, someone)


@pytest.mark.parametrize("path", PAGES)
def test_page_query_count_does_not_grow_with_the_data(client, db, member, category,
                                                      count_queries, path):
    grow(2, category, member)
    db.session.commit()
    client.get(path)  # warm caches that are per process, not per request
    with count_queries() as small:
        assert client.get(path).status_code == 200
    grow(8, category, member)
    db.session.commit()
    with count_queries() as large:
        assert client.get(path).status_code == 200
    assert len(large) == len(small), (len(small), len(large))


@pytest.mark.parametrize(("path", "most"), [("/honour?period=all", 9),
                                            ("/u?period=all&order=reputation", 5),
                                            ("/u/anna/portfolio", 18)])
# The portfolio's budget leaves room for the reputation helper's breakdown partial (five
# queries of its own: weights, lines, latest entries and their posts) and for the library's
# two (materials shared, expert reviews written); the board's two library columns (materials
# shared, expert reviews given) are a query each.
def test_page_stays_within_its_query_budget(client, db, member, category, count_queries,
                                            path, most):
    grow(3, category, member)
    db.session.commit()
    client.get(path)
    with count_queries() as statements:
        client.get(path)
    assert len(statements) <= most, statements
