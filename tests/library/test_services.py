"""Library services: resources follow attachments, metadata, versions, reviews and the
recommendation, stars, download counting."""

from __future__ import annotations

import io
from datetime import date

import pytest
from sqlalchemy import func, select

from forum.errors import DomainError
from forum.library import downloads, reviews, services
from forum.models import ExpertReview, Resource, ResourceDownload
from tests import factories
from tests.library.builders import attach_file, detach_file, first_post, make_docx

GOOD = {"relevance": 5, "methodology": 4, "clarity": 4, "completeness": 5}
POOR = {"relevance": 3, "methodology": 3, "clarity": 3, "completeness": 3}


def _describe(resource, actor, **overrides):
    values = {"title": "Дроби: конспект", "description": "Урок в 5 классе",
              "category_id": resource.category_id, "grade_levels": ["5", "6"],
              "material_type": "lesson_plan", "tags": "дроби, 5 класс, Дроби",
              "licence": "cc-by-sa-4.0", **overrides}
    return services.update_metadata(resource, actor=actor, **values)


def test_attaching_a_file_creates_a_resource_described_from_file_and_post(resource, topic):
    assert resource.title == "Дроби"
    assert resource.category_id == topic.category_id
    assert resource.user_id == topic.user_id
    assert resource.version_number == 1 and resource.current_version.number == 1
    assert "Сложение дробей" in resource.extracted_text


def test_detaching_removes_the_resource_and_attaching_again_brings_it_back(db, topic):
    post = first_post(topic)
    upload = attach_file(post, filename="План.docx", data=make_docx("План"))
    detach_file(post, upload)
    resource = db.session.scalar(select(Resource))
    assert resource.removed_at is not None
    from forum import domain_events
    from forum.models import PostUpload

    link = PostUpload(post_id=post.id, upload_id=upload.id)
    db.session.add(link)
    db.session.flush()
    domain_events.upload_attached.send(link)
    assert resource.removed_at is None
    assert db.session.scalar(select(func.count(Resource.id))) == 1


def test_metadata_is_saved_normalised(resource, member):
    _describe(resource, member)
    assert resource.grade_list == ["5", "6"]
    assert resource.tag_list == ["дроби", "5 класс"]
    assert " конспект" in resource.search_stems


@pytest.mark.parametrize("override, field", [
    ({"title": "  "}, "title"),
    ({"title": "я" * 201}, "title"),
    ({"description": "д" * 5001}, "description"),
    ({"category_id": 999}, "subject"),
    ({"grade_levels": ["13"]}, "grades"),
    ({"material_type": "poem"}, "material_type"),
    ({"licence": "gpl"}, "licence"),
    ({"tags": ",".join(f"t{n}" for n in range(11))}, "tags"),
    ({"tags": "т" * 41}, "tags"),
])
def test_bad_metadata_is_refused_naming_the_field(resource, member, override, field):
    with pytest.raises(DomainError) as error:
        _describe(resource, member, **override)
    assert error.value.field == field


def test_a_private_subject_the_author_cannot_see_is_refused(db, resource, member):
    hidden = factories.make_category("Совет", permissions={"staff": 1})
    with pytest.raises(DomainError):
        _describe(resource, member, category_id=hidden.id)


def test_others_may_not_edit_metadata(resource, other_member):
    with pytest.raises(Exception) as error:
        _describe(resource, other_member)
    assert getattr(error.value, "code", None) == 403


def test_subject_moderator_may_edit_metadata(resource, subject_moderator):
    _describe(resource, subject_moderator, title="Поправлено модератором")
    assert resource.title == "Поправлено модератором"


def test_recommendation_needs_two_reviews_averaging_four():
    assert not reviews.is_recommended(1, 5.0)
    assert not reviews.is_recommended(2, 3.99)
    assert reviews.is_recommended(2, 4.0)


def test_one_review_per_expert_per_version_and_editable(db, resource, expert):
    first = reviews.save_review(resource, reviewer=expert, scores=POOR, comment="Слабо")
    again = reviews.save_review(resource, reviewer=expert, scores=GOOD, comment="Лучше")
    assert first.id == again.id and again.comment == "Лучше"
    assert db.session.scalar(select(func.count(ExpertReview.id))) == 1
    assert resource.review_count == 1 and not resource.is_recommended


def test_two_good_reviews_make_it_recommended(resource, expert, second_expert):
    reviews.save_review(resource, reviewer=expert, scores=GOOD, comment="")
    reviews.save_review(resource, reviewer=second_expert, scores=GOOD, comment="")
    assert resource.is_recommended and resource.review_average == pytest.approx(4.5)


