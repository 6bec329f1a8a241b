"""Library pages and their JSON twins: browse and search, a resource, its download and
preview, and the author's, experts' and members' forms. Adapters over forum.library's
services: load (404 for what the viewer may not see), call one service, commit once."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from wtforms import SelectChoice

from forum import permissions
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.library import downloads, experts, queries, reviews, services
from forum.library.forms import (
    ExpertGroupForm,
    MetadataForm,
    RatingForm,
    ReviewForm,
    VersionForm,
)
from forum.library.labels import (
    CRITERION_LABELS,
    GRADE_LABELS,
    LICENCE_LABELS,
    MATERIAL_TYPE_LABELS,
    SORT_LABELS,
)
from forum.library.serializers import resource_data, resource_summary
from forum.models import GRADE_LEVELS, LICENCES, MATERIAL_TYPES, Category, Group, Resource
from forum.uploads.serving import send_stored
from forum.uploads.storage import storage

bp = Blueprint("library", __name__)
MAX_PREVIEW_BYTES = 30 * 1024 * 1024


@bp.context_processor
def library_labels() -> dict:
    return {"grade_labels": GRADE_LABELS, "type_labels": MATERIAL_TYPE_LABELS,
            "licence_labels": LICENCE_LABELS, "criterion_labels": CRITERION_LABELS,
            "sort_labels": SORT_LABELS}


def visible_resource(resource_id: int) -> Resource:
    """The resource, or 404 when it does not exist or the viewer may not see it."""
    resource = queries.resource_by_id(resource_id)
    permissions.require(resource is not None
                        and permissions.can_view_resource(current_user, resource), hide=True)
    return resource


# --- browsing -----------------------------------------------------------------------------------

def _filters() -> queries.LibraryFilters:
    """Filters from the query string; unknown values are ignored rather than refused."""
    args = request.args
    subject = args.get("subject", type=int)
    return queries.LibraryFilters(
        subject=subject if subject and subject > 0 else None,
        grade=args.get("grade") if args.get("grade") in GRADE_LEVELS else None,
        material_type=args.get("type") if args.get("type") in MATERIAL_TYPES else None,
        licence=args.get("licence") if args.get("licence") in LICENCES else None,
        q=(args.get("q") or "")[:200],
        sort=args.get("sort") if args.get("sort") in queries.SORTS else "newest",
        page=min(max(args.get("page", 1, type=int), 1), 10_000))


@bp.route("/library")
def index():
    filters = _filters()
    page = queries.library_page(current_user, filters)
    subjects = queries.subject_choices(current_user)
    return render_template("library/index.html", page=page, filters=filters,
                           subjects=subjects, subject_labels=queries.subject_labels(subjects))


@bp.route("/library.json")
def index_json():
    filters = _filters()
    page = queries.library_page(current_user, filters)
    shown = queries.shown_subject_ids(current_user, page.resources)
    return jsonify({"resources": [resource_summary(r, shows_subject=r.category_id in shown)
                                  for r in page.resources],
                    "page": page.page, "more": page.has_more})


# --- one resource -------------------------------------------------------------------------------

@bp.route("/library/<int:resource_id>")
def show(resource_id: int):
    return _render_resource(visible_resource(resource_id))


def _render_resource(resource: Resource, *, review_form=None, rating_form=None,
                     version_form=None, status: int = 200):
    own_review = reviews.review_of(resource, current_user)
    if review_form is None:
        review_form = ReviewForm(obj=own_review) if own_review else ReviewForm()
        if own_review:
            for criterion in CRITERION_LABELS:
                getattr(review_form, criterion).data = str(getattr(own_review, criterion))
    my_stars = reviews.rating_of(resource, current_user)
    rating_form = rating_form or RatingForm(stars=str(my_stars or 5))
    return render_template(
        "library/show.html", resource=resource, reviews_by_version=reviews.reviews_by_version(
            resource), own_review=own_review, review_form=review_form,
        rating_form=rating_form, my_stars=my_stars, version_form=version_form or VersionForm(),
        ), status


@bp.route("/library/<int:resource_id>.json")
def show_json(resource_id: int):
    resource = visible_resource(resource_id)
    return jsonify({"resource": resource_data(
        resource, reviews.reviews_by_version(resource),
        shows_subject=permissions.can_view_subject(current_user, resource))})


@bp.route("/library/<int:resource_id>/edit", methods=["GET", "POST"])
@login_required
def edit(resource_id: int):
    resource = visible_resource(resource_id)
    permissions.require(permissions.can_edit_resource(current_user, resource))
    form = MetadataForm(obj=None if request.method == "POST" else resource)
    form.subject.choices = [SelectChoice(str(c.id), c.name)
                           for c in queries.subject_choices(current_user)]
    if request.method == "GET":
        form.subject.data = str(resource.category_id or "")
        form.grades.data = resource.grade_list
        form.tags.data = ", ".join(resource.tag_list)
    status = 200
    if form.validate_on_submit():
        try:
            services.update_metadata(
                resource, actor=current_user, title=form.title.data,
                description=form.description.data,
                category_id=int(form.subject.data) if (form.subject.data or "").isdigit()
                else None, grade_levels=form.grades.data or [],
                material_type=form.material_type.data, tags=form.tags.data,
                licence=form.licence.data)
            db.session.commit()
            flash(_("The description of the material is saved."), "success")
            return redirect(url_for("library.show", resource_id=resource.id))
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
            status = 422
    elif request.method == "POST":
        status = 422
    return render_template("library/edit.html", resource=resource, form=form), status


@bp.route("/library/<int:resource_id>/review", methods=["POST"])
@login_required
def review(resource_id: int):
    resource = visible_resource(resource_id)
    permissions.require(permissions.can_review_resource(current_user, resource))
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            reviews.save_review(resource, reviewer=current_user, scores=form.scores(),
                                comment=form.comment.data)
            db.session.commit()
            flash(_("Your review is saved."), "success")
            return redirect(url_for("library.show", resource_id=resource.id) + "#reviews")
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
    return _render_resource(resource, review_form=form, status=422)


@bp.route("/library/<int:resource_id>/rate", methods=["POST"])
@login_required
def rate(resource_id: int):
    resource = visible_resource(resource_id)
    permissions.require(permissions.can_rate_resource(current_user, resource))
    form = RatingForm()
    if form.validate_on_submit():
        try:
            stars = int(form.stars.data) if (form.stars.data or "").isdigit() else 0
            reviews.rate(resource, user=current_user, stars=stars)
            db.session.commit()
            flash(_("Thank you: your rating is saved."), "success")
            return redirect(url_for("library.show", resource_id=resource.id))
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
    return _render_resource(resource, rating_form=form, status=422)


@bp.route("/library/<int:resource_id>/versions", methods=["POST"])
@login_required
def add_version(resource_id: int):
    resource = visible_resource(resource_id)
    permissions.require(permissions.can_edit_resource(current_user, resource))
    form = VersionForm()
    if form.validate_on_submit():
        upload = form.file.data
        try:
            if not upload or not upload.filename:
                raise DomainError(_("Choose a file to upload."), field="file")
            services.add_version(resource, actor=current_user, stream=upload.stream,
                                 filename=upload.filename, content_type=upload.mimetype)
            db.session.commit()
            flash(_("The new version is uploaded; earlier reviews stay with the earlier "
                    "version."), "success")
            return redirect(url_for("library.show", resource_id=resource.id))
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
    return _render_resource(resource, version_form=form, status=422)


# --- files --------------------------------------------------------------------------------------

@bp.route("/library/<int:resource_id>/download")
def download(resource_id: int):
    """The current version's bytes, as an attachment, counted once per person per day."""
    resource = visible_resource(resource_id)
    permissions.require(permissions.can_download_resource(current_user, resource), hide=True)
    upload = resource.upload
    permissions.require(storage().exists(upload.sha256), hide=True)
    key = downloads.visitor_key(current_user, request.remote_addr,
                                request.headers.get("User-Agent"))
    downloads.record_download(resource, key=key)
    db.session.commit()
    return send_stored(upload.sha256, upload, upload.content_type, inline=False)


