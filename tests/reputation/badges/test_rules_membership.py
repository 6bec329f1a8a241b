"""Badges of membership: active member (days visited), autobiographer (profile), anniversary,
and the four trust-level badges."""

from datetime import timedelta

import pytest

from forum.extensions import db
from forum.models import utcnow
from forum.reputation.badges.engine import backfill
from forum.settings import set_setting
from tests import factories
from tests.reputation.badges.helpers import change_trust_level, grants, holds, visit_days


def test_active_member_comes_on_the_day_visits_reach_the_setting(member):
    visit_days(member, 49)
    assert not holds(member, "active-member")
    visit_days(member, 50)
    assert holds(member, "active-member")
    visit_days(member, 51)
    assert len(grants(member, "active-member")) == 1


def test_the_active_member_threshold_is_an_admin_setting(member):
    set_setting("badges_active_member_days", 5)
    visit_days(member, 5)
    assert holds(member, "active-member")


def test_autobiographer_needs_an_about_text_and_where_or_what_one_teaches(member):
    member.about = "Учу детей математике двадцать лет."
    visit_days(member, 1)
    assert not holds(member, "autobiographer")
    member.organisation = "Школа № 5"
    visit_days(member, 2)
    assert holds(member, "autobiographer")
    visit_days(member, 3)
    assert len(grants(member, "autobiographer")) == 1


def _joined(user, days_ago: int) -> None:
    user.created_at = utcnow() - timedelta(days=days_ago)
    db.session.flush()


def _post_at(topic, user, days_ago: int):
    post = factories.make_post(topic, author=user)
    post.created_at = utcnow() - timedelta(days=days_ago)
    db.session.flush()
    return post


def test_anniversary_needs_a_full_year_of_membership(topic, other_member):
    _joined(other_member, 360)
    _post_at(topic, other_member, 100)
    visit_days(other_member, 1)
    assert not holds(other_member, "anniversary")
    _joined(other_member, 370)
    visit_days(other_member, 2)
    assert [g.grant_key for g in grants(other_member, "anniversary")] == ["year:1"]


def test_anniversary_needs_a_post_in_that_year(topic, other_member):
    _joined(other_member, 800)  # two full years
    _post_at(topic, other_member, 200)  # 600 days after joining: the second year only
    backfill()
    assert [g.grant_key for g in grants(other_member, "anniversary")] == ["year:2"]


def test_anniversary_is_granted_once_per_year(topic, other_member):
    _joined(other_member, 800)
    _post_at(topic, other_member, 790)
    _post_at(topic, other_member, 780)
    _post_at(topic, other_member, 400)
    visit_days(other_member, 1)
    visit_days(other_member, 2)
    backfill()
    assert sorted(g.grant_key for g in grants(other_member, "anniversary")) == [
        "year:1", "year:2"]


@pytest.mark.parametrize(("level", "slug"), [(1, "basic"), (2, "member"), (3, "regular"),
                                             (4, "leader")])
def test_each_trust_level_badge_comes_when_the_level_is_reached(level, slug, member):
    change_trust_level(member, level - 1)
    assert not holds(member, slug)
    change_trust_level(member, level)
    assert holds(member, slug)


def test_a_jump_of_several_levels_grants_every_level_passed(member):
    change_trust_level(member, 3)
    assert all(holds(member, slug) for slug in ("basic", "member", "regular"))
    assert not holds(member, "leader")


def test_trust_level_badges_stay_after_a_demotion_and_are_not_granted_twice(member):
    change_trust_level(member, 3)
    change_trust_level(member, 2)
    change_trust_level(member, 3)
    assert holds(member, "regular")
    assert len(grants(member, "regular")) == 1
