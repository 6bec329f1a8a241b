"""Read endpoints answer in Discourse's shapes: the keys existing clients read are all there."""

from __future__ import annotations

import pytest

from tests import factories

POST_KEYS = {
    "id", "name", "username", "avatar_template", "created_at", "cooked", "post_number",
    "post_type", "updated_at", "reply_count", "reply_to_post_number", "topic_id", "topic_slug",
    "display_username", "version", "can_edit", "can_delete", "user_id", "deleted_at", "yours",
}
TOPIC_LIST_ITEM_KEYS = {
    "id", "title", "fancy_title", "slug", "posts_count", "reply_count", "highest_post_number",
    "created_at", "last_posted_at", "bumped", "bumped_at", "pinned", "pinned_globally",
    "visible", "closed", "archived", "views", "like_count", "category_id",
    "last_poster_username", "posters",
}
CATEGORY_KEYS = {
    "id", "name", "slug", "color", "text_color", "description", "description_text",
    "topic_count", "post_count", "position", "parent_category_id", "read_restricted",
    "permission", "subcategory_ids",
}


def test_latest_json_has_discourse_topic_list_shape(client, topic):
    body = client.get("/latest.json").get_json()
    assert set(body) >= {"users", "topic_list"}
    assert set(body["topic_list"]) >= {"can_create_topic", "per_page", "topics"}
    item = body["topic_list"]["topics"][0]
    assert set(item) >= TOPIC_LIST_ITEM_KEYS
    assert item["id"] == topic.id and item["title"] == "Как объяснять дроби"
    assert item["posters"][0] == {"user_id": topic.user_id, "extras": "latest single",
                                  "description": "Original Poster, Most Recent Poster",
                                  "primary_group_id": None, "flair_group_id": None}


def test_latest_json_sideloads_every_poster_in_users(db, client, topic, other_member):
    factories.make_post(topic, author=other_member)
    db.session.commit()
    body = client.get("/latest.json").get_json()
    usernames = {u["username"] for u in body["users"]}
    assert usernames == {"anna", "boris"}
    item = body["topic_list"]["topics"][0]
    assert item["last_poster_username"] == "boris"
    assert [p["extras"] for p in item["posters"]] == [None, "latest"]
    assert set(body["users"][0]) >= {"id", "username", "name", "avatar_template"}


def test_fancy_title_is_escaped_because_clients_insert_it_as_html(db, client, category, member):
    factories.make_topic(category=category, author=member, title="Теги <b>и</b> & прочее")
    db.session.commit()
    item = client.get("/latest.json").get_json()["topic_list"]["topics"][0]
    assert item["title"] == "Теги <b>и</b> & прочее"
    assert item["fancy_title"] == "Теги &lt;b&gt;и&lt;/b&gt; &amp; прочее"


def test_latest_json_pages_are_zero_based_with_a_more_topics_url(db, app, client, category, member):
    app.config["TOPICS_PER_PAGE"] = 2
    for _ in range(3):
        factories.make_topic(category=category, author=member)
    db.session.commit()
    first = client.get("/latest.json").get_json()["topic_list"]
    assert len(first["topics"]) == 2 and first["per_page"] == 2
    assert first["more_topics_url"] == "/latest.json?page=1"
    second = client.get(first["more_topics_url"]).get_json()["topic_list"]
    assert len(second["topics"]) == 1
    assert "more_topics_url" not in second
    seen = {t["id"] for t in first["topics"]} | {t["id"] for t in second["topics"]}
    assert len(seen) == 3


def test_latest_json_tells_members_they_can_create_topics_and_guests_not(
        client, topic, as_member):
    assert client.get("/latest.json", headers=as_member).get_json()[
        "topic_list"]["can_create_topic"] is True
    assert client.get("/latest.json").get_json()["topic_list"]["can_create_topic"] is False


@pytest.mark.parametrize("path", ["/c/matematika/{id}.json", "/c/{id}.json",
                                  "/c/wrong-slug/{id}.json"])
def test_category_topic_list_answers_by_id_with_or_without_slug(client, topic, path):
    body = client.get(path.format(id=topic.category_id)).get_json()
    assert [t["id"] for t in body["topic_list"]["topics"]] == [topic.id]


def test_category_topic_list_includes_subcategory_topics(db, client, category, member):
    child = factories.make_category("Геометрия", parent=category)
    inner = factories.make_topic(category=child, author=member)
    db.session.commit()
    body = client.get(f"/c/{category.id}.json").get_json()
    assert [t["id"] for t in body["topic_list"]["topics"]] == [inner.id]
    assert body["topic_list"]["topics"][0]["category_id"] == child.id


