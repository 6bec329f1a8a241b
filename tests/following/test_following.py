"""Watching levels, muting, new and unread lists with counts, resuming at the first unread."""

from __future__ import annotations

import re

from forum.extensions import db
from forum.following import queries, services
from forum.models import LEVEL_MUTED, LEVEL_TRACKING, LEVEL_WATCHING, TopicUser
from forum.topics import services as topics
from tests import factories


def test_creating_a_topic_watches_it_and_replying_tracks_it(topic, member, other_member):
    topics.reply(topic, author=other_member, raw="Ответ в теме.")
    levels = {row.user_id: row.notification_level for row in db.session.query(TopicUser)}
    assert levels == {member.id: LEVEL_WATCHING, other_member.id: LEVEL_TRACKING}


def test_a_level_the_member_chose_survives_replying(topic, other_member):
    services.set_topic_level(topic, user=other_member, level=LEVEL_MUTED)
    topics.reply(topic, author=other_member, raw="Ответ в теме.")
    assert queries.topic_state(other_member, topic).level == LEVEL_MUTED


def test_levels_are_read_by_name_or_number():
    assert services.parse_level("watching") == 3 and services.parse_level("0") == 0


def test_the_topic_form_sets_the_level(login, client, topic, other_member):
    login(other_member)
    response = client.post(f"/t/{topic.id}/notification-level", data={"notification_level": "3"})
    assert response.status_code == 302
    assert queries.topic_state(other_member, topic).level == LEVEL_WATCHING
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert '<option value="3" selected>' in page


def test_a_bad_level_is_refused_with_a_message(login, client, topic, other_member):
    login(other_member)
    response = client.post(f"/t/{topic.id}/notification-level", data={"notification_level": "9"},
                           follow_redirects=True)
    assert "Выберите один из уровней уведомлений." in response.get_data(as_text=True)
    assert queries.topic_state(other_member, topic).level == 1


def test_the_api_sets_topic_and_category_levels(login, client, topic, category, other_member):
    login(other_member)
    assert client.post(f"/t/{topic.id}/notifications",
                       json={"notification_level": 2}).get_json() == {"success": "OK"}
    assert client.post(f"/category/{category.id}/notifications",
                       json={"notification_level": "muted"}).status_code == 200
    assert queries.topic_state(other_member, topic).level == LEVEL_TRACKING
    assert queries.category_level(other_member, category) == LEVEL_MUTED
    bad = client.post(f"/t/{topic.id}/notifications", json={"notification_level": "loud"})
    assert bad.status_code == 422


def test_a_private_topics_level_cannot_be_set_by_outsiders(login, client, private_category,
                                                          member, student):
    topic = factories.make_topic(category=private_category, author=member)
    login(student)
    assert client.post(f"/t/{topic.id}/notifications",
                       json={"notification_level": 3}).status_code == 404


def test_muted_topics_and_categories_leave_latest(login, client, category, topic, other_member):
    muted_category = factories.make_category("Шум")
    noisy = factories.make_topic(category=muted_category, title="Тема в заглушённом разделе")
    services.set_category_level(muted_category, user=other_member, level=LEVEL_MUTED)
    services.set_topic_level(topic, user=other_member, level=LEVEL_MUTED)
    login(other_member)
    page = client.get("/latest").get_data(as_text=True)
    assert topic.title not in page and noisy.title not in page
    category_page = client.get(f"/c/{muted_category.slug}/{muted_category.id}")
    assert noisy.title in category_page.get_data(as_text=True)


def test_topics_from_before_the_member_joined_are_not_new(topic, other_member):
    assert queries.new_topics(other_member).ids == []


def test_new_lists_unopened_recent_topics_of_others(login, client, other_member, topic):
    mine = factories.make_topic(author=other_member, title="Моя собственная тема")
    assert queries.new_topics(other_member).ids == [topic.id]
    assert queries.counts(other_member).new == 1
    login(other_member)
    page = client.get("/new").get_data(as_text=True)
    assert topic.title in page and mine.title not in page
    data = client.get("/new.json").get_json()
    assert [t["id"] for t in data["topic_list"]["topics"]] == [topic.id]


def test_opening_a_topic_takes_it_out_of_new(other_member, topic):
    assert queries.counts(other_member).new == 1
    services.mark_read_up_to(other_member, topic, 1, enter=True)
    assert queries.counts(other_member).new == 0


def test_dismiss_new(login, client, other_member, topic):
    login(other_member)
    assert queries.new_topics(other_member).ids == [topic.id]
    client.post("/new/dismiss")
    assert queries.new_topics(other_member).ids == []


def test_unread_lists_tracked_topics_with_posts_past_the_read_position(topic, member,
                                                                      other_member):
    services.mark_read_up_to(other_member, topic, 1, enter=True)  # read on the page
    topics.reply(topic, author=other_member, raw="Первый ответ.")  # tracks, read to 2
    topics.reply(topic, author=member, raw="Ответ автора темы.")
    topics.reply(topic, author=member, raw="И ещё один.")
    assert queries.unread_topics(other_member).ids == [topic.id]
    assert queries.counts(other_member) == queries.Counts(new=0, unread=1)
    assert queries.marks_for(other_member, [topic.id])[topic.id].unread == 2
    services.mark_read_up_to(other_member, topic, 4, enter=True)
    assert queries.counts(other_member).unread == 0


