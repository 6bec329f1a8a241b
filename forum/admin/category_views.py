"""Admin pages for categories: the list, create and edit, with permissions per group."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from forum.admin import queries
from forum.admin.forms import (
    LEVEL_CHOICES,
    LEVEL_LABELS,
    AddMemberForm,
    category_form,
    permission_field_name,
    permissions_from_form,
)
from forum.admin.views import bp
from forum.categories import services
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.models import Category
from forum.security import csrf_in_form


@bp.get("/categories")
def categories():
    return render_template("admin/categories.html", categories=queries.category_list(),
                           level_labels=LEVEL_LABELS)


@bp.route("/categories/new", methods=["GET", "POST"])
@csrf_in_form
def new_category():
    groups = queries.all_groups()
    form = category_form(groups, creating=True)
    _parent_choices(form, None)
    if request.method == "GET":
        _show_permissions(form, groups, services.DEFAULT_PERMISSIONS)
    if form.validate_on_submit():
        levels = permissions_from_form(form, groups)
        try:
            category = services.create_category(
                actor=current_user, name=form.name.data, slug=form.slug.data or None,
                description=form.description.data or "", color=form.color.data,
                position=form.position.data, parent=_parent(form),
                permissions_by_group=levels)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The category %(name)s was created.", name=category.name), "success")
            return redirect(url_for("admin.categories"))
    return _render_form(form, groups, None)


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@csrf_in_form
def edit_category(category_id: int):
    category = queries.category_by_id(category_id)
    if category is None:
        abort(404)
    groups = queries.all_groups()
    form = category_form(groups, creating=False,
                         obj=category if request.method == "GET" else None)
    _parent_choices(form, category)
    if request.method == "GET":
        form.parent_id.data = category.parent_id or 0
        _show_permissions(form, groups, {p.group.name: p.permission_type
                                         for p in category.permissions})
    if form.validate_on_submit():
        try:
            services.update_category(
                category, actor=current_user, name=form.name.data,
                description=form.description.data or "", color=form.color.data,
                position=form.position.data if form.position.data is not None
                else category.position)
            services.move_category(category, actor=current_user, parent=_parent(form))
            services.set_permissions(category, permissions_from_form(form, groups),
                                     actor=current_user)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The category %(name)s was saved.", name=category.name), "success")
            return redirect(url_for("admin.categories"))
    return _render_form(form, groups, category)


def _render_form(form, groups, category: Category | None, moderator_form=None):
    rows = [(group, form[permission_field_name(group)]) for group in groups]
    return render_template("admin/category_form.html", form=form, category=category,
                           permission_rows=rows, level_choices=LEVEL_CHOICES,
                           moderator_form=moderator_form or AddMemberForm(formdata=None)), (
        422 if request.method == "POST" else 200)


def _get_category(category_id: int) -> Category:
    category = queries.category_by_id(category_id)
    if category is None:
        abort(404)
    return category


@bp.post("/categories/<int:category_id>/moderators")
@csrf_in_form
def add_category_moderator(category_id: int):
    """Make a member (by username) a subject moderator of the category."""
    category = _get_category(category_id)
    form = AddMemberForm()
    if not form.validate_on_submit():
        return _render_edit(category, form)
    user = queries.user_by_username(form.username.data)
    try:
        if user is None or not user.is_active:
            raise DomainError(_("There is no user with this name."), field="username")
        services.assign_moderator(category, user, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        attach_to_form(form, error)
        return _render_edit(category, form)
    db.session.commit()
    flash(_("%(name)s now moderates %(category)s.", name=user.username, category=category.name),
          "success")
    return redirect(url_for("admin.edit_category", category_id=category.id) + "#moderators")


def _render_edit(category: Category, moderator_form):
    """The category's edit page as stored, with the moderator form that failed."""
    groups = queries.all_groups()
    form = category_form(groups, creating=False, formdata=None, obj=category)
    _parent_choices(form, category)
    form.parent_id.data = category.parent_id or 0
    _show_permissions(form, groups, {p.group.name: p.permission_type
                                     for p in category.permissions})
    return _render_form(form, groups, category, moderator_form=moderator_form)


@bp.post("/categories/<int:category_id>/moderators/<int:user_id>/remove")
def remove_category_moderator(category_id: int, user_id: int):
    category = _get_category(category_id)
    user = queries.user_by_id(user_id)
    if user is None:
        abort(404)
    services.remove_moderator(category, user, actor=current_user)
    db.session.commit()
    flash(_("%(name)s no longer moderates %(category)s.", name=user.username,
            category=category.name), "success")
    return redirect(url_for("admin.edit_category", category_id=category.id) + "#moderators")


def _parent_choices(form, category: Category | None) -> None:
    """One level of subcategories: only top-level categories can be parents."""
    form.parent_id.choices = [SelectChoice(0, _("— none (top level) —"))] + [
        SelectChoice(c.id, c.name) for c in queries.top_level_categories(excluding=category)]


def _show_permissions(form, groups, levels_by_name: dict[str, int]) -> None:
    for group in groups:
        level = levels_by_name.get(group.name)
        form[permission_field_name(group)].data = str(level) if level else ""


def _parent(form) -> Category | None:
    return queries.category_by_id(form.parent_id.data) if form.parent_id.data else None
