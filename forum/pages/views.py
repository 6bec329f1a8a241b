"""Site pages: the code of conduct at /guidelines (Discourse's path), its editor and history."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from forum import permissions
from forum.accounts.auth import current_viewer
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.fragment_cache import kept_html
from forum.models import SitePage, SitePageRevision
from forum.pages import services
from forum.pages.forms import PageForm
from forum.security import csrf_in_form
from forum.topics.diffs import line_diff

bp = Blueprint("pages", __name__)


@bp.app_template_global("footer_links")
def footer_links() -> Markup:
    """The footer's links, kept per language and per whether the reader may read the staff
    log (fragment_cache.kept_html): every page shows them."""
    may_view_staff_log = permissions.can_view_staff_log(current_viewer())
    key = ("footer-links", str(get_locale()), request.script_root, may_view_staff_log)
    return kept_html(key, lambda: Markup(render_template(  # noqa: S704 - escaped output
        "pages/_footer_links.html", may_view_staff_log=may_view_staff_log)))


@bp.app_template_global("page_title")
def page_title(page: SitePage) -> str:
    """The seeded code of conduct is titled in the reader's language; an admin's own title as is."""
    if page.slug == services.GUIDELINES_SLUG and page.title == services.GUIDELINES_TITLE:
        return _("Code of conduct")
    return page.title


def _guidelines() -> SitePage:
    page = services.guidelines_page()
    if page is None:  # a database created before the page existed: seed it now
        page = services.ensure_guidelines()
        db.session.commit()
    return page


@bp.get("/guidelines")
def guidelines():
    return render_template("pages/show.html", page=_guidelines())


@bp.get("/pages/<slug>")
def show(slug: str):
    if slug == services.GUIDELINES_SLUG:
        return redirect(url_for("pages.guidelines"))
    page = db.session.scalar(select(SitePage).where(SitePage.slug == slug))
    if page is None:
        abort(404)
    return render_template("pages/show.html", page=page)


@bp.route("/guidelines/edit", methods=["GET", "POST"])
@login_required
@csrf_in_form
def edit_guidelines():
    permissions.require(permissions.can_edit_site_pages(current_user))
    page = _guidelines()
    form = PageForm(obj=page if request.method == "GET" else None)
    if form.validate_on_submit():
        try:
            changed = services.edit_page(page, actor=current_user, title=form.title.data,
                                         raw=form.raw.data, edit_reason=form.edit_reason.data)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The page was saved.") if changed else _("Nothing changed."), "success")
            return redirect(url_for("pages.guidelines"))
    return render_template("pages/edit.html", page=page, form=form), (
        422 if request.method == "POST" else 200)


@bp.get("/guidelines/history")
def guidelines_history():
    page = _guidelines()
    revisions = list(db.session.scalars(select(SitePageRevision).where(
        SitePageRevision.page_id == page.id).order_by(SitePageRevision.number)))
    changes = {later.number: line_diff(earlier.raw, later.raw)
               for earlier, later in zip(revisions, revisions[1:], strict=False)}
    return render_template("pages/history.html", page=page, revisions=revisions,
                           changes=changes)
