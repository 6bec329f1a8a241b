"""Topic pages: latest, topic view, composer, reply, edit, revisions, delete/restore, preview."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum import activity, markup, permissions
from forum.accounts.auth import current_viewer
from forum.categories.queries import category_by_id, visible_category_list
from forum.drafts.services import draft_data, load_draft
from forum.errors import DomainError, attach_to_form
from forum.extensions import db, limiter, load_by_id
from forum.following import queries as following_queries
from forum.following.bookmarks import bookmarks_for_posts
from forum.kept_pages import render_member_page
from forum.models import Post, Topic
from forum.moderation import sanctions
from forum.moderation.post_moves import moved_permalink
from forum.security import csrf_in_form
from forum.topics import queries, services
from forum.topics.diffs import line_diff
from forum.topics.forms import EditPostForm, ReplyForm, TopicForm, TopicSettingsForm
from forum.topics.post_html import post_footers, same_for_every_viewer
from forum.topics.reply_composer import kept_reply_form
from forum.uploads import composer

bp = Blueprint("topics", __name__)


def _posting_limit():
    from flask import current_app

    return current_app.config["POSTING_LIMIT"]


def _refused(form, error: DomainError) -> None:
    """Undo everything the refused post stored (its files' rows too) and say why beside the
    kept text."""
    db.session.rollback()
    attach_to_form(form, error)
    note = composer.files_dropped_note(error)
    if note:
        form.form_errors.append(note)


def get_visible_topic(topic_id: int) -> Topic:
    """The topic, or 404 when it does not exist or the viewer may not see it."""
    topic = db.session.get(Topic, topic_id)
    permissions.require(topic is not None and permissions.can_view_topic(current_viewer(), topic),
                        hide=True)
    return topic


def get_visible_post(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    permissions.require(post is not None and permissions.can_view_post(current_user, post),
                        hide=True)
    return post


@bp.get("/")
@bp.get("/latest")
def latest():
    page = request.args.get("page", 1, type=int)
    listing = queries.latest_topics(current_viewer(), page)
    return render_member_page("topics/latest.html", listing.key(), listing=listing)


@bp.get("/t/<int:topic_id>")
def topic_by_id(topic_id: int):
    topic = get_visible_topic(topic_id)
    return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id, **request.args),
                    301)


@bp.get("/t/<slug>/<int:topic_id>")
@bp.get("/t/<slug>/<int:topic_id>/<int:post_number>")
def show(slug: str, topic_id: int, post_number: int | None = None):
    # Held in a name: the session's identity map keeps an object only while something refers
    # to it, and get_visible_topic would otherwise load the topic (and its category) again.
    topic = load_by_id(Topic, topic_id, queries.TOPIC_PAGE_OPTIONS)
    viewer = current_viewer()
    moved = moved_permalink(topic, topic_id, post_number, viewer)
    if moved is not None:  # the post (or the whole topic) was moved, split or merged away
        return redirect(moved, 301)
    topic = get_visible_topic(topic_id)
    if slug != topic.slug:
        return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id,
                                post_number=post_number, **request.args), 301)
    state = following_queries.topic_state(viewer, topic)
    if post_number is None and "page" not in request.args:
        # A returning reader resumes at the first post they have not read (Discourse).
        resume = following_queries.first_unread_post_number(state, topic)
        if resume is not None:
            return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id,
                                    post_number=resume) + f"#post_{resume}")
    page = request.args.get("page", type=int) or (
        queries.page_of_post(post_number) if post_number else 1)
    activity.record_topic_view(topic.id)
    return _render_topic(topic, page, state=state)


def _render_topic(topic: Topic, page: int, form: ReplyForm | None = None, status: int = 200,
                  state: following_queries.TopicState | None = None):
    viewer = current_viewer()
    view = queries.topic_page(topic, page, viewer)
    reply_composer = None
    if form is None:  # a page view (GET or HEAD), not a reply sent back with errors
        raw, reply_to = _reply_draft(viewer, topic)
        if view.actions.reply:
            reply_composer = kept_reply_form(topic, viewer, raw, reply_to)
        else:
            # No CSRF token: it is kept in the session, and building one for a reader who
            # cannot reply would give every guest a session cookie (an unshareable page).
            # A draft is still shown, read-only, if the topic closed under its writer.
            form = ReplyForm(meta={"csrf": False}, data={"raw": raw})
    # The viewer's own parts of the page: each post's controls (with their likes and
    # bookmarks), their reply composer and their watching level.
    bookmarked = bookmarks_for_posts(viewer, [post.id for post in view.posts])
    footers = post_footers(view.posts, topic, view.actions, view.controls, bookmarked)
    level = (state or following_queries.topic_state(viewer, topic)).level
    may_moderate = permissions.can_moderate_topic(viewer, topic)
    may_pin = not may_moderate and permissions.can_pin_topic(viewer, topic)
    context = dict(view=view, topic=topic, actions=view.actions, may_moderate=may_moderate,
                   may_pin=may_pin, has_composer=reply_composer is not None)
    reader = {"footers": footers, "reply_composer": reply_composer, "level": level}
    if reply_composer is None or may_moderate or may_pin or not all(
            map(same_for_every_viewer, view.posts)):
        # Kept pages are for a member who may reply, among posts that read the same to all:
        # the refusals, the staff's toolbars and deleted posts read the reader themselves.
        return render_template("topics/show.html", form=form, **context, **reader), status
    key = (topic.id, view.page, tuple(post.id for post in view.posts), view.actions)
    return render_member_page("topics/show.html", key, reader=reader, **context), status


def _reply_draft(viewer, topic: Topic) -> tuple[str, int | None]:
    """The reader's saved reply to the topic: its text and the post number it answers."""
    data = draft_data(viewer, f"topic_{topic.id}")
    if data is None:
        return "", None
    reply_to = str(data.get("reply_to_post_number", ""))
    return data.get("raw", ""), int(reply_to) if reply_to.isdigit() else None


@bp.post("/t/<int:topic_id>/reply")
@login_required
@csrf_in_form
@limiter.limit(_posting_limit, key_func=lambda: f"post:{current_user.get_id()}")
@composer.accepts_attachments
def reply(topic_id: int):
    topic = get_visible_topic(topic_id)
    form = ReplyForm()
    status = 422
    if form.validate_on_submit():
        try:
            raw = composer.append_attachments(form.raw.data or "", composer.sent_files(),
                                              uploader=current_user)
            post = services.reply(topic, author=current_user, raw=raw,
                                  reply_to_post_number=form.reply_to_post_number.data)
        except DomainError as error:
            _refused(form, error)
            # A refusal (closed topic, silenced author) is a 403, yet the page still shows
            # the typed text so nothing is lost.
            status = error.status_code
        else:
            db.session.commit()
            return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id,
                                    post_number=post.post_number) + f"#post_{post.post_number}")
    page = queries.page_of_post(topic.highest_post_number)
    return _render_topic(topic, page, form, status=status)


