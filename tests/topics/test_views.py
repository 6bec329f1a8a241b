"""Topic pages over HTTP: URLs, pagination, privacy, composer errors, XSS, edit, delete, preview."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from forum.extensions import db
from forum.models import Post, PostRevision, Topic
from forum.topics import services
from tests import factories

SCRIPT = "<script>alert(1)</script>"
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def text(response) -> str:
    return response.get_data(as_text=True)


def main(response) -> str:
    """The page's <main>: what differs between pages (the header links carry the path)."""
    match = re.search(r"<main\b.*?</main>", text(response), re.S)
    assert match, text(response)[:300]
    return match.group(0)


def post_numbers(response) -> list[int]:
    return [int(n) for n in re.findall(r'data-post-number="(\d+)"', text(response))]


def topic_url(topic: Topic, post_number: int | None = None) -> str:
    return f"/t/{topic.slug}/{topic.id}" + (f"/{post_number}" if post_number else "")


def count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def long_topic(db, category, member, other_member):
    topic = factories.make_topic(category=category, author=member, title="Длинная тема")
    for i in range(2, 46):
        services.reply(topic, author=other_member, raw=f"Ответ номер {i}")
    db.session.commit()
    return topic


# --- URLs -------------------------------------------------------------------------------------

def test_topic_page_shows_title_and_first_post(client, topic):
    response = client.get(topic_url(topic))
    assert response.status_code == 200
    assert "Как объяснять дроби" in text(response)
    assert "Первое сообщение темы." in text(response)


def test_wrong_slug_redirects_permanently_to_the_canonical_url(client, topic):
    response = client.get(f"/t/wrong-slug/{topic.id}")
    assert response.status_code == 301
    assert response.headers["Location"] == topic_url(topic)


def test_wrong_slug_redirect_keeps_the_post_number(client, topic):
    response = client.get(f"/t/wrong-slug/{topic.id}/1")
    assert response.status_code == 301
    assert response.headers["Location"] == topic_url(topic, 1)


def test_wrong_slug_redirect_keeps_the_query(client, topic):
    response = client.get(f"/t/wrong/{topic.id}?page=2")
    assert response.headers["Location"] == topic_url(topic) + "?page=2"


def test_id_only_url_redirects_permanently_to_the_canonical_url(client, topic):
    response = client.get(f"/t/{topic.id}")
    assert response.status_code == 301
    assert response.headers["Location"] == topic_url(topic)


def test_old_slug_still_reaches_a_renamed_topic(client, topic, member):
    old = topic_url(topic)
    services.edit_post(services.post_by_number(topic, 1), editor=member, raw="Текст.",
                       title="Дроби в 5 классе")
    db.session.commit()
    response = client.get(old)
    assert response.status_code == 301
    assert response.headers["Location"] == f"/t/drobi-v-5-klasse/{topic.id}"


def test_unknown_topic_is_404(client, db):
    assert client.get("/t/nothing/999999").status_code == 404
    assert client.get("/t/999999").status_code == 404


# --- pagination -------------------------------------------------------------------------------

@pytest.mark.parametrize(("page", "expected"), [
    (1, list(range(1, 21))), (2, list(range(21, 41))), (3, list(range(41, 46))),
])
def test_topic_pages_hold_twenty_posts(client, long_topic, page, expected):
    response = client.get(topic_url(long_topic), query_string={"page": page})
    assert post_numbers(response) == expected


@pytest.mark.parametrize(("post_number", "page"), [(1, 1), (20, 1), (21, 2), (40, 2), (41, 3),
                                                   (45, 3)])
def test_permalink_lands_on_the_page_holding_the_post(client, long_topic, post_number, page):
    response = client.get(topic_url(long_topic, post_number))
    assert response.status_code == 200
    numbers = post_numbers(response)
    assert post_number in numbers
    assert numbers[0] == (page - 1) * 20 + 1


def test_permalink_beyond_the_last_post_shows_the_last_page(client, long_topic):
    assert post_numbers(client.get(topic_url(long_topic, 500)))[-1] == 45