def test_an_edit_down_takes_the_recommendation_away(resource, expert, second_expert):
    reviews.save_review(resource, reviewer=expert, scores=GOOD, comment="")
    reviews.save_review(resource, reviewer=second_expert, scores=GOOD, comment="")
    reviews.save_review(resource, reviewer=second_expert, scores=POOR, comment="")
    assert not resource.is_recommended  # (4.5 + 3) / 2 < 4


@pytest.mark.parametrize("scores", [
    {**GOOD, "clarity": 0}, {**GOOD, "clarity": 6}, {k: v for k, v in GOOD.items()
                                                    if k != "completeness"},
    {**GOOD, "relevance": None}])
def test_scores_outside_one_to_five_are_refused(db, resource, expert, scores):
    with pytest.raises(DomainError):
        reviews.save_review(resource, reviewer=expert, scores=scores, comment="")
    assert db.session.scalar(select(func.count(ExpertReview.id))) == 0


def test_a_new_version_keeps_old_reviews_on_the_old_version(db, resource, member, expert,
                                                             second_expert):
    reviews.save_review(resource, reviewer=expert, scores=GOOD, comment="")
    reviews.save_review(resource, reviewer=second_expert, scores=GOOD, comment="")
    old_version = resource.current_version_id
    services.add_version(resource, actor=member, stream=io.BytesIO(make_docx("Новая версия")),
                         filename="Дроби-2.docx")
    assert resource.version_number == 2 and resource.current_version_id != old_version
    assert resource.review_count == 0 and not resource.is_recommended
    assert "Новая версия" in resource.extracted_text
    grouped = dict(reviews.reviews_by_version(resource))
    assert set(grouped) == {1} and len(grouped[1]) == 2
    reviews.save_review(resource, reviewer=expert, scores=POOR, comment="v2")
    assert len(dict(reviews.reviews_by_version(resource))[2]) == 1


@pytest.mark.parametrize("filename, data", [
    ("virus.exe", b"MZ"), ("пусто.pdf", b""), ("....", b"x"),
])
def test_bad_versions_are_refused(resource, member, filename, data):
    with pytest.raises(DomainError):
        services.add_version(resource, actor=member, stream=io.BytesIO(data), filename=filename)
    assert resource.version_number == 1


def test_too_large_versions_are_refused(app, resource, member):
    app.config["UPLOAD_MAX_BYTES"] = 10
    with pytest.raises(DomainError):
        services.add_version(resource, actor=member, stream=io.BytesIO(b"x" * 11),
                             filename="a.txt")
    assert resource.version_number == 1


def test_a_version_gets_the_attachments_content_checks(resource, member):
    """A program renamed .pdf is refused as it would be in the composer."""
    with pytest.raises(DomainError):
        services.add_version(resource, actor=member,
                             stream=io.BytesIO(b"\x7fELF" + b"\0" * 200), filename="план.pdf")
    assert resource.version_number == 1


def test_stars_one_per_member_and_changeable(resource, other_member, admin):
    reviews.rate(resource, user=other_member, stars=2)
    reviews.rate(resource, user=other_member, stars=4)
    reviews.rate(resource, user=admin, stars=5)
    assert (resource.rating_count, resource.rating_average) == (2, 4.5)


def test_authors_cannot_rate_their_own_material(resource, member):
    with pytest.raises(Exception) as error:
        reviews.rate(resource, user=member, stars=5)
    assert getattr(error.value, "code", None) == 403


def test_downloads_count_once_per_person_per_day(db, resource):
    day = date(2026, 3, 1)
    assert downloads.record_download(resource, key="u:1", day=day)
    assert not downloads.record_download(resource, key="u:1", day=day)
    assert downloads.record_download(resource, key="g:abc", day=day)
    assert downloads.record_download(resource, key="u:1", day=date(2026, 3, 2))
    assert resource.download_count == 3
    assert db.session.scalar(select(func.count(ResourceDownload.id))) == 3


def test_visitor_keys_name_members_and_hash_guests(member):
    from flask_login import AnonymousUserMixin

    assert downloads.visitor_key(member, "1.2.3.4", "x") == f"u:{member.id}"
    guest = downloads.visitor_key(AnonymousUserMixin(), "1.2.3.4", "x")
    assert guest.startswith("g:") and "1.2.3.4" not in guest
    assert guest != downloads.visitor_key(AnonymousUserMixin(), "1.2.3.5", "x")
