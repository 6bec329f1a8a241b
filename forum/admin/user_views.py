"""Admin pages for people: the user list, one user's page, and what an admin changes there."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from forum.accounts import services as accounts
from forum.admin import queries
from forum.admin.forms import (
    ROLE_LABELS,
    AddToGroupForm,
    DeleteUserForm,
    ModeratorForm,
    RoleForm,
    UserApiKeyForm,
)
from forum.admin.views import bp
from forum.categories import services as categories
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.groups import services as groups
from forum.models import User
from forum.moderation import log_queries
from forum.security import csrf_in_form


def _get_user(user_id: int) -> User:
    user = queries.user_by_id(user_id)
    if user is None:
        abort(404)
    return user


@bp.get("/users")
def users():
    query = request.args.get("q", "")
    listing = queries.user_page(query, request.args.get("page", 1, type=int))
    return render_template("admin/users.html", listing=listing, query=query,
                           role_labels=ROLE_LABELS)


@bp.get("/users/<int:user_id>")
def user(user_id: int):
    return _render_user(_get_user(user_id))


def _render_user(user: User, status: int = 200, **forms):
    """The user page; the form that failed is passed in, the others start empty."""
    role_form = forms.get("role_form") or RoleForm(formdata=None, role=user.role)
    group_form = forms.get("group_form") or AddToGroupForm(formdata=None)
    group_form.group_id.choices = _group_choices(excluding=user.groups)
    moderated = queries.moderated_categories(user)
    moderator_form = forms.get("moderator_form") or ModeratorForm(formdata=None)
    moderator_form.category_id.choices = _category_choices(excluding=moderated)
    return render_template(
        "admin/user.html", user=user, moderated=moderated, role_labels=ROLE_LABELS,
        role_form=role_form, group_form=group_form, moderator_form=moderator_form,
        api_key_form=forms.get("api_key_form") or UserApiKeyForm(formdata=None),
        delete_form=forms.get("delete_form") or DeleteUserForm(formdata=None),
        state=log_queries.sanction_state(user)), status


def _group_choices(*, excluding=()) -> list[SelectChoice]:
    """Named groups only: automatic groups follow the role."""
    return [SelectChoice(g.id, g.full_name or g.name) for g in queries.custom_groups()
            if g not in excluding]


def _category_choices(*, excluding=()) -> list[SelectChoice]:
    return [SelectChoice(c.id, c.name) for c in queries.category_list() if c not in excluding]


def _failed(user: User, form_name: str, form, error: DomainError | None = None):
    """Roll back, put the service's message beside the field, and show the page again."""
    if error is not None:
        db.session.rollback()
        attach_to_form(form, error)
    return _render_user(user, 422, **{form_name: form})


@bp.post("/users/<int:user_id>/role")
@csrf_in_form
def set_role(user_id: int):
    user = _get_user(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _failed(user, "role_form", form)
    try:
        accounts.set_role(user, actor=current_user, role=form.role.data)
    except DomainError as error:
        return _failed(user, "role_form", form, error)
    db.session.commit()
    flash(_("%(name)s is now: %(role)s.", name=user.username, role=ROLE_LABELS[user.role]),
          "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/groups")
@csrf_in_form
def add_to_group(user_id: int):
    user = _get_user(user_id)
    form = AddToGroupForm()
    form.group_id.choices = _group_choices()
    if not form.validate_on_submit():
        return _failed(user, "group_form", form)
    group = queries.group_by_id(form.group_id.data)
    try:
        groups.add_member(group, user, actor=current_user)
    except DomainError as error:
        return _failed(user, "group_form", form, error)
    db.session.commit()
    flash(_("%(name)s was added to the group %(group)s.", name=user.username, group=group.name),
          "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/groups/<int:group_id>/remove")
def remove_from_group(user_id: int, group_id: int):
    user = _get_user(user_id)
    group = queries.group_by_id(group_id)
    if group is None:
        abort(404)
    groups.remove_member(group, user, actor=current_user)
    db.session.commit()
    flash(_("%(name)s was removed from the group %(group)s.", name=user.username,
            group=group.name), "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/moderates")
@csrf_in_form
def assign_moderator(user_id: int):
    user = _get_user(user_id)
    form = ModeratorForm()
    form.category_id.choices = _category_choices()
    if not form.validate_on_submit():
        return _failed(user, "moderator_form", form)
    category = queries.category_by_id(form.category_id.data)
    try:
        categories.assign_moderator(category, user, actor=current_user)
    except DomainError as error:
        return _failed(user, "moderator_form", form, error)
    db.session.commit()
    flash(_("%(name)s now moderates %(category)s.", name=user.username, category=category.name),
          "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/moderates/<int:category_id>/remove")
def remove_moderator(user_id: int, category_id: int):
    user = _get_user(user_id)
    category = queries.category_by_id(category_id)
    if category is None:
        abort(404)
    categories.remove_moderator(category, user, actor=current_user)
    db.session.commit()
    flash(_("%(name)s no longer moderates %(category)s.", name=user.username,
            category=category.name), "success")
    return redirect(url_for("admin.user", user_id=user.id))


@bp.post("/users/<int:user_id>/api-key")
@csrf_in_form
def create_user_api_key(user_id: int):
    user = _get_user(user_id)
    form = UserApiKeyForm()
    if not user.is_active:
        form.form_errors.append(_("A deleted account cannot have API keys."))
        return _failed(user, "api_key_form", form)
    if not form.validate_on_submit():
        return _failed(user, "api_key_form", form)
    key = accounts.create_api_key(actor=current_user, user=user,
                                  description=form.description.data or "")
    db.session.commit()
    return key_created_page(key, user)


def key_created_page(key: str, user: User | None):
    """The one time a key is shown; never cached, never put in the session."""
    response = make_response(render_template("admin/api_key_created.html", key=key, user=user))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/users/<int:user_id>/delete")
@csrf_in_form
def delete_user(user_id: int):
    user = _get_user(user_id)
    form = DeleteUserForm()
    if not form.validate_on_submit():
        return _failed(user, "delete_form", form)
    name = user.username
    try:
        accounts.delete_account(user, actor=current_user)
    except DomainError as error:
        return _failed(user, "delete_form", form, error)
    db.session.commit()
    flash(_("The account %(name)s was deleted and anonymised.", name=name), "success")
    return redirect(url_for("admin.users"))