def test_pager_links_to_every_page(client, long_topic):
    body = text(client.get(topic_url(long_topic)))
    for n in (2, 3):
        assert f'href="{topic_url(long_topic)}?page={n}"' in body


@pytest.mark.parametrize("page", ["abc", "-5", "0", "", "1.5", "99999999999999999999999",
                                  "%00", "1e9"])
def test_odd_topic_page_numbers_show_a_page_not_an_error(client, long_topic, page):
    response = client.get(f"{topic_url(long_topic)}?page={page}")
    assert response.status_code == 200
    assert post_numbers(response)


@pytest.mark.parametrize("page", ["abc", "-1", "0", "99999999999999999999999", "100000"])
@pytest.mark.parametrize("path", ["/", "/latest", "/c/matematika/{cid}"])
def test_odd_list_page_numbers_show_a_page_not_an_error(client, topic, path, page):
    url = path.format(cid=topic.category_id)
    response = client.get(url, query_string={"page": page})
    assert response.status_code == 200


@pytest.mark.parametrize("url", [
    "/t/x/99999999999999999999999999", "/t/99999999999999999999999999",
    "/t/x/1/99999999999999999999999999", "/c/x/99999999999999999999999999",
    "/posts/99999999999999999999999999/revisions",
])
def test_huge_ids_are_404_not_500(client, topic, url):
    assert client.get(url).status_code == 404


# --- privacy ----------------------------------------------------------------------------------

@pytest.fixture
def private_topic(db, private_category, member):
    topic = factories.make_topic(category=private_category, author=member,
                                 title="Секретное совещание", raw="Только для учителей.")
    services.reply(topic, author=member, raw="Секретный ответ.")
    db.session.commit()
    return topic


OUTSIDERS = ["guest", "student", "parent"]


@pytest.fixture
def as_outsider(client, login, student, parent):
    def _as(role):
        if role == "student":
            login(student)
        elif role == "parent":
            login(parent)
        return client
    return _as


def _private_urls(topic: Topic) -> list[tuple[str, str]]:
    first = services.post_by_number(topic, 1)
    return [
        (topic_url(topic), "/t/nothing/999999"),
        (f"/t/{topic.id}", "/t/999999"),
        (topic_url(topic, 2), "/t/nothing/999999/2"),
        (f"/c/{topic.category.slug}/{topic.category_id}", "/c/nothing/999999"),
        (f"/c/{topic.category_id}", "/c/999999"),
        (f"/posts/{first.id}/revisions", "/posts/999999/revisions"),
        (f"/posts/{first.id}/fragment", "/posts/999999/fragment"),
    ]


@pytest.mark.parametrize("role", OUTSIDERS)
def test_private_pages_answer_exactly_like_missing_ones(as_outsider, private_topic, role):
    client = as_outsider(role)
    for hidden, missing in _private_urls(private_topic):
        hidden_response, missing_response = client.get(hidden), client.get(missing)
        assert hidden_response.status_code == missing_response.status_code == 404, hidden
        assert main(hidden_response) == main(missing_response), hidden


@pytest.mark.parametrize("role", ["student", "parent"])
def test_private_topic_refuses_replies_from_outsiders_as_missing(as_outsider, private_topic,
                                                                role):
    client = as_outsider(role)
    response = client.post(f"/t/{private_topic.id}/reply", data={"raw": "Можно?"})
    assert response.status_code == 404
    assert count(Post, Post.topic_id == private_topic.id) == 2


@pytest.mark.parametrize("role", OUTSIDERS)
@pytest.mark.parametrize("path", ["/", "/latest", "/categories"])
def test_private_category_is_absent_from_lists(as_outsider, private_topic, topic, role, path):
    body = text(as_outsider(role).get(path))
    assert "Учительская" not in body
    assert "Секретное совещание" not in body


