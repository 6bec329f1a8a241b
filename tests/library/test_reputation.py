"""Library badges and reputation: granted by the events and by the backfill alike, once,
never from places the member cannot read; a recommended material credits its author and the
recompute agrees."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, select

from forum.library import downloads, reviews
from forum.models import ReputationEvent, UserBadge
from forum.reputation import points
from forum.reputation.badges.engine import backfill
from forum.reputation.recompute import recompute
from forum.settings import set_setting
from tests import factories
from tests.library.builders import first_post, make_resource
from tests.library.conftest import make_expert
from tests.library.test_services import GOOD, POOR
from tests.reputation.badges.helpers import grants, holds
from tests.reputation.helpers import ledger


def _points_for_resources(user) -> list[tuple]:
    return [e for e in ledger(user) if e[1] == points.KIND_RESOURCE]


def test_sharing_a_first_material_earns_the_author_badge_once(db, member, category):
    assert not holds(member, "resource-author")
    make_resource(first_post(factories.make_topic(category=category, author=member)))
    make_resource(first_post(factories.make_topic(category=category, author=member)))
    assert len(grants(member, "resource-author")) == 1


def test_a_material_downloaded_by_enough_people_earns_popular_material(db, resource, member,
                                                                       admin):
    set_setting("badges_popular_resource_downloads", 3)
    for n in range(2):
        downloads.record_download(resource, key=f"g:{n}")
    assert not holds(member, "popular-resource")
    downloads.record_download(resource, key="g:0", day=date.today() + timedelta(days=1))
    assert len(grants(member, "popular-resource")) == 1
    downloads.record_download(resource, key="g:9")
    assert len(grants(member, "popular-resource")) == 1  # once per material


def test_reviews_earn_reviewer_then_expert(db, category, member, expert, admin):
    set_setting("badges_expert_reviews", 2)
    first = make_resource(first_post(factories.make_topic(category=category, author=member)))
    second = make_resource(first_post(factories.make_topic(category=category, author=member)))
    reviews.save_review(first, reviewer=expert, scores=GOOD, comment="")
    assert holds(expert, "reviewer") and not holds(expert, "expert")
    reviews.save_review(first, reviewer=expert, scores=POOR, comment="")  # an edit
    assert not holds(expert, "expert")
    reviews.save_review(second, reviewer=expert, scores=GOOD, comment="")
    assert holds(expert, "expert")


def test_material_in_a_category_the_author_can_no_longer_read_earns_nothing(db, member):
    staff_only = factories.make_category("Штаб", permissions={"staff": 1})
    topic = factories.make_topic(category=staff_only, author=factories.make_user(role="admin"))
    post = first_post(topic)
    post.user_id = member.id  # e.g. moved there by a coordinator
    db.session.flush()
    make_resource(post)
    assert not holds(member, "resource-author")
    assert backfill().get("resource-author", 0) == 0


def test_the_backfill_grants_the_library_badges_the_events_would_have(db, resource, member,
                                                                      expert, admin):
    set_setting("badges_popular_resource_downloads", 1)
    reviews.save_review(resource, reviewer=expert, scores=GOOD, comment="")
    downloads.record_download(resource, key="g:1")
    held = sorted((b.user_id, b.badge.slug, b.grant_key) for b in db.session.scalars(
        select(UserBadge)) if b.badge.slug in {"resource-author", "popular-resource",
                                               "reviewer"})
    assert len(held) == 3
    db.session.execute(delete(UserBadge))
    backfill()
    again = sorted((b.user_id, b.badge.slug, b.grant_key) for b in db.session.scalars(
        select(UserBadge)) if b.badge.slug in {"resource-author", "popular-resource",
                                               "reviewer"})
    assert again == held
    assert sum(backfill().values()) == 0


def test_recommended_material_credits_its_author_and_losing_it_takes_it_back(
        db, resource, member, expert, second_expert, admin):
    set_setting("reputation_points_resource_recommended", 30)
    reviews.save_review(resource, reviewer=expert, scores=GOOD, comment="")
    assert _points_for_resources(member) == []
    reviews.save_review(resource, reviewer=second_expert, scores=GOOD, comment="")
    assert [e[3] for e in _points_for_resources(member)] == [30]
    reviews.save_review(resource, reviewer=second_expert, scores=POOR, comment="")
    assert _points_for_resources(member) == []


def test_recompute_gives_the_same_ledger_as_the_events(db, category, member, expert,
                                                       second_expert, expert_group):
    resources = [make_resource(first_post(factories.make_topic(category=category,
                                                               author=member)))
                 for _ in range(3)]
    third = make_expert(expert_group, "expert3")
    for resource in resources[:2]:
        for who in (expert, second_expert):
            reviews.save_review(resource, reviewer=who, scores=GOOD, comment="")
    reviews.save_review(resources[1], reviewer=third, scores=POOR, comment="")  # 4.5,4.5,3
    db.session.commit()
    before = ledger()
    assert len([e for e in before if e[1] == points.KIND_RESOURCE]) == 2
    db.session.execute(delete(ReputationEvent).where(
        ReputationEvent.kind == points.KIND_RESOURCE))
    recompute()
    assert ledger() == before
