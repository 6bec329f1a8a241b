"""JSON shapes of the library: a resource in a list, and a resource with its reviews."""

from __future__ import annotations

from flask import url_for

from forum.models import REVIEW_CRITERIA, ExpertReview, Resource


def resource_summary(resource: Resource, *, shows_subject: bool) -> dict:
    """shows_subject: whether the reader may see the subject (permissions.can_view_subject);
    a hidden subject is answered as no subject, its id and name both left out."""
    upload = resource.upload
    subject = resource.category if shows_subject else None
    return {
        "id": resource.id,
        "title": resource.title,
        "subject_id": subject.id if subject else None,
        "subject": subject.name if subject else None,
        "grade_levels": resource.grade_list,
        "material_type": resource.material_type,
        "tags": resource.tag_list,
        "licence": resource.licence,
        "author": resource.user.username if resource.user else None,
        "post_id": resource.post_id,
        "filename": upload.original_filename,
        "extension": upload.extension,
        "size": upload.size,
        "version": resource.version_number,
        "download_count": resource.download_count,
        "rating_average": resource.rating_average,
        "rating_count": resource.rating_count,
        "review_count": resource.review_count,
        "review_average": round(resource.review_average, 2),
        "recommended": resource.is_recommended,
        "created_at": resource.created_at.isoformat(),
        "url": url_for("library.show", resource_id=resource.id),
        "download_url": url_for("library.download", resource_id=resource.id),
    }


def review_data(review: ExpertReview, version_number: int) -> dict:
    return {"id": review.id, "version": version_number,
            "reviewer": review.user.username if review.user else None,
            **{c: getattr(review, c) for c in REVIEW_CRITERIA},
            "average": review.average, "comment": review.comment,
            "updated_at": review.updated_at.isoformat()}


def resource_data(resource: Resource, reviews_by_version, *, shows_subject: bool) -> dict:
    return {**resource_summary(resource, shows_subject=shows_subject),
            "description": resource.description,
            "post_url": resource.post.url,
            "reviews": [review_data(review, number) for number, items in reviews_by_version
                        for review in items]}
