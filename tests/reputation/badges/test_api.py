"""Discourse's badge routes: GET /badges.json, GET /user-badges/<username>.json,
POST /user_badges, DELETE /user_badges/<id>."""

import re

import pytest
from sqlalchemy import select

from forum.accounts.services import create_api_key
from forum.extensions import db
from forum.models import Notification, UserBadge
from forum.reputation.badges.engine import badges_by_slug
from tests import factories
from tests.reputation.badges.helpers import grants


@pytest.fixture(autouse=True)
def english(client):
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"


def _headers(user) -> dict:
    key = create_api_key(actor=None, user=user, description="test client")
    db.session.commit()
    return {"Api-Key": key, "Api-Username": user.username}


@pytest.fixture
def contest_badge(db):
    badge = badges_by_slug()["contest-winner"]
    db.session.commit()
    return badge


def test_badges_json_lists_every_badge_with_discourse_fields(client):
    data = client.get("/badges.json").get_json()
    first = next(b for b in data["badges"] if b["slug"] == "first-post")
    assert first["name"] == "First post" and first["badge_type_id"] == 3
    assert first["multiple_grant"] is False and first["grant_count"] == 0
    assert {t["name"] for t in data["badge_types"]} == {"Gold", "Silver", "Bronze"}


def test_badge_names_follow_the_readers_language(client):
    data = client.get("/badges.json", headers={"Accept-Language": "ru"}).get_json()
    assert "Первое сообщение" in {b["name"] for b in data["badges"]}


def test_user_badges_json_lists_a_members_grants(client, member, category):
    factories.make_topic(category=category, author=member)
    db.session.commit()
    data = client.get(f"/user-badges/{member.username}.json").get_json()
    slugs = {b["slug"] for b in data["badges"]}
    assert {"first-post", "first-topic"} <= slugs
    assert {ub["user_id"] for ub in data["user_badges"]} == {member.id}


def test_user_badges_hide_posts_the_reader_may_not_see(client, member, private_category):
    factories.make_topic(category=private_category, author=member)
    db.session.commit()
    data = client.get(f"/user-badges/{member.username}.json").get_json()  # a guest
    row = next(ub for ub in data["user_badges"]
               if ub["badge_id"] == badges_by_slug()["first-post"].id)
    assert row["post_id"] is None and row["topic_id"] is None


def test_user_badges_of_an_unknown_member_is_a_404(client):
    response = client.get("/user-badges/nobody.json")
    assert response.status_code == 404 and "errors" in response.get_json()


def test_an_admin_grants_the_contest_badge_with_a_reason(client, admin, member, contest_badge):
    response = client.post("/user_badges", headers=_headers(admin), json={
        "username": member.username, "badge_id": contest_badge.id,
        "reason": "Конкурс «Учитель года» 2026"})
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert data["user_badge"]["reason"] == "Конкурс «Учитель года» 2026"
    held = grants(member, "contest-winner")
    assert len(held) == 1 and held[0].granted_by_id == admin.id
    assert db.session.scalar(select(Notification).where(
        Notification.user_id == member.id, Notification.kind == "badge_granted"))


def test_the_contest_badge_may_be_granted_again_for_another_contest(client, admin, member,
                                                                   contest_badge):
    for contest in ("Конкурс 1", "Конкурс 2"):
        assert client.post("/user_badges", headers=_headers(admin), json={
            "username": member.username, "badge_id": contest_badge.id,
            "reason": contest}).status_code == 200
    assert len(grants(member, "contest-winner")) == 2


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"reason": "Конкурс"}, 404, "no member"),
    ({"username": "anna", "reason": "Конкурс", "badge_id": 999999}, 404, "no such badge"),
    ({"username": "anna", "badge_id": "abc", "reason": "x"}, 422, "whole number"),
    ({"username": "anna", "reason": "   "}, 422, "why"),
    ({"username": "anna", "reason": "x" * 501}, 422, "too long"),
])
def test_bad_grants_are_refused_with_a_clear_message_and_change_nothing(
        client, admin, member, contest_badge, body, status, words):
    body = {"badge_id": contest_badge.id, **body}
    response = client.post("/user_badges", headers=_headers(admin), json=body)
    assert response.status_code in (status, 400), response.get_json()
    assert words in " ".join(response.get_json()["errors"]).lower()
    assert db.session.scalar(select(UserBadge.id)) is None


