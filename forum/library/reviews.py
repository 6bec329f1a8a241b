"""Expert reviews (a rubric per expert per version), members' stars, and the derived mark
"recommended by experts"."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from forum import domain_events, permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import (
    REVIEW_CRITERIA,
    ExpertReview,
    Resource,
    ResourceRating,
    User,
    utcnow,
)
from forum.models.library import RECOMMENDED_MIN_AVERAGE, RECOMMENDED_MIN_REVIEWS

COMMENT_MAX = 3000


def is_recommended(review_count: int, average: float) -> bool:
    """The rule: at least two reviews of the current version, averaging 4 or more."""
    return review_count >= RECOMMENDED_MIN_REVIEWS and average >= RECOMMENDED_MIN_AVERAGE - 1e-9


def review_of(resource: Resource, user) -> ExpertReview | None:
    """The user's review of the resource's current version, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(ExpertReview).where(
        ExpertReview.version_id == resource.current_version_id, ExpertReview.user_id == user.id))


def save_review(resource: Resource, *, reviewer: User, scores: dict[str, int],
                comment: str) -> ExpertReview:
    """Create or edit the reviewer's review of the current version (one each)."""
    permissions.require(permissions.can_review_resource(reviewer, resource))
    for criterion in REVIEW_CRITERIA:
        value = scores.get(criterion)
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise DomainError(_("Give every criterion a score from 1 to 5."), field=criterion)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(_("The comment is too long (at most %(n)d characters).",
                            n=COMMENT_MAX), field="comment")
    review = review_of(resource, reviewer)
    created = review is None
    if created:
        review = ExpertReview(resource_id=resource.id, version_id=resource.current_version_id,
                              user_id=reviewer.id)
        db.session.add(review)
    for criterion in REVIEW_CRITERIA:
        setattr(review, criterion, scores[criterion])
    review.comment, review.updated_at = comment, utcnow()
    db.session.flush()
    refresh_review_stats(resource)
    domain_events.resource_reviewed.send(review, created=created)
    return review


def refresh_review_stats(resource: Resource) -> None:
    """Recount the current version's reviews and the recommendation (an event when it flips)."""
    mean = sum(getattr(ExpertReview, c) for c in REVIEW_CRITERIA) / float(len(REVIEW_CRITERIA))
    count, average = db.session.execute(
        select(func.count(ExpertReview.id), func.avg(mean))
        .where(ExpertReview.version_id == resource.current_version_id)).one()
    resource.review_count, resource.review_average = count or 0, float(average or 0.0)
    was = bool(resource.is_recommended)
    resource.is_recommended = is_recommended(resource.review_count, resource.review_average)
    db.session.flush()
    if was != resource.is_recommended and resource.removed_at is None:
        domain_events.resource_recommendation_changed.send(
            resource, recommended=resource.is_recommended)


def reviews_by_version(resource: Resource) -> list[tuple[int, list[ExpertReview]]]:
    """Every review of the resource, grouped by version number, the newest version first."""
    from forum.models import ResourceVersion

    rows = db.session.execute(
        select(ResourceVersion.number, ExpertReview)
        .join(ExpertReview, ExpertReview.version_id == ResourceVersion.id)
        .where(ExpertReview.resource_id == resource.id)
        .order_by(ResourceVersion.number.desc(), ExpertReview.created_at)).all()
    grouped: dict[int, list[ExpertReview]] = {}
    for number, review in rows:
        grouped.setdefault(number, []).append(review)
    return list(grouped.items())


# --- stars --------------------------------------------------------------------------------------

def rate(resource: Resource, *, user: User, stars: int) -> ResourceRating:
    """Set the member's usefulness stars for the resource (one rating each, changeable)."""
    permissions.require(permissions.can_rate_resource(user, resource))
    if not isinstance(stars, int) or not 1 <= stars <= 5:
        raise DomainError(_("Choose from 1 to 5 stars."), field="stars")
    rating = db.session.scalar(select(ResourceRating).where(
        ResourceRating.resource_id == resource.id, ResourceRating.user_id == user.id))
    if rating is None:
        rating = ResourceRating(resource_id=resource.id, user_id=user.id, stars=stars)
        db.session.add(rating)
    rating.stars = stars
    db.session.flush()
    count, total = db.session.execute(
        select(func.count(ResourceRating.id), func.coalesce(func.sum(ResourceRating.stars), 0))
        .where(ResourceRating.resource_id == resource.id)).one()
    resource.rating_count, resource.rating_sum = count, int(total)
    resource.rating_average = round(total / count, 3) if count else 0.0
    db.session.flush()
    return rating


def rating_of(resource: Resource, user) -> int | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(ResourceRating.stars).where(
        ResourceRating.resource_id == resource.id, ResourceRating.user_id == user.id))