@bp.get("/t/<int:topic_id>/reply")
@login_required
def reply_page(topic_id: int):
    """A full-page reply composer; ?reply_to=N replies to a post, ?quote=N quotes it."""
    topic = get_visible_topic(topic_id)
    sanctions.refuse_if_silenced(current_user)
    permissions.require(permissions.can_reply(current_user, topic))
    form = ReplyForm()
    draft = load_draft(current_user, f"topic_{topic.id}")
    form.raw.data = draft.data.get("raw", "") if draft else ""
    quoted = services.post_by_number(topic, request.args.get("quote", 0, type=int))
    if quoted is not None and quoted.deleted_at is None:
        author = quoted.user.username if quoted.user else "anon"
        form.raw.data = markup.quote_markdown(author, topic.id, quoted.post_number,
                                              quoted.raw) + "\n\n" + (form.raw.data or "")
        form.reply_to_post_number.data = quoted.post_number
    reply_to = request.args.get("reply_to", type=int)
    if reply_to and services.post_by_number(topic, reply_to) is not None:
        form.reply_to_post_number.data = reply_to
    return render_template("topics/reply.html", topic=topic, form=form)


@bp.route("/new-topic", methods=["GET", "POST"])
@login_required
@csrf_in_form
@limiter.limit(_posting_limit, methods=["POST"],
               key_func=lambda: f"post:{current_user.get_id()}")
@composer.accepts_attachments
def new_topic():
    sanctions.refuse_if_silenced(current_user)
    form = TopicForm()
    categories = [c for c in visible_category_list(current_user)
                  if permissions.can_create_topic(current_user, c)]
    if not categories:
        abort(403)
    form.category_id.choices = [(c.id, _category_label(c)) for c in categories]
    if request.method == "GET":
        _prefill_new_topic(form)
    elif form.validate_on_submit():
        category = category_by_id(form.category_id.data or 0)
        try:
            if category is None or not permissions.can_view_category(current_user, category):
                raise DomainError(_("Choose a category."), field="category_id")
            raw = composer.append_attachments(form.raw.data or "", composer.sent_files(),
                                              uploader=current_user)
            topic = services.create_topic(category, author=current_user,
                                          title=form.title.data or "", raw=raw)
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id))
    status = 422 if request.method == "POST" else 200
    return render_template("topics/new.html", form=form), status


def _prefill_new_topic(form: TopicForm) -> None:
    draft = load_draft(current_user, "new_topic")
    data = draft.data if draft else {}
    form.title.data = data.get("title", "")
    form.raw.data = data.get("raw", "")
    wanted = request.args.get("category", type=int) or (
        int(data["category_id"]) if str(data.get("category_id", "")).isdigit() else None)
    if wanted in {choice[0] for choice in form.category_id.choices}:
        form.category_id.data = wanted