def test_automatic_badges_cannot_be_granted_by_hand(client, admin, member):
    badge = badges_by_slug()["mentor"]
    db.session.commit()
    response = client.post("/user_badges", headers=_headers(admin), json={
        "username": member.username, "badge_id": badge.id, "reason": "Хочется"})
    assert response.status_code == 422
    assert "automatically" in response.get_json()["errors"][0]


def test_only_admins_grant_badges(client, moderator, member, contest_badge):
    response = client.post("/user_badges", headers=_headers(moderator), json={
        "username": member.username, "badge_id": contest_badge.id, "reason": "Конкурс"})
    assert response.status_code == 403
    assert grants(member, "contest-winner") == []


def test_guests_cannot_grant_badges(client, member, contest_badge):
    response = client.post("/user_badges", json={
        "username": member.username, "badge_id": contest_badge.id, "reason": "Конкурс"})
    assert response.status_code in (400, 403)


def _grant_contest(client, admin, member, contest_badge) -> int:
    response = client.post("/user_badges", headers=_headers(admin), json={
        "username": member.username, "badge_id": contest_badge.id, "reason": "Конкурс"})
    return response.get_json()["user_badge"]["id"]


def test_an_admin_revokes_a_hand_granted_badge_with_its_points_and_title(
        client, admin, member, contest_badge):
    from forum.models import ReputationEvent, User

    grant_id = _grant_contest(client, admin, member, contest_badge)
    db.session.get(User, member.id).title_badge_id = contest_badge.id
    db.session.commit()
    assert db.session.scalar(select(ReputationEvent.points).where(
        ReputationEvent.source_key == f"badge:{grant_id}")) is not None
    response = client.delete(f"/user_badges/{grant_id}.json", headers=_headers(admin))
    assert response.status_code == 200, response.get_json()
    db.session.expire_all()
    assert grants(member, "contest-winner") == []
    assert db.session.get(User, member.id).title_badge_id is None
    assert db.session.scalar(select(ReputationEvent.id).where(
        ReputationEvent.source_key == f"badge:{grant_id}")) is None
    assert db.session.get(type(contest_badge), contest_badge.id).grant_count == 0


def test_only_admins_revoke_and_automatic_badges_are_not_revoked_by_hand(
        client, admin, moderator, member, contest_badge):
    grant_id = _grant_contest(client, admin, member, contest_badge)
    assert client.delete(f"/user_badges/{grant_id}", headers=_headers(moderator)).status_code \
        == 403
    assert len(grants(member, "contest-winner")) == 1
    automatic = UserBadge(badge_id=badges_by_slug()["mentor"].id, user_id=member.id,
                          grant_key="")
    db.session.add(automatic)
    db.session.commit()
    refused = client.delete(f"/user_badges/{automatic.id}", headers=_headers(admin))
    assert refused.status_code == 422 and "automatically" in refused.get_json()["errors"][0]
    assert client.delete("/user_badges/999999", headers=_headers(admin)).status_code == 404


def test_the_badge_page_offers_admins_a_revoke_button(client, login, admin, member,
                                                      contest_badge):
    grant_id = _grant_contest(client, admin, member, contest_badge)
    login(admin)
    page = client.get(f"/badges/{contest_badge.id}/{contest_badge.slug}").get_data(as_text=True)
    assert f"/badges/grants/{grant_id}/revoke" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"/badges/grants/{grant_id}/revoke", data={"csrf_token": token})
    assert response.status_code == 302
    assert grants(member, "contest-winner") == []