def test_categories_json_lists_top_level_categories_with_subcategory_ids(db, client, category):
    child = factories.make_category("Геометрия", parent=category)
    db.session.commit()
    body = client.get("/categories.json").get_json()["category_list"]
    assert set(body) >= {"can_create_category", "can_create_topic", "categories"}
    [listed] = body["categories"]
    assert set(listed) >= CATEGORY_KEYS
    assert listed["subcategory_ids"] == [child.id] and listed["parent_category_id"] is None
    assert listed["read_restricted"] is False


def test_categories_json_can_include_subcategory_list(db, client, category):
    child = factories.make_category("Геометрия", parent=category)
    db.session.commit()
    body = client.get("/categories.json?include_subcategories=true").get_json()
    [listed] = body["category_list"]["categories"]
    assert [c["id"] for c in listed["subcategory_list"]] == [child.id]
    assert listed["subcategory_list"][0]["parent_category_id"] == category.id


def test_category_permission_is_the_viewers_own(client, category, api_headers, member,
                                                 student):
    def permission(headers):
        body = client.get("/categories.json", headers=headers).get_json()
        return body["category_list"]["categories"][0]["permission"]

    assert permission(api_headers(member)) == 1
    assert permission(api_headers(student)) == 3
    assert permission({}) is None


def test_category_description_is_html_escaped_with_plain_text_alongside(client, db):
    factories.make_category("Химия", description="<script>x</script> опыты")
    db.session.commit()
    [listed] = client.get("/categories.json").get_json()["category_list"]["categories"]
    assert listed["description"] == "&lt;script&gt;x&lt;/script&gt; опыты"
    assert listed["description_text"] == "<script>x</script> опыты"


def test_category_show_json_wraps_the_category(client, category):
    body = client.get(f"/c/{category.id}/show.json").get_json()
    assert body["category"]["id"] == category.id
    assert set(body["category"]) >= CATEGORY_KEYS
    assert "group_permissions" not in body["category"]


def test_category_show_json_gives_admins_the_group_permissions(client, category, api_headers,
                                                               admin):
    body = client.get(f"/c/{category.id}/show.json", headers=api_headers(admin)).get_json()
    assert {"permission_type": 1, "group_name": "teachers"} in body["category"][
        "group_permissions"]


def test_site_json_lists_categories_and_enumerations(db, client, category):
    child = factories.make_category("Геометрия", parent=category)
    db.session.commit()
    body = client.get("/site.json").get_json()
    assert [c["id"] for c in body["categories"]] == [category.id, child.id]
    assert body["categories"][1]["parent_category_id"] == category.id
    assert body["trust_levels"]["newuser"] == 0
    assert body["post_action_types"] == [] and "notification_types" in body


def test_topic_json_has_post_stream_and_details(db, client, topic, member, other_member):
    factories.make_post(topic, author=other_member, raw="Ответ Бориса")
    db.session.commit()
    body = client.get(f"/t/{topic.id}.json").get_json()
    assert set(body) >= {"id", "title", "fancy_title", "slug", "posts_count", "created_at",
                         "views", "reply_count", "last_posted_at", "highest_post_number",
                         "category_id", "closed", "archived", "pinned", "visible",
                         "deleted_at", "user_id", "details", "post_stream"}
    posts = body["post_stream"]["posts"]
    assert [p["post_number"] for p in posts] == [1, 2]
    assert body["post_stream"]["stream"] == [p["id"] for p in posts]
    assert set(posts[0]) >= POST_KEYS and "raw" not in posts[0]
    assert posts[1]["cooked"] == "<p>Ответ Бориса</p>"
    details = body["details"]
    assert details["created_by"]["username"] == "anna"
    assert details["last_poster"]["username"] == "boris"
    assert {(p["username"], p["post_count"]) for p in details["participants"]} == {
        ("anna", 1), ("boris", 1)}
    assert details["can_create_post"] is False and details["can_edit"] is False


def test_topic_json_tells_a_member_what_they_may_do(client, topic, as_member):
    body = client.get(f"/t/{topic.id}.json", headers=as_member).get_json()
    assert body["details"]["can_create_post"] is True
    assert body["details"]["can_edit"] is True
    assert body["details"]["can_reply_as_new_topic"] is True
    first = body["post_stream"]["posts"][0]
    assert first["yours"] is True and first["can_edit"] is True


@pytest.mark.parametrize("path", ["/t/{id}.json", "/t/kak-obiasniat-drobi/{id}.json",
                                  "/t/any-slug/{id}.json"])