@bp.route("/library/<int:resource_id>/preview")
def preview(resource_id: int):
    """The preview picture (small: read whole, so nothing stays open)."""
    resource = visible_resource(resource_id)
    permissions.require(resource.preview_sha256 is not None, hide=True)
    try:
        with storage().open(resource.preview_sha256) as handle:
            data = handle.read(MAX_PREVIEW_BYTES)
    except (OSError, ValueError):
        permissions.require(False, hide=True)
    mimetype = "image/png"
    if resource.preview_sha256 == resource.upload.sha256:  # an image shown as it is
        declared = resource.upload.content_type or ""
        safe = declared.startswith("image/") and "svg" not in declared
        mimetype = declared if safe else "application/octet-stream"
    response = Response(data, mimetype=mimetype)
    response.set_etag(resource.preview_sha256)
    response.headers["Cache-Control"] = "private, max-age=3600"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response.make_conditional(request)


# --- expert groups (admins) ---------------------------------------------------------------------

@bp.route("/library/experts", methods=["GET", "POST"])
@login_required
def expert_groups():
    """Which group reviews each subject: ordinary groups (admin › groups) linked to subjects."""
    permissions.require(permissions.can_manage_expert_groups(current_user))
    form = ExpertGroupForm()
    subjects = queries.subject_choices(current_user)
    all_groups = [g for g in db.session.scalars(select(Group).order_by(Group.name))
                  if not g.is_automatic]
    form.subject.choices = [SelectChoice(str(c.id), c.name) for c in subjects]
    form.group.choices = [SelectChoice("", _("— nobody —"))] + [
        SelectChoice(str(g.id), g.full_name or g.name) for g in all_groups]
    status = 200
    if form.validate_on_submit():
        category = db.session.get(Category, int(form.subject.data)) \
            if (form.subject.data or "").isdigit() else None
        group = db.session.get(Group, int(form.group.data)) \
            if (form.group.data or "").isdigit() else None
        if category is None or (form.group.data and (group is None or group.is_automatic)):
            form.form_errors.append(_("Choose a subject and a group from the lists."))
            status = 422
        else:
            experts.set_expert_group(category, group, actor=current_user)
            db.session.commit()
            flash(_("The expert group of %(subject)s is saved.", subject=category.name),
                  "success")
            return redirect(url_for("library.expert_groups"))
    elif request.method == "POST":
        status = 422
    current = {c.id: experts.expert_group_of(c) for c in subjects}
    return render_template("library/experts.html", form=form, subjects=subjects,
                           current=current), status