@pytest.mark.parametrize("role", OUTSIDERS)
def test_private_posts_are_absent_from_profile_activity(as_outsider, private_topic, topic,
                                                       role):
    body = text(as_outsider(role).get("/u/anna"))
    assert "Как объяснять дроби" in body
    assert "Секретное совещание" not in body
    assert "Учительская" not in body


@pytest.mark.parametrize(("role", "expected"), [("guest", "1 / 1"), ("student", "1 / 1"),
                                              ("member", "2 / 3")])
def test_profile_counts_only_what_the_reader_may_see(client, login, private_topic, topic, role,
                                                     expected, student, other_member):
    if role == "student":
        login(student)
    elif role == "member":
        login(other_member)
    body = text(client.get("/u/anna"))
    counts = re.search(r"<dd>\s*(\d+ / \d+)\s*</dd>", body)
    assert counts and counts.group(1) == expected


def test_teachers_see_the_private_category_everywhere(client, login, private_topic,
                                                      other_member):
    login(other_member)
    assert "Секретное совещание" in text(client.get("/"))
    assert "Учительская" in text(client.get("/categories"))
    assert "Секретное совещание" in text(client.get("/u/anna"))
    assert client.get(topic_url(private_topic)).status_code == 200


# --- new topic --------------------------------------------------------------------------------

def new_topic(client, **overrides):
    data = {"title": "Как учить таблицу умножения", "raw": "Поделитесь приёмами.",
            "category_id": overrides.pop("category", None)} | overrides
    return client.post("/new-topic", data=data)


def test_new_topic_creates_and_redirects_to_it(client, login, member, category):
    login(member)
    response = new_topic(client, category_id=category.id)
    assert response.status_code == 302
    topic = db.session.scalar(select(Topic).where(Topic.title == "Как учить таблицу умножения"))
    assert response.headers["Location"] == topic_url(topic)
    assert "Поделитесь приёмами." in text(client.get(response.headers["Location"]))


@pytest.mark.parametrize(("overrides", "message"), [
    ({"raw": ""}, "cannot be empty"),
    ({"raw": "   \n  "}, "cannot be empty"),
    ({"raw": "я" * 32_001}, "too long"),
    ({"title": "Дроб"}, "5 to 200"),
    ({"title": "я" * 201}, "5 to 200"),
    ({"title": ""}, "5 to 200"),
])
def test_new_topic_errors_are_422_keep_the_text_and_save_nothing(client, login, member,
                                                                 category, overrides, message):
    login(member)
    before = count(Topic)
    data = {"category_id": category.id} | overrides
    response = new_topic(client, **data)
    assert response.status_code == 422
    body = text(response)
    assert message in body
    title = data.get("title", "Как учить таблицу умножения")
    raw = data.get("raw", "Поделитесь приёмами.")
    if title:
        assert f'value="{title}"' in body
    if raw.strip():
        assert raw in body
    assert count(Topic) == before


@pytest.mark.parametrize("category_id", ["999999", "abc", "", "-1", "99999999999999999999999"])
def test_new_topic_in_an_unknown_category_is_422_not_500(client, login, member, category,
                                                        category_id):
    login(member)
    response = new_topic(client, category_id=category_id)
    assert response.status_code == 422
    assert "Поделитесь приёмами." in text(response)
    assert count(Topic) == 0


def test_new_topic_in_a_hidden_category_is_refused_without_a_hint(client, login, student,
                                                                  category, private_category):
    parents = factories.make_category("Для родителей", permissions={
        "everyone": 3, "teachers": 1, "parents": 1, "students": 1})
    db.session.commit()
    login(student)
    response = new_topic(client, category_id=private_category.id)
    assert response.status_code == 422
    assert "Учительская" not in text(response)
    assert count(Topic, Topic.category_id == parents.id) == 0


def test_new_topic_in_a_readonly_category_is_refused(client, login, member, category):
    official = factories.make_staff_only_category()
    db.session.commit()
    login(member)
    response = new_topic(client, category_id=official.id)
    assert response.status_code == 422
    assert "Поделитесь приёмами." in text(response)
    assert count(Topic) == 0