def test_topic_json_answers_by_id_with_or_without_slug(client, topic, path):
    assert client.get(path.format(id=topic.id)).get_json()["id"] == topic.id


def test_topic_json_shows_the_first_twenty_posts_and_streams_all_ids(db, client, category, member):
    topic = factories.make_topic(category=category, author=member, replies=24)
    db.session.commit()
    body = client.get(f"/t/{topic.id}.json").get_json()
    assert [p["post_number"] for p in body["post_stream"]["posts"]] == list(range(1, 21))
    assert len(body["post_stream"]["stream"]) == 25


def test_topic_json_at_a_post_number_starts_just_before_it(db, client, category, member):
    topic = factories.make_topic(category=category, author=member, replies=29)
    db.session.commit()
    body = client.get(f"/t/{topic.slug}/{topic.id}/22.json").get_json()
    numbers = [p["post_number"] for p in body["post_stream"]["posts"]]
    assert numbers[0] == 17 and 22 in numbers and numbers[-1] == 30
    assert body["current_post_number"] == 22


def test_topic_posts_json_returns_the_posts_asked_for_by_id(db, client, category, member):
    topic = factories.make_topic(category=category, author=member, replies=30)
    db.session.commit()
    stream = client.get(f"/t/{topic.id}.json").get_json()["post_stream"]["stream"]
    wanted = stream[24:27]
    query = "&".join(f"post_ids[]={i}" for i in wanted)
    body = client.get(f"/t/{topic.id}/posts.json?{query}").get_json()
    assert [p["id"] for p in body["post_stream"]["posts"]] == wanted
    assert body["id"] == topic.id


def test_topic_posts_json_ignores_post_ids_of_other_topics(client, db, topic, category, member):
    other = factories.make_topic(category=category, author=member)
    db.session.commit()
    stray = topic_first_post_id(client, other)
    body = client.get(f"/t/{topic.id}/posts.json?post_ids[]={stray}").get_json()
    assert body["post_stream"]["posts"] == []


def test_topic_posts_json_pages_from_a_post_number(db, client, category, member):
    topic = factories.make_topic(category=category, author=member, replies=30)
    db.session.commit()
    after = client.get(f"/t/{topic.id}/posts.json?post_number=20").get_json()
    assert [p["post_number"] for p in after["post_stream"]["posts"]] == list(range(21, 32))
    before = client.get(f"/t/{topic.id}/posts.json?post_number=5&asc=false").get_json()
    assert [p["post_number"] for p in before["post_stream"]["posts"]] == [1, 2, 3, 4]


def test_post_json_includes_raw(client, topic):
    post_id = topic_first_post_id(client, topic)
    body = client.get(f"/posts/{post_id}.json").get_json()
    assert set(body) >= POST_KEYS | {"raw"}
    assert body["raw"] == "Первое сообщение темы." and body["topic_slug"] == topic.slug


def test_avatar_template_resolves_to_an_image(client, topic):
    body = client.get("/latest.json").get_json()
    template = body["users"][0]["avatar_template"]
    response = client.get(template.replace("{size}", "48"))
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b">A</text>" in response.data


def test_user_json_has_the_profile_and_kafedra_extras(client, db, topic, member):
    member.organisation, member.subjects = "Школа № 5", "математика"
    db.session.commit()
    body = client.get("/u/anna.json").get_json()
    user = body["user"]
    assert set(user) >= {"id", "username", "name", "avatar_template", "created_at",
                         "last_seen_at", "trust_level", "moderator", "admin", "title",
                         "bio_cooked", "post_count", "topic_count"}
    assert user["name"] == "Анна Петровна" and user["organisation"] == "Школа № 5"
    assert (user["topic_count"], user["post_count"]) == (1, 1)
    assert [p["topic_id"] for p in user["recent_posts"]] == [topic.id]
    assert "bio_raw" not in user and "email" not in user


def test_user_json_gives_the_owner_their_bio_raw(client, member, as_member):
    body = client.get("/users/ANNA.json", headers=as_member).get_json()
    assert body["user"]["bio_raw"] == "" and body["user"]["can_edit"] is True


def test_user_json_of_an_anonymised_account_is_not_found(client, db, member):
    from forum.accounts.services import delete_account

    delete_account(member, actor=member)
    db.session.commit()
    assert client.get(f"/u/anon{member.id}.json").status_code == 404
    assert client.get("/u/anna.json").status_code == 404


def topic_first_post_id(client, topic) -> int:
    return client.get(f"/t/{topic.id}.json").get_json()["post_stream"]["stream"][0]
