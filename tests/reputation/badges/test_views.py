"""Badge pages, the admin's grant form, the title chosen in preferences and shown beside names,
badges on profiles, and badge notifications that open the badge's page."""

import pytest
from flask import current_app, g
from sqlalchemy import select

from forum.extensions import db
from forum.models import Notification, User
from forum.reputation.badges.engine import badges_by_slug
from tests import factories
from tests.reputation.badges.helpers import change_trust_level, grants


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_the_badges_page_lists_every_badge_with_how_often_it_was_granted(client, member,
                                                                         category):
    factories.make_topic(category=category, author=member)
    db.session.commit()
    page = client.get("/badges").get_data(as_text=True)
    assert "First post" in page and "Contest winner" in page
    assert "1 time" in page


def test_the_badges_page_speaks_russian_to_russian_readers(client):
    page = client.get("/badges", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Первое сообщение" in page and "Победитель конкурса" in page


def test_a_badge_page_lists_its_holders_and_links_posts_the_reader_may_see(client, member,
                                                                          category):
    topic = factories.make_topic(category=category, author=member, title="Дроби в 5 классе")
    db.session.commit()
    badge = badges_by_slug()["first-post"]
    page = client.get(f"/badges/{badge.id}/first-post").get_data(as_text=True)
    assert member.display_name in page and "Дроби в 5 классе" in page
    assert f"/t/{topic.slug}/{topic.id}" in page


def test_a_badge_page_keeps_private_topics_unnamed(client, member, private_category):
    factories.make_topic(category=private_category, author=member, title="Секретная тема")
    db.session.commit()
    badge = badges_by_slug()["first-post"]
    page = client.get(f"/badges/{badge.id}/first-post").get_data(as_text=True)
    assert member.display_name in page and "Секретная тема" not in page


def test_a_badge_address_with_the_wrong_slug_redirects_to_the_right_one(client):
    badge = badges_by_slug()["mentor"]
    db.session.commit()
    response = client.get(f"/badges/{badge.id}/wrong")
    assert response.status_code == 301
    assert response.headers["Location"].endswith(f"/badges/{badge.id}/mentor")


def test_an_unknown_or_disabled_badge_is_a_404(client):
    badge = badges_by_slug()["mentor"]
    badge.is_enabled = False
    db.session.commit()
    assert client.get(f"/badges/{badge.id}/mentor").status_code == 404
    assert client.get("/badges/999999/x").status_code == 404


def test_the_profile_shows_the_members_badges(client, member, category):
    factories.make_topic(category=category, author=member)
    db.session.commit()
    page = client.get(f"/u/{member.username}").get_data(as_text=True)
    assert "First post" in page and "First topic" in page


def _give_title(user, slug="regular"):
    change_trust_level(user, 3)
    user.title_badge_id = badges_by_slug()[slug].id
    db.session.commit()


def test_a_title_shows_beside_the_name_on_posts_and_the_profile(client, member, topic):
    _give_title(member)
    page = client.get(f"/t/{topic.slug}/{topic.id}").get_data(as_text=True)
    assert '<span class="user-title">Regular</span>' in page
    profile = client.get(f"/u/{member.username}").get_data(as_text=True)
    assert '<span class="user-title">Regular</span>' in profile


def test_titles_cost_one_query_per_page_however_many_authors_have_one(client, category,
                                                                      count_queries):
    def titled_topic(authors: int) -> str:
        topic = factories.make_topic(category=category)
        for _ in range(authors):
            user = factories.make_user()
            factories.make_post(topic, author=user)
            _give_title(user)
        return f"/t/{topic.slug}/{topic.id}"

    def statements(url: str) -> int:
        db.session.remove()
        g.pop("_login_user", None)
        g.pop("kafedra_title_badges", None)
        current_app.extensions.pop("generation_memo", None)  # a cold start, as for `few`
        with count_queries() as run:
            assert client.get(url).status_code == 200
        return len(run)

    few, many = titled_topic(1), titled_topic(8)
    assert statements(few) == statements(many)


def test_a_member_chooses_a_title_among_their_badges_in_preferences(client, login, member):
    change_trust_level(member, 3)
    db.session.commit()
    login(member)
    page = client.get("/my/preferences").get_data(as_text=True)
    assert "Title shown beside your name" in page and "Regular" in page
    regular = badges_by_slug()["regular"]
    token = _csrf(page)
    response = client.post("/my/title", data={"title_badge_id": str(regular.id),
                                              "csrf_token": token})
    assert response.status_code == 302
    assert db.session.get(User, member.id).title_badge_id == regular.id
    client.post("/my/title", data={"title_badge_id": "", "csrf_token": token})
    assert db.session.get(User, member.id).title_badge_id is None


def test_a_title_the_member_does_not_hold_is_refused(client, login, member):
    change_trust_level(member, 1)  # "basic" is no title, and "leader" is not held
    db.session.commit()
    login(member)
    token = _csrf(client.get("/my/preferences").get_data(as_text=True))
    for slug in ("basic", "leader"):
        response = client.post("/my/title", data={
            "title_badge_id": str(badges_by_slug()[slug].id), "csrf_token": token},
            follow_redirects=True)
        assert "Choose one of your badges" in response.get_data(as_text=True)
    assert db.session.get(User, member.id).title_badge_id is None


def _csrf(page: str) -> str:
    import re
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_the_admin_grants_the_contest_badge_through_the_admin_page(client, login, admin,
                                                                   member):
    login(admin)
    page = client.get("/admin/badges").get_data(as_text=True)
    badge = badges_by_slug()["contest-winner"]
    response = client.post("/admin/badges", data={
        "csrf_token": _csrf(page), "username": member.username, "badge_id": str(badge.id),
        "reason": "Конкурс методических разработок"})
    assert response.status_code == 302
    assert [g.reason for g in grants(member, "contest-winner")] == [
        "Конкурс методических разработок"]


def test_a_bad_grant_in_the_admin_page_keeps_the_input_and_says_why(client, login, admin):
    login(admin)
    page = client.get("/admin/badges").get_data(as_text=True)
    badge = badges_by_slug()["contest-winner"]
    db.session.commit()
    response = client.post("/admin/badges", data={
        "csrf_token": _csrf(page), "username": "nobody", "badge_id": str(badge.id),
        "reason": "Конкурс чтецов"})
    text = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is no member with that name." in text and "Конкурс чтецов" in text


def test_the_admin_badges_page_is_for_admins_only(client, login, moderator):
    login(moderator)
    assert client.get("/admin/badges").status_code == 403


def test_a_badge_notification_opens_the_badges_page(client, login, member, category):
    factories.make_topic(category=category, author=member)
    db.session.commit()
    note = db.session.scalar(select(Notification).where(
        Notification.user_id == member.id, Notification.kind == "badge_granted"))
    login(member)
    page = client.get("/notifications").get_data(as_text=True)
    assert "You earned the badge" in page
    response = client.post(f"/notifications/{note.id}/open", data={"csrf_token": _csrf(page)})
    assert f"/badges/{note.data['badge_id']}" in response.headers["Location"]