def test_normal_topics_never_count_as_unread(topic, member, other_member):
    services.mark_read_up_to(other_member, topic, 1, enter=True)
    topics.reply(topic, author=member, raw="Новый ответ.")
    assert queries.counts(other_member).unread == 0


def test_latest_and_the_list_nav_show_the_members_counts(login, client, topic, member,
                                                         other_member):
    services.mark_read_up_to(other_member, topic, 1, enter=True)
    topics.reply(topic, author=other_member, raw="Первый ответ.")
    topics.reply(topic, author=member, raw="Ответ автора темы.")
    login(other_member)
    page = client.get("/latest").get_data(as_text=True)
    assert '<span aria-hidden="true">1</span>' in page
    assert 'data-list="unread"' in page and "(1)" in page
    unread = client.get("/unread.json").get_json()
    assert [t["id"] for t in unread["topic_list"]["topics"]] == [topic.id]


def test_lists_need_an_account(client):
    assert client.get("/new").status_code == 302
    assert client.get("/unread.json").status_code == 403


def test_opening_a_topic_resumes_at_the_first_unread_post(login, client, topic, member,
                                                          other_member):
    services.mark_read_up_to(other_member, topic, 1, enter=True)
    topics.reply(topic, author=other_member, raw="Первый ответ.")
    topics.reply(topic, author=member, raw="Ответ автора темы.")
    login(other_member)
    response = client.get(f"/t/{topic.slug}/{topic.id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/t/{topic.slug}/{topic.id}/3#post_3")
    assert client.get(f"/t/{topic.slug}/{topic.id}?page=1").status_code == 200


def test_posting_raises_the_read_position_it_does_not_enter(topic, member, other_member):
    topics.reply(topic, author=other_member, raw="Ответ без чтения страницы.")
    assert queries.topic_state(other_member, topic).last_read == 0
    services.mark_read_up_to(other_member, topic, 1, enter=True)
    topics.reply(topic, author=other_member, raw="Второй ответ.")
    assert queries.topic_state(other_member, topic).last_read == 3


def test_reading_reports_move_the_read_position(login, client, topic, member, other_member):
    services.mark_read_up_to(other_member, topic, 1, enter=True)
    topics.reply(topic, author=other_member, raw="Первый ответ.")
    topics.reply(topic, author=member, raw="Ответ автора темы.")
    login(other_member)
    response = client.post("/topics/timings", json={"topic_id": topic.id, "topic_time": 5000,
                                                    "timings": {"3": 4000}})
    assert response.status_code == 200
    assert queries.counts(other_member).unread == 0


def test_each_member_gets_their_own_marks_and_state_from_the_shared_statements(
        topic, member, other_member):
    # The marks and topic-state statements are built once and run with each viewer's values.
    services.mark_read_up_to(other_member, topic, 1, enter=True)
    topics.reply(topic, author=other_member, raw="Первый ответ.")  # tracks, read to 2
    topics.reply(topic, author=member, raw="Ответ автора темы.")
    fresh = factories.make_topic(category=topic.category, author=member, title="Свежая тема")
    services.set_topic_level(fresh, user=other_member, level=LEVEL_MUTED)
    db.session.commit()
    theirs = queries.marks_for(other_member, [topic.id, fresh.id])
    assert theirs[topic.id].unread == 1 and theirs[fresh.id].is_new
    assert queries.marks_for(member, [topic.id, fresh.id]) == {}
    assert queries.topic_state(other_member, topic) == queries.TopicState(LEVEL_TRACKING, 2)
    assert queries.topic_state(other_member, fresh) == queries.TopicState(LEVEL_MUTED, 0)
    assert queries.topic_state(member, fresh).level == LEVEL_WATCHING


def _level_form(html: str) -> str:
    return html[html.index("data-level-form"):html.index("</form>", html.index("data-level-form"))]


def test_the_kept_level_form_shows_each_member_their_own_level_and_token(
        app, login, topic, member, other_member):
    services.set_topic_level(topic, user=other_member, level=LEVEL_MUTED)
    db.session.commit()
    url = f"/t/{topic.slug}/{topic.id}"
    author = login(member)
    reader = app.test_client()
    reader.post("/login", data={"login": other_member.username,
                                "password": factories.PASSWORD})
    app.config["WTF_CSRF_ENABLED"] = True  # the forms then carry tokens, and posts need one
    author_form = _level_form(author.get(url).get_data(as_text=True))
    reader_form = _level_form(reader.get(url).get_data(as_text=True))

    assert f'<option value="{LEVEL_WATCHING}" selected>' in author_form
    assert f'<option value="{LEVEL_MUTED}" selected>' in reader_form
    assert f'<option value="{LEVEL_WATCHING}" selected>' not in reader_form
    (token,) = re.findall(r'name="csrf_token" value="([^"]+)"', reader_form)
    assert token not in author_form
    response = reader.post(f"/t/{topic.id}/notification-level",
                           data={"notification_level": str(LEVEL_TRACKING), "csrf_token": token})
    assert response.status_code == 302
    assert f'<option value="{LEVEL_TRACKING}" selected>' in _level_form(
        reader.get(url).get_data(as_text=True))