def test_new_topic_with_missing_fields_is_422(client, login, member, category):
    login(member)
    assert client.post("/new-topic", data={}).status_code == 422


def test_new_topic_page_offers_only_categories_the_member_may_post_in(client, login, member,
                                                                      category):
    factories.make_staff_only_category()
    db.session.commit()
    login(member)
    body = text(client.get("/new-topic"))
    assert "Математика" in body
    assert "Официально" not in body


def test_new_topic_preselects_the_category_from_the_link(client, login, member, category):
    other = factories.make_category("Физика")
    db.session.commit()
    login(member)
    body = text(client.get(f"/new-topic?category={other.id}"))
    assert re.search(rf'<option selected value="{other.id}">|<option value="{other.id}" '
                     r"selected>", body)


def test_new_topic_is_for_signed_in_members(client, category):
    response = client.get("/new-topic")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


def test_readers_without_a_category_to_post_in_get_403(client, login, student, category):
    login(student)
    assert client.get("/new-topic").status_code == 403


# --- reply ------------------------------------------------------------------------------------

def test_reply_redirects_to_the_new_post(client, login, topic, other_member):
    login(other_member)
    response = client.post(f"/t/{topic.id}/reply", data={"raw": "Согласна!"})
    assert response.status_code == 302
    assert response.headers["Location"] == topic_url(topic, 2) + "#post_2"
    assert "Согласна!" in text(client.get(topic_url(topic)))


@pytest.mark.parametrize(("raw", "message"), [("", "cannot be empty"), ("  ", "cannot be empty"),
                                              ("ж" * 32_001, "too long")])
def test_reply_errors_are_422_keep_the_text_and_save_nothing(client, login, topic,
                                                            other_member, raw, message):
    login(other_member)
    response = client.post(f"/t/{topic.id}/reply", data={"raw": raw})
    assert response.status_code == 422
    assert message in text(response)
    if raw.strip():
        assert raw in text(response)
    assert count(Post, Post.topic_id == topic.id) == 1


def test_reply_with_a_bad_reply_to_number_is_not_500(client, login, topic, other_member):
    login(other_member)
    response = client.post(f"/t/{topic.id}/reply",
                           data={"raw": "Ответ.", "reply_to_post_number": "abc"})
    assert response.status_code in (302, 422)


def test_reply_to_a_closed_topic_is_refused_with_a_clear_message(client, login, category,
                                                                 member, other_member):
    closed = factories.make_topic(category=category, author=member, closed=True)
    db.session.commit()
    login(other_member)
    response = client.post(f"/t/{closed.id}/reply", data={"raw": "Можно ещё?"})
    assert response.status_code in (403, 422)
    assert "This topic is closed" in text(response)
    assert count(Post, Post.topic_id == closed.id) == 1


def test_refused_reply_to_a_closed_topic_keeps_the_draft(client, login, category, member,
                                                         other_member):
    from forum.drafts.services import load_draft, save_draft

    closed = factories.make_topic(category=category, author=member, closed=True)
    save_draft(other_member, f"topic_{closed.id}", {"raw": "Можно ещё?"})
    db.session.commit()
    login(other_member)
    client.post(f"/t/{closed.id}/reply", data={"raw": "Можно ещё?"})
    assert load_draft(other_member, f"topic_{closed.id}").data["raw"] == "Можно ещё?"


def test_closed_topic_shows_no_reply_form_to_members(client, login, category, member):
    closed = factories.make_topic(category=category, author=member, closed=True)
    db.session.commit()
    login(member)
    body = text(client.get(topic_url(closed)))
    assert "This topic is closed" in body
    assert f'action="/t/{closed.id}/reply"' not in body


def test_moderator_may_reply_to_a_closed_topic_over_http(client, login, category, member,
                                                         moderator):
    closed = factories.make_topic(category=category, author=member, closed=True)
    db.session.commit()
    login(moderator)
    assert client.post(f"/t/{closed.id}/reply", data={"raw": "Итог."}).status_code == 302


