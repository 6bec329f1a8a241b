"""Category pages over HTTP: the index, one category's topics, canonical URLs, the colour sheet."""

from __future__ import annotations

import re

import pytest

from forum.extensions import db
from forum.models import Category
from forum.topics import services
from tests import factories


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client




def text(response) -> str:
    return response.get_data(as_text=True)


def category_url(category: Category) -> str:
    return f"/c/{category.slug}/{category.id}"


def titles(response) -> list[str]:
    return re.findall(r'class="topic-title"[^>]*>([^<]*)<', text(response))


def test_index_lists_categories_with_their_counts(client, topic, other_member):
    services.reply(topic, author=other_member, raw="Ответ.")
    db.session.commit()
    body = text(client.get("/categories"))
    assert "Математика" in body
    assert "1 topic" in body and "2 posts" in body


def test_index_nests_subcategories_under_their_parent(client, category):
    child = factories.make_category("Геометрия", parent=category)
    db.session.commit()
    body = text(client.get("/categories"))
    card = re.search(rf'<li class="category-card cat-{category.id}">.*?</li>\s*</ul>', body,
                     re.S)
    assert card and category_url(child) in card.group(0)


def test_empty_forum_says_so(client, db):
    response = client.get("/categories")
    assert response.status_code == 200
    assert "No categories yet." in text(response)


def test_id_only_url_redirects_permanently(client, category):
    response = client.get(f"/c/{category.id}")
    assert response.status_code == 301
    assert response.headers["Location"] == category_url(category)


def test_wrong_slug_redirects_permanently_keeping_the_page(client, category):
    response = client.get(f"/c/wrong/{category.id}?page=2")
    assert response.status_code == 301
    assert response.headers["Location"] == category_url(category) + "?page=2"


def test_unknown_category_is_404(client, db):
    assert client.get("/c/nothing/424242").status_code == 404


def test_category_page_lists_its_topics_newest_activity_first(client, category, member,
                                                              other_member):
    old = factories.make_topic(category=category, author=member, title="Старая тема")
    factories.make_topic(category=category, author=member, title="Новая тема")
    services.reply(old, author=other_member, raw="Подниму.")
    db.session.commit()
    assert titles(client.get(category_url(category))) == ["Старая тема", "Новая тема"]


def test_category_page_includes_subcategory_topics(client, category, member):
    child = factories.make_category("Геометрия", parent=category)
    factories.make_topic(category=child, author=member, title="Теорема Пифагора")
    db.session.commit()
    assert "Теорема Пифагора" in titles(client.get(category_url(category)))
    assert titles(client.get(category_url(child))) == ["Теорема Пифагора"]


def test_a_new_subcategory_shows_on_its_parents_next_view(client, category, member):
    factories.make_topic(category=category, author=member, title="Сложение дробей")
    db.session.commit()
    own_badge = f"category-badge cat-{category.id}"
    first = text(client.get(category_url(category)))
    assert "Геометрия" not in first

    child = factories.make_category("Геометрия", parent=category)
    factories.make_topic(category=child, author=member, title="Теорема Пифагора")
    db.session.commit()
    page = client.get(category_url(category))
    # The subcategory's link, its badge on its topic's row, and now a badge on every row.
    assert text(page).count(f"category-badge cat-{child.id}") == 2
    assert text(page).count(own_badge) == first.count(own_badge) + 1
    assert set(titles(page)) == {"Сложение дробей", "Теорема Пифагора"}


def test_a_category_without_subcategories_asks_for_none_once_kept(
        client, category, member, count_queries):
    factories.make_topic(category=category, author=member, title="Сложение дробей")
    db.session.commit()
    client.get(category_url(category))  # keeps the category's children for the generation
    db.session.expunge_all()
    with count_queries() as statements:
        assert client.get(category_url(category)).status_code == 200
    assert not [s for s in statements if "categories.parent_id = ?" in s
                or "= categories.parent_id" in s], statements


def test_category_page_leaves_out_other_categories(client, category, member):
    other = factories.make_category("Физика")
    factories.make_topic(category=other, author=member, title="Законы Ньютона")
    factories.make_topic(category=category, author=member, title="Дроби и доли")
    db.session.commit()
    assert titles(client.get(category_url(category))) == ["Дроби и доли"]


def test_pinned_topic_leads_the_category(client, category, member):
    from forum.models import utcnow

    pinned = factories.make_topic(category=category, author=member, title="Правила раздела")
    factories.make_topic(category=category, author=member, title="Свежая тема")
    pinned.pinned_at = utcnow()
    db.session.commit()
    assert titles(client.get(category_url(category)))[0] == "Правила раздела"


def test_deleted_and_unlisted_topics_are_not_listed(client, category, member, moderator):
    gone = factories.make_topic(category=category, author=member, title="Удалённая тема")
    services.delete_topic(gone, actor=moderator)
    hidden = factories.make_topic(category=category, author=member, title="Тема по ссылке")
    hidden.is_visible = False
    factories.make_topic(category=category, author=member, title="Обычная тема")
    db.session.commit()
    assert titles(client.get(category_url(category))) == ["Обычная тема"]
    assert client.get(f"/t/{hidden.slug}/{hidden.id}").status_code == 200


def test_category_pages_hold_thirty_topics(client, category, member):
    for i in range(31):
        factories.make_topic(category=category, author=member, title=f"Тема номер {i:02d}")
    db.session.commit()
    first = client.get(category_url(category))
    assert len(titles(first)) == 30
    assert f'href="{category_url(category)}?page=2"' in text(first)
    second = client.get(category_url(category), query_string={"page": 2})
    assert titles(second) == ["Тема номер 00"]
    assert "?page=3" not in text(second)


@pytest.mark.parametrize(("who", "button"), [
    ("member", "New topic"), ("guest", "Log in to post"), ("student", None),
])
def test_category_page_offers_what_the_reader_may_do(client, login, category, member, student,
                                                     who, button):
    if who == "member":
        login(member)
    elif who == "student":
        login(student)
    body = text(client.get(category_url(category)))
    for label in ("New topic", "Log in to post"):
        assert (label in body) is (label == button), label


def test_staff_only_category_offers_no_new_topic_to_members(client, login, member):
    official = factories.make_staff_only_category()
    db.session.commit()
    login(member)
    assert "New topic" not in text(client.get(category_url(official)))


def test_private_subcategory_is_hidden_from_the_public_parent_page(client, category):
    child = factories.make_category("Для своих", parent=category,
                                    permissions={"teachers": 1})
    db.session.commit()
    body = text(client.get(category_url(category)))
    assert "Для своих" not in body
    assert client.get(category_url(child)).status_code == 404


def test_colour_stylesheet_is_css_with_a_class_per_category(client, category):
    response = client.get("/categories.css")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert f".cat-{category.id}{{--cat-color:#0088CC" in text(response)