def _category_label(category) -> str:
    return f"{category.parent.name} › {category.name}" if category.parent else category.name


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@login_required
@csrf_in_form
@composer.accepts_attachments
def edit_post(post_id: int):
    post = get_visible_post(post_id)
    sanctions.refuse_if_silenced(current_user)
    permissions.require(permissions.can_edit_post(current_user, post))
    form = EditPostForm()
    if request.method == "GET":
        draft = load_draft(current_user, f"post_{post.id}")
        form.raw.data = draft.data.get("raw", post.raw) if draft else post.raw
        form.title.data = post.topic.title
    elif form.validate_on_submit():
        try:
            raw = composer.append_attachments(form.raw.data or "", composer.sent_files(),
                                              uploader=current_user)
            services.edit_post(post, editor=current_user, raw=raw,
                               edit_reason=form.edit_reason.data or "",
                               title=form.title.data if post.is_first else None)
        except DomainError as error:
            _refused(form, error)
        else:
            db.session.commit()
            return redirect(_post_url(post))
    status = 422 if request.method == "POST" else 200
    return render_template("topics/edit.html", form=form, post=post), status


@bp.route("/t/<int:topic_id>/settings", methods=["GET", "POST"])
@login_required
@csrf_in_form
def topic_settings(topic_id: int):
    """Change a topic's title and category."""
    topic = get_visible_topic(topic_id)
    permissions.require(permissions.can_edit_topic(current_user, topic))
    form = TopicSettingsForm(obj=topic if request.method == "GET" else None)
    form.category_id.choices = [(c.id, _category_label(c)) for c in visible_category_list(
        current_user) if permissions.can_create_topic(current_user, c) or c.id == topic.category_id]
    if form.validate_on_submit():
        try:
            first = services.post_by_number(topic, 1)
            services.edit_post(first, editor=current_user, raw=first.raw,
                               title=form.title.data or "")
            category = category_by_id(form.category_id.data or 0)
            if category is None:
                raise DomainError(_("Choose a category."), field="category_id")
            services.change_topic_category(topic, actor=current_user, category=category)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id))
    status = 422 if request.method == "POST" else 200
    return render_template("topics/settings.html", form=form, topic=topic), status


@bp.post("/posts/<int:post_id>/delete")
@login_required
def delete_post(post_id: int):
    post = get_visible_post(post_id)
    services.delete_post(post, actor=current_user)
    db.session.commit()
    if post.is_first:
        return redirect(url_for("categories.show", slug=post.topic.category.slug,
                                category_id=post.topic.category_id))
    return redirect(_post_url(post))


@bp.post("/posts/<int:post_id>/restore")
@login_required
def restore_post(post_id: int):
    post = get_visible_post(post_id)
    services.restore_post(post, actor=current_user)
    db.session.commit()
    return redirect(_post_url(post))


@bp.post("/t/<int:topic_id>/delete")
@login_required
def delete_topic(topic_id: int):
    topic = get_visible_topic(topic_id)
    services.delete_topic(topic, actor=current_user)
    db.session.commit()
    return redirect(url_for("categories.show", slug=topic.category.slug,
                            category_id=topic.category_id))


@bp.post("/t/<int:topic_id>/restore")
@login_required
def restore_topic(topic_id: int):
    topic = get_visible_topic(topic_id)
    services.restore_topic(topic, actor=current_user)
    db.session.commit()
    return redirect(url_for("topics.show", slug=topic.slug, topic_id=topic.id))


@bp.get("/posts/<int:post_id>/revisions")
def revisions(post_id: int):
    post = get_visible_post(post_id)
    permissions.require(permissions.can_view_revisions(current_user, post), hide=True)
    versions = queries.revisions(post)
    changes = {rev.number: line_diff(prev.raw, rev.raw)
               for prev, rev in zip(versions, versions[1:], strict=False)}
    return render_template("topics/revisions.html", post=post, revisions=versions,
                           changes=changes)


@bp.get("/posts/<int:post_id>/fragment")
def post_fragment(post_id: int):
    """One post rendered by the same partial as the page, for live updates."""
    post = get_visible_post(post_id)
    return render_template("topics/_post.html", post=post, topic=post.topic,
                           actions=queries.topic_actions(current_user, post.topic),
                           post_controls=permissions.post_controls(current_user, post.topic,
                                                                   [post]))


@bp.post("/preview")
@limiter.limit("120 per minute")
def preview():
    """The composer's live preview, cooked by the very function that cooks saved posts."""
    payload = request.form if request.form else request.get_json(silent=True)
    raw = payload.get("raw") if isinstance(payload, dict) or request.form else None
    if not isinstance(raw, str):
        return jsonify({"errors": [_("Nothing to preview.")]}), 422
    if not raw.strip():
        return jsonify({"cooked": ""})
    try:
        raw = services.validate_body(raw)
    except DomainError as error:
        return jsonify({"errors": [str(error.message)]}), 422
    return jsonify({"cooked": str(services.cook_post(raw, author=current_user))})


def _post_url(post: Post) -> str:
    return url_for("topics.show", slug=post.topic.slug, topic_id=post.topic_id,
                   post_number=post.post_number) + f"#post_{post.post_number}"
