"""Admin pages for groups: the list, creating a named group, and its members."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum.admin import queries
from forum.admin.forms import ROLE_LABELS, AddMemberForm, GroupForm
from forum.admin.views import bp
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.groups import services
from forum.models import Group
from forum.security import csrf_in_form


def _get_group(group_id: int) -> Group:
    group = queries.group_by_id(group_id)
    if group is None:
        abort(404)
    return group


@bp.get("/groups")
def groups():
    return render_template("admin/groups.html", groups=queries.all_groups(),
                           member_counts=queries.member_counts(),
                           roles_of=_roles_of)


@bp.route("/groups/new", methods=["GET", "POST"])
@csrf_in_form
def new_group():
    form = GroupForm()
    if form.validate_on_submit():
        try:
            group = services.create_group(actor=current_user, name=form.name.data,
                                          full_name=form.full_name.data or "",
                                          description=form.description.data or "")
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The group %(name)s was created.", name=group.name), "success")
            return redirect(url_for("admin.group", group_id=group.id))
    return render_template("admin/group_new.html", form=form), (
        422 if request.method == "POST" else 200)


@bp.get("/groups/<int:group_id>")
def group(group_id: int):
    return _render_group(_get_group(group_id), AddMemberForm(formdata=None))


def _render_group(group: Group, form: AddMemberForm, status: int = 200):
    members = [] if group.is_automatic else queries.group_members(group)
    return render_template("admin/group.html", group=group, members=members, form=form,
                           roles=_roles_of(group)), status


def _roles_of(group: Group) -> str:
    """Who belongs to an automatic group, in words."""
    if group.automatic_roles == "*":
        return _("everyone, guests included")
    if group.automatic_roles == "+":
        return _("every signed-in account")
    return ", ".join(str(ROLE_LABELS.get(role, role))
                     for role in (group.automatic_roles or "").split(","))


@bp.post("/groups/<int:group_id>/members")
@csrf_in_form
def add_member(group_id: int):
    group = _get_group(group_id)
    form = AddMemberForm()
    if not form.validate_on_submit():
        return _render_group(group, form, 422)
    user = queries.user_by_username(form.username.data)
    try:
        if user is None or not user.is_active:
            raise DomainError(_("There is no user with this name."), field="username")
        services.add_member(group, user, actor=current_user)
    except DomainError as error:
        db.session.rollback()
        attach_to_form(form, error)
        return _render_group(group, form, 422)
    db.session.commit()
    flash(_("%(name)s was added to the group %(group)s.", name=user.username, group=group.name),
          "success")
    return redirect(url_for("admin.group", group_id=group.id))


@bp.post("/groups/<int:group_id>/members/<int:user_id>/remove")
def remove_member(group_id: int, user_id: int):
    group = _get_group(group_id)
    user = queries.user_by_id(user_id)
    if user is None:
        abort(404)
    services.remove_member(group, user, actor=current_user)
    db.session.commit()
    flash(_("%(name)s was removed from the group %(group)s.", name=user.username,
            group=group.name), "success")
    return redirect(url_for("admin.group", group_id=group.id))