def test_guests_cannot_reply(client, topic):
    response = client.post(f"/t/{topic.id}/reply", data={"raw": "Гость."})
    assert response.status_code in (302, 401, 403)
    assert count(Post, Post.topic_id == topic.id) == 1


def test_reply_page_quotes_the_post(client, login, topic, other_member):
    login(other_member)
    body = unescape(text(client.get(f"/t/{topic.id}/reply?quote=1")))
    assert f'[quote="anna, post:1, topic:{topic.id}"]' in body


def test_reply_page_shows_the_saved_draft(client, login, topic, other_member):
    from forum.drafts.services import save_draft

    save_draft(other_member, f"topic_{topic.id}", {"raw": "Недописанный ответ"})
    db.session.commit()
    login(other_member)
    assert "Недописанный ответ" in text(client.get(topic_url(topic)))


# --- XSS --------------------------------------------------------------------------------------

@pytest.fixture
def hostile(db, category, moderator):
    """Script in a title, a display name, profile fields, a post body and an edit reason."""
    from forum.accounts.services import update_profile

    villain = factories.make_user("villain", name=f"Злодей {SCRIPT}")
    update_profile(villain, actor=villain, name=f"Злодей {SCRIPT}", organisation=SCRIPT,
                   subjects=SCRIPT, about=SCRIPT, locale=None)
    topic = factories.make_topic(category=category, author=villain, title=f"Тема {SCRIPT}",
                                 raw=f"Тело {SCRIPT}")
    reply = services.reply(topic, author=villain, raw=f"Ответ {SCRIPT}")
    services.edit_post(reply, editor=villain, raw=f"Правка {SCRIPT}", edit_reason=SCRIPT)
    db.session.commit()
    return villain, topic, reply


def _hostile_pages(topic, reply, category):
    first = services.post_by_number(topic, 1)
    return [
        "/", "/latest", f"/c/{category.slug}/{category.id}", topic_url(topic), "/u/villain",
        f"/posts/{reply.id}/revisions", f"/posts/{first.id}/revisions",
        f"/posts/{reply.id}/fragment",
    ]


def _assert_escaped(body: str, where: str) -> None:
    assert "<script>alert" not in body, where
    assert SCRIPT_ESCAPED in body or "&lt;script&gt;alert" in body, where


def test_user_text_is_escaped_on_every_public_page(client, hostile, category):
    _villain, topic, reply = hostile
    for url in _hostile_pages(topic, reply, category):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_escaped(text(response), url)


def test_user_text_is_escaped_on_the_authors_own_pages(client, login, hostile, category):
    villain, topic, reply = hostile
    login(villain)
    first = services.post_by_number(topic, 1)
    for url in [*_hostile_pages(topic, reply, category), f"/posts/{reply.id}/edit",
                f"/posts/{first.id}/edit", f"/t/{topic.id}/settings", f"/t/{topic.id}/reply",
                "/my/preferences"]:
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_escaped(text(response), url)


def test_display_name_is_escaped_in_the_page_title_and_header(client, login, hostile):
    villain, _topic, _reply = hostile
    login(villain)
    body = text(client.get("/u/villain"))
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1)
    assert "<script" not in title
    assert "&lt;script&gt;" in title


def test_script_in_a_username_is_refused_at_signup(client, db):
    response = client.post("/signup", data={"username": "<script>", "email": "x@example.org",
                                            "password": factories.PASSWORD,
                                            "password2": factories.PASSWORD})
    assert response.status_code == 422
    assert "<script>" not in main(response)


def test_category_name_and_description_are_escaped(client, db):
    category = factories.make_category(f"Раздел {SCRIPT}", description=f"Описание {SCRIPT}")
    db.session.commit()
    for url in ["/categories", f"/c/{category.slug}/{category.id}"]:
        _assert_escaped(text(client.get(url)), url)


