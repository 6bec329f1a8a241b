"""The results page, the header box, /search.json and /search/query.json."""

import pytest

from forum.extensions import limiter
from forum.topics.services import post_by_number


def test_the_header_has_a_search_box_that_works_without_javascript(client, corpus):
    page = client.get("/latest").get_data(as_text=True)
    assert 'action="/search"' in page and 'name="q"' in page and "data-search-box" in page


def test_the_results_page_lists_hits_with_marked_snippets(client, corpus):
    response = client.get("/search?q=дробями")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Как объяснять дроби" in page and "<mark>дроби</mark>" in page
    assert 'value="дробями"' in page  # the query stays in the box
    assert "педсовета" not in page and "приватном" not in page


def test_the_filter_panel_becomes_query_filters(client, corpus):
    page = client.get("/search?q=fractions&status=closed&in=title&category=matematika"
                      "&order=latest&after=2000-01-01&user=boris").get_data(as_text=True)
    assert "Fractions for beginners" in page
    page = client.get("/search?q=fractions&status=open").get_data(as_text=True)
    assert "Fractions for beginners" not in page


def test_without_a_query_the_page_shows_only_the_form(client):
    page = client.get("/search").get_data(as_text=True)
    assert 'id="search-q"' in page and "search-result" not in page


@pytest.mark.parametrize("query", ["x" * 201, "как и", "status:frozen"])
def test_bad_queries_get_a_clear_message(client, corpus, query):
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200
    assert 'role="alert"' in response.get_data(as_text=True)


def test_ignored_filters_are_explained(client, corpus):
    page = client.get("/search?q=дроби+tags:algebra+colour:red").get_data(as_text=True)
    assert page.count("search-note") == 2 and "Как объяснять дроби" in page


def test_paging_links_keep_the_query(client, member, login, db, category):
    from tests import factories

    topic = factories.make_topic(category=category, author=member, title="Гипотенуза",
                                 raw="Гипотенуза 0.")
    for n in range(1, 25):
        factories.make_post(topic, author=member, raw=f"Гипотенуза {n}.")
    db.session.commit()
    page = client.get("/search?q=гипотенуза&order=latest").get_data(as_text=True)
    assert 'rel="next"' in page and "page=2" in page and "order=latest" in page
    second = client.get("/search?q=гипотенуза&order=latest&page=2").get_data(as_text=True)
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_results_page_in_russian(client, corpus):
    page = client.get("/search?q=дроби", headers={"Accept-Language": "ru"}).get_data(
        as_text=True)
    assert "Поиск" in page and "Фильтры" in page


def test_search_json_has_discourse_keys(client, corpus):
    data = client.get("/search.json?q=дроби").get_json()
    assert {"posts", "topics", "users", "categories", "grouped_search_result"} <= set(data)
    post = next(p for p in data["posts"] if p["id"] == corpus.fractions_reply.id)
    assert post["topic_id"] == corpus.fractions.id and post["post_number"] == 2
    assert post["username"] == "boris" and "дроби" in post["blurb"]
    assert "<mark>" in post["blurb_html"] and "<mark>" not in post["blurb"]
    topic = next(t for t in data["topics"] if t["id"] == corpus.fractions.id)
    assert topic["title"] == "Как объяснять дроби" and topic["category_id"]
    assert corpus.fractions_reply.id in data["grouped_search_result"]["post_ids"]
    assert data["grouped_search_result"]["term"] == "дроби"


def test_search_json_finds_users_and_readable_categories(client, corpus):
    assert [u["username"] for u in client.get("/search.json?q=bor").get_json()["users"]] == \
        ["boris"]
    names = [c["name"] for c in client.get("/search.json?q=матем").get_json()["categories"]]
    assert names == ["Математика"]
    assert client.get("/search.json?q=учительская").get_json()["categories"] == []


def test_search_json_reports_errors_as_data(client):
    data = client.get("/search.json?q=").get_json()
    assert data["posts"] == [] and data["grouped_search_result"]["error"]


def test_query_json_suggests_as_you_type(client, corpus):
    data = client.get("/search/query.json?term=объясн").get_json()
    assert [p["id"] for p in data["posts"]] == [post_by_number(corpus.fractions, 1).id]
    assert client.get("/search/query.json?term=объясн%20").get_json()["posts"] == []


def test_chat_hits_link_to_their_message(client, corpus):
    data = client.get("/search.json?q=семинар").get_json()
    assert data["chat_messages"][0]["url"].endswith(f"#message-{corpus.public_message.id}")


def test_guests_are_rate_limited_but_members_are_not(app, client, corpus, member, login):
    app.config["SEARCH_ANONYMOUS_LIMIT"] = "3 per minute"
    limiter.reset()
    statuses = [client.get("/search.json?q=дроби").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    assert client.get("/search?q=дроби").status_code == 429
    login(member)
    assert all(client.get("/search.json?q=дроби").status_code == 200 for _ in range(5))


def test_the_results_page_costs_the_same_queries_for_few_or_many_hits(
        client, db, category, member, count_queries):
    from tests import factories

    topic = factories.make_topic(category=category, author=member, title="Биссектриса",
                                 raw="Биссектриса 0.")
    db.session.commit()
    with count_queries() as few:
        client.get("/search?q=биссектриса")
    for n in range(1, 15):
        factories.make_post(topic, author=member, raw=f"Биссектриса {n}.")
    db.session.commit()
    with count_queries() as many:
        client.get("/search?q=биссектриса")
    assert len(many) == len(few)
