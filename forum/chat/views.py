"""Chat pages: the channel list, a channel's page (history and a plain form, live with the
script), and the no-JavaScript fallbacks for sending, editing, deleting and reacting.

Views are adapters: they load what the URL names (404 for what the viewer may not see), call
one forum.chat service, commit once, and flash or redirect. The rules live in the services.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from forum import permissions
from forum.categories.queries import category_by_id, visible_category_list
from forum.chat import channels, messages, page_queries, queries
from forum.chat.blueprint import bp  # shared with the moderation routes
from forum.chat.forms import (
    CHANNEL_KIND_LABELS,
    QUICK_REACTIONS,
    ChannelForm,
    EditMessageForm,
    MessageForm,
    ReactionForm,
    UsernamesForm,
    local_to_utc,
    split_usernames,
)
from forum.chat.links import channel_url, message_url
from forum.chat.serializers import REPLY_EXCERPT_LENGTH, reactions_data
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.markup import plain_text_excerpt
from forum.models import (
    CHANNEL_CATEGORY,
    CHANNEL_DIRECT,
    CHANNEL_PRIVATE,
    CHANNEL_SEMINAR,
    ChatChannel,
    ChatMessage,
)
from forum.security import csrf_in_form

# --- loading ----------------------------------------------------------------------------------

def visible_channel(channel_id: int) -> ChatChannel:
    """The channel, or 404 when it does not exist or the viewer may not see it."""
    channel = queries.channel_by_id(channel_id)
    permissions.require(channel is not None and permissions.can_view_channel(current_user, channel),
                        hide=True)
    return channel


def visible_message(message_id: int) -> ChatMessage:
    message = queries.message_by_id(message_id)
    permissions.require(message is not None and permissions.can_view_message(current_user,
                                                                             message), hide=True)
    return message


def channel_title(channel: ChatChannel) -> str:
    """What a reader calls the channel: its name, or the other participants of a conversation."""
    return channels.direct_title(channel, current_user) if channel.is_direct else channel.name


def reply_excerpt(message: ChatMessage) -> str:
    return plain_text_excerpt(message.cooked, REPLY_EXCERPT_LENGTH)


@bp.app_context_processor
def chat_helpers():
    return {"chat_title": channel_title, "chat_url": channel_url, "chat_excerpt": reply_excerpt,
            "chat_reactions": reactions_data}


# --- the list -----------------------------------------------------------------------------------

@bp.get("")
def index():
    return _render_index()


def _render_index(dm_form: UsernamesForm | None = None, status: int = 200):
    rows = queries.channel_list(current_user)
    signed_in = permissions.is_signed_in(current_user)
    if dm_form is None and signed_in:
        dm_form = UsernamesForm()
    followed = [row for row in rows if row[1] is not None and row[1].is_following]
    others = [row for row in rows if row[1] is None or not row[1].is_following]
    return render_template("chat/index.html", followed=followed, others=others,
                           dm_form=dm_form, may_create=bool(_creatable_kinds())), status


@bp.post("/dm")
@login_required
@csrf_in_form
def start_direct():
    form = UsernamesForm()
    if form.validate_on_submit():
        try:
            others = _people(form.usernames.data, field="usernames")
            channel = channels.open_direct_conversation(actor=current_user, others=others)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            return redirect(channel_url(channel))
    return _render_index(form, status=422)


def _people(text, *, field: str):
    """The accounts named in `text`, or a DomainError naming those that do not exist."""
    found, missing = page_queries.users_named(split_usernames(text))
    if missing:
        raise DomainError(_("No member with the username: %(names)s.", names=", ".join(missing)),
                          field=field)
    return found


# --- a channel ---------------------------------------------------------------------------------

@bp.get("/c/<slug>/<int:channel_id>")
def channel(slug: str, channel_id: int):
    channel = visible_channel(channel_id)
    if slug != channel.slug:
        return redirect(channel_url(channel, **request.args), 301)
    return _render_channel(channel)


def _render_channel(channel: ChatChannel, *, form: MessageForm | None = None,
                    invite_form: UsernamesForm | None = None, status: int = 200):
    before = request.args.get("before", type=int)
    page = page_queries.channel_page(channel, current_user, before_id=before)
    may_send = permissions.can_send_message(current_user, channel)
    if form is None:
        # No token for a guest: it would start a session and make the page uncacheable.
        form = MessageForm(meta={"csrf": may_send})
        form.reply_to_id.data = request.args.get("reply_to", type=int)
    if invite_form is None and permissions.can_invite_to_channel(current_user, channel):
        invite_form = UsernamesForm()
    reply_to = queries.message_by_id(form.reply_to_id.data) if form.reply_to_id.data else None
    html = render_template(
        "chat/show.html", channel=channel, page=page, form=form, invite_form=invite_form,
        may_send=may_send, reply_to=reply_to if reply_to and reply_to.channel_id == channel.id
        else None, refusal=None if may_send else messages.sending_refusal(current_user, channel),
        phase=permissions.seminar_phase(channel), reactions=QUICK_REACTIONS,
        reaction_form=ReactionForm(meta={"csrf": False}))
    # Rendered first, so the marker shows where the member stopped; then that is moved on.
    if page.membership is not None and page.newest_id is not None:
        messages.mark_read(channel, user=current_user, message_id=page.newest_id)
        db.session.commit()
    return html, status


@bp.post("/c/<int:channel_id>/messages")
@login_required
@csrf_in_form
def send(channel_id: int):
    channel = visible_channel(channel_id)
    form = MessageForm()
    status = 422
    if form.validate_on_submit():
        try:
            message, _created = messages.send_message(
                channel, author=current_user, raw=form.raw.data or "",
                client_id=form.client_id.data or None, reply_to_id=form.reply_to_id.data)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
            status = error.status_code
        else:
            db.session.commit()  # a resend of the same client id lands here too, unchanged
            return redirect(channel_url(channel, message.id))
    return _render_channel(channel, form=form, status=status)


@bp.post("/c/<int:channel_id>/join")
@login_required
def join(channel_id: int):
    channel = visible_channel(channel_id)
    channels.join_channel(channel, user=current_user)
    db.session.commit()
    flash(_("You joined the channel."), "success")
    return redirect(channel_url(channel))


@bp.post("/c/<int:channel_id>/leave")
@login_required
def leave(channel_id: int):
    channel = visible_channel(channel_id)
    private = channel.kind in (CHANNEL_PRIVATE, CHANNEL_DIRECT)
    channels.leave_channel(channel, user=current_user)
    db.session.commit()
    flash(_("You left the channel."), "success")
    # A private channel or a conversation one has left is no longer visible.
    return redirect(url_for("chat.index") if private else channel_url(channel))


@bp.post("/c/<int:channel_id>/invite")
@login_required
@csrf_in_form
def invite(channel_id: int):
    channel = visible_channel(channel_id)
    form = UsernamesForm()
    if form.validate_on_submit():
        try:
            people = _people(form.usernames.data, field="usernames")
            added = channels.invite_to_channel(channel, actor=current_user, invitees=people)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            _flash_invited(added)
            return redirect(channel_url(channel))
    return _render_channel(channel, invite_form=form, status=422)


def _flash_invited(added) -> None:
    if added:
        flash(_("Invited: %(names)s.", names=", ".join(u.display_name for u in added)), "success")
    else:
        flash(_("Everyone named is already in the channel."), "info")


# --- creating channels --------------------------------------------------------------------------

def _creatable_kinds() -> list[str]:
    if not permissions.is_signed_in(current_user):
        return []
    return [kind for kind in CHANNEL_KIND_LABELS
            if kind == CHANNEL_CATEGORY and _moderated_categories()
            or kind != CHANNEL_CATEGORY and permissions.can_create_channel(current_user, kind)]


def _moderated_categories():
    return [c for c in visible_category_list(current_user)
            if permissions.can_create_channel(current_user, CHANNEL_CATEGORY, c)]


@bp.route("/new", methods=["GET", "POST"])
@login_required
@csrf_in_form
def new_channel():
    kinds = _creatable_kinds()
    if not kinds:
        abort(403)
    form = ChannelForm()
    form.kind.choices = [(kind, CHANNEL_KIND_LABELS[kind]) for kind in kinds]
    form.category_id.choices = [(0, "—")] + [(c.id, c.name) for c in _moderated_categories()]
    if request.method == "GET":
        form.kind.data = request.args.get("kind") if request.args.get("kind") in kinds else kinds[0]
    elif form.validate_on_submit():
        try:
            channel = _create_from(form)
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            return redirect(channel_url(channel))
    status = 422 if request.method == "POST" else 200
    return render_template("chat/new.html", form=form), status


def _create_from(form: ChannelForm) -> ChatChannel:
    kind = form.kind.data
    category = category_by_id(form.category_id.data) if form.category_id.data else None
    if category is not None and not permissions.can_view_category(current_user, category):
        category = None
    host = None
    if kind == CHANNEL_SEMINAR and (form.host.data or "").strip():
        hosts = _people(form.host.data, field="host")
        if len(hosts) != 1:
            raise DomainError(_("Name one host."), field="host")
        host = hosts[0]
    return channels.create_channel(
        kind, actor=current_user, name=form.name.data or "",
        description=form.description.data or "", category=category, host=host,
        starts_at=local_to_utc(form.starts_at.data), ends_at=local_to_utc(form.ends_at.data))


# --- messages (the script uses the socket events; these are the plain-form fallbacks) ----------

@bp.route("/m/<int:message_id>/edit", methods=["GET", "POST"])
@login_required
@csrf_in_form
def edit_message(message_id: int):
    message = visible_message(message_id)
    permissions.require(permissions.can_edit_message(current_user, message))
    form = EditMessageForm()
    if request.method == "GET":
        form.raw.data = message.raw
    elif form.validate_on_submit():
        try:
            messages.edit_message(message, editor=current_user, raw=form.raw.data or "")
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            return redirect(message_url(message))
    status = 422 if request.method == "POST" else 200
    return render_template("chat/edit_message.html", form=form, message=message), status


@bp.post("/m/<int:message_id>/delete")
@login_required
def delete_message(message_id: int):
    message = visible_message(message_id)
    messages.delete_message(message, actor=current_user)
    db.session.commit()
    return redirect(message_url(message))


@bp.post("/m/<int:message_id>/restore")
@login_required
def restore_message(message_id: int):
    message = visible_message(message_id)
    messages.restore_message(message, actor=current_user)
    db.session.commit()
    return redirect(message_url(message))


@bp.post("/m/<int:message_id>/react")
@login_required
def react(message_id: int):
    message = visible_message(message_id)
    messages.toggle_reaction(message, user=current_user, emoji=request.form.get("emoji"))
    db.session.commit()
    return redirect(message_url(message))