# --- edit and revisions -----------------------------------------------------------------------

def test_edit_page_shows_the_raw_text(client, login, topic, member):
    login(member)
    post = services.post_by_number(topic, 1)
    body = text(client.get(f"/posts/{post.id}/edit"))
    assert "Первое сообщение темы." in body
    assert 'value="Как объяснять дроби"' in body


def test_editing_saves_a_revision_and_shows_the_history(client, login, topic, member):
    login(member)
    post = services.post_by_number(topic, 1)
    response = client.post(f"/posts/{post.id}/edit", data={
        "raw": "Новый текст.", "title": topic.title, "edit_reason": "уточнение"})
    assert response.status_code == 302
    assert count(PostRevision, PostRevision.post_id == post.id) == 2
    history = text(client.get(f"/posts/{post.id}/revisions"))
    assert "Version 2" in history and "Version 1" in history
    assert "уточнение" in history
    assert "edited" in text(client.get(topic_url(topic)))


def test_edit_errors_are_422_and_keep_the_text(client, login, topic, member):
    login(member)
    post = services.post_by_number(topic, 1)
    response = client.post(f"/posts/{post.id}/edit", data={"raw": "", "title": "abc"})
    assert response.status_code == 422
    assert 'value="abc"' in text(response)
    assert count(PostRevision, PostRevision.post_id == post.id) == 1


def test_members_cannot_open_the_edit_page_of_others_posts(client, login, topic, other_member):
    login(other_member)
    post = services.post_by_number(topic, 1)
    assert client.get(f"/posts/{post.id}/edit").status_code == 403
    assert client.post(f"/posts/{post.id}/edit", data={"raw": "Взлом."}).status_code == 403


def test_title_change_in_settings_changes_the_url(client, login, topic, member):
    login(member)
    response = client.post(f"/t/{topic.id}/settings", data={
        "title": "Дроби в 5 классе", "category_id": topic.category_id})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/t/drobi-v-5-klasse/{topic.id}"


def test_settings_with_a_bad_category_is_not_500(client, login, topic, member):
    login(member)
    response = client.post(f"/t/{topic.id}/settings", data={"title": "Дроби в 5 классе",
                                                          "category_id": "abc"})
    assert response.status_code == 422


# --- delete and restore -----------------------------------------------------------------------

@pytest.fixture
def conversation(db, topic, other_member):
    reply = services.reply(topic, author=other_member, raw="Ответ Бориса.")
    db.session.commit()
    return topic, reply


def _has_form(body: str, action: str) -> bool:
    return f'action="{action}"' in body


def test_author_sees_a_delete_button_on_their_reply_only(client, login, conversation,
                                                         other_member):
    topic, reply = conversation
    login(other_member)
    body = text(client.get(topic_url(topic)))
    assert _has_form(body, f"/posts/{reply.id}/delete")
    assert not _has_form(body, f"/t/{topic.id}/delete")


def test_guests_see_no_moderation_buttons(client, conversation):
    topic, reply = conversation
    body = text(client.get(topic_url(topic)))
    assert "/delete" not in body and "/restore" not in body and "/edit" not in body


def test_moderator_sees_delete_buttons_on_every_post(client, login, conversation, moderator):
    topic, reply = conversation
    login(moderator)
    body = text(client.get(topic_url(topic)))
    assert _has_form(body, f"/posts/{reply.id}/delete")
    assert _has_form(body, f"/t/{topic.id}/delete")


def test_deleted_reply_is_hidden_from_readers_and_restorable_by_moderators(
        client, login, conversation, moderator, member):
    topic, reply = conversation
    login(moderator)
    assert client.post(f"/posts/{reply.id}/delete").status_code == 302
    body = text(client.get(topic_url(topic)))
    assert "Ответ Бориса." in body  # moderators still read it
    assert _has_form(body, f"/posts/{reply.id}/restore")
    client.post("/logout")

    login(member)
    body = text(client.get(topic_url(topic)))
    assert "Ответ Бориса." not in body
    assert "message deleted by a moderator" in body
    assert db.session.get(Post, reply.id) is not None
    client.post("/logout")

    login(moderator)
    assert client.post(f"/posts/{reply.id}/restore").status_code == 302
    assert db.session.get(Post, reply.id).deleted_at is None


def test_deleted_topic_is_404_for_members_and_visible_to_moderators(client, login,
                                                                    conversation, moderator,
                                                                    other_member):
    topic, _reply = conversation
    login(moderator)
    response = client.post(f"/t/{topic.id}/delete")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/c/{topic.category.slug}/{topic.category_id}"
    body = text(client.get(topic_url(topic)))
    assert "Deleted" in body
    assert _has_form(body, f"/t/{topic.id}/restore")
    client.post("/logout")

    login(other_member)
    assert client.get(topic_url(topic)).status_code == 404
    assert "Как объяснять дроби" not in text(client.get("/"))


def test_members_cannot_delete_others_posts_over_http(client, login, conversation, member):
    topic, reply = conversation
    login(member)
    response = client.post(f"/posts/{reply.id}/delete")
    assert response.status_code == 403
    assert db.session.get(Post, reply.id).deleted_at is None


def test_deleting_is_not_a_get(client, login, conversation, moderator):
    _topic, reply = conversation
    login(moderator)
    assert client.get(f"/posts/{reply.id}/delete").status_code == 405


# --- preview ----------------------------------------------------------------------------------

PREVIEW_SAMPLES = ["**жирный** и *курсив*", f"опасно {SCRIPT}", "@anna и @nobody",
                   "> цитата\n\nтекст", "[ссылка](javascript:alert(1))", ""]


@pytest.mark.parametrize("raw", PREVIEW_SAMPLES)
def test_preview_cooks_with_the_same_function_as_saved_posts(client, member, raw):
    response = client.post("/preview", data={"raw": raw})
    assert response.status_code == 200
    assert response.get_json() == {"cooked": str(services.cook_post(raw))}


def test_preview_accepts_json(client, member):
    response = client.post("/preview", json={"raw": "**да**"})
    assert response.get_json()["cooked"] == "<p><strong>да</strong></p>"


def test_preview_cooks_like_the_saved_post(client, login, topic, other_member):
    login(other_member)
    raw = "Привет, @anna! **Важно** <b onclick=x>жирно</b>"
    preview = client.post("/preview", data={"raw": raw}).get_json()["cooked"]
    client.post(f"/t/{topic.id}/reply", data={"raw": raw})
    assert services.post_by_number(topic, 2).cooked == preview


@pytest.mark.parametrize("kwargs", [
    {"data": {}}, {"json": {}}, {"json": [1, 2]}, {"json": "raw"}, {"json": {"raw": 5}},
    {"data": "not json", "content_type": "application/json"},
])
def test_preview_without_text_is_a_422_json_error(client, db, kwargs):
    response = client.post("/preview", **kwargs)
    assert response.status_code == 422
    assert "errors" in response.get_json()


@pytest.mark.parametrize("length", [32_001, 64_001])
def test_preview_of_a_text_over_the_limit_is_refused_with_a_reason(client, db, length):
    response = client.post("/preview", data={"raw": "я" * length})
    assert response.status_code in (413, 422)
    assert response.get_json()["errors"]


def test_topic_fragment_matches_the_page(client, conversation):
    topic, reply = conversation
    fragment = text(client.get(f"/posts/{reply.id}/fragment"))
    assert f'data-post-id="{reply.id}"' in fragment
    assert "Ответ Бориса." in fragment


def test_reply_refused_by_a_closed_topic_shows_the_typed_text_again(client, login, db, member):
    topic = factories.make_topic(author=member, closed=True)
    db.session.commit()
    login(member)
    response = client.post(f"/t/{topic.id}/reply", data={"raw": "Мой очень важный ответ"})
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert 'id="refused-raw"' in page
    assert "Мой очень важный ответ" in page
