"""Chat moderation pages on the "chat" blueprint: close/reopen, slow mode, silence, flag a
message, turn messages into a topic, and transcript downloads. Thin adapters: parse, call one
service, commit, redirect back to the channel (or re-render the form with what was typed)."""

from __future__ import annotations

from datetime import datetime

from flask import Response, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext, to_utc
from flask_login import current_user, login_required
from sqlalchemy import select

from forum import permissions
from forum.chat import moderation, move, transcripts
from forum.chat.blueprint import bp
from forum.chat.links import channel_url, message_url
from forum.chat.moderation_forms import ChatFlagForm, MoveMessagesForm, SilenceForm, SlowModeForm
from forum.chat.queries import channel_by_id, channel_messages, message_by_id
from forum.errors import DomainError, attach_to_form
from forum.extensions import db
from forum.models import Category, ChatChannel, User
from forum.moderation import chat_flags, flags
from forum.security import csrf_in_form

MOVE_PAGE_MESSAGES = 200  # the move page lists this many latest messages to pick from


def visible_channel(channel_id: int) -> ChatChannel:
    """The channel if the reader may see it; 404 otherwise (never a hint that it exists)."""
    channel = channel_by_id(channel_id)
    permissions.require(channel is not None and permissions.can_view_channel(current_user,
                                                                             channel), hide=True)
    return channel


def moderated_channel(channel_id: int) -> ChatChannel:
    channel = visible_channel(channel_id)
    permissions.require(permissions.can_moderate_channel(current_user, channel))
    return channel


@bp.get("/c/<int:channel_id>/moderation")
@login_required
def moderation_tools(channel_id: int):
    """The channel's moderation tools on a page of their own (the channel page includes
    the same partial)."""
    channel = moderated_channel(channel_id)
    return _tools_page(channel)


@bp.post("/c/<int:channel_id>/close")
@login_required
def close(channel_id: int):
    channel = moderated_channel(channel_id)
    return _apply(channel, lambda: moderation.close_channel(channel, actor=current_user),
                  _("The channel is closed: members can read it but not write."))


@bp.post("/c/<int:channel_id>/reopen")
@login_required
def reopen(channel_id: int):
    channel = moderated_channel(channel_id)
    return _apply(channel, lambda: moderation.reopen_channel(channel, actor=current_user),
                  _("The channel is open for messages again."))


@bp.post("/c/<int:channel_id>/slow-mode")
@login_required
@csrf_in_form
def slow_mode(channel_id: int):
    channel = moderated_channel(channel_id)
    form = SlowModeForm()
    try:
        _require_fresh(form)
        seconds = _int_or_none(form.seconds.data)
        moderation.set_slow_mode(channel, actor=current_user,
                                 seconds=seconds if seconds is not None else -1)
    except DomainError as error:
        return _tools_error(channel, error, slow_form=form)
    db.session.commit()
    flash(_("Slow mode is off.") if not channel.slow_mode_seconds else
          _("Slow mode: one message per %(n)d seconds.", n=channel.slow_mode_seconds), "success")
    return redirect(channel_url(channel))


@bp.post("/c/<int:channel_id>/silence")
@login_required
@csrf_in_form
def silence(channel_id: int):
    channel = moderated_channel(channel_id)
    form = SilenceForm()
    target = _user_named(form.username.data)
    try:
        _require_fresh(form)
        moderation.silence_member(channel, actor=current_user, target=target,
                                  minutes=form.minutes.data, reason=form.reason.data)
    except DomainError as error:
        return _tools_error(channel, error, silence_form=form)
    db.session.commit()
    flash(_("%(name)s is silenced in this channel.", name=target.username), "success")
    return redirect(channel_url(channel))


@bp.post("/c/<int:channel_id>/unsilence")
@login_required
def unsilence(channel_id: int):
    channel = moderated_channel(channel_id)
    target = _user_named(request.form.get("username"))
    return _apply(channel, lambda: moderation.unsilence_member(channel, actor=current_user,
                                                               target=target),
                  _("The silence is lifted."))


@bp.route("/m/<int:message_id>/flag", methods=["GET", "POST"])
@login_required
@csrf_in_form
def flag_message(message_id: int):
    message = message_by_id(message_id)
    permissions.require(message is not None and permissions.can_view_message(current_user,
                                                                             message), hide=True)
    already = chat_flags.has_flagged_message(current_user, message)
    if not already:
        permissions.require(permissions.can_flag_message(current_user, message))
    form = ChatFlagForm()
    if not already and form.validate_on_submit():
        try:
            chat_flags.flag_chat_message(message, flagger=current_user, kind=form.kind.data,
                                         note=form.message.data or "")
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("Thank you. Moderators will look at this message."), "success")
            return redirect(message_url(message))
    status = 422 if request.method == "POST" and not already else 200
    return render_template("chat/moderation/flag.html", form=form, message=message,
                           labels=flags.FLAG_LABELS,
                           descriptions=chat_flags.CHAT_FLAG_DESCRIPTIONS,
                           already=already), status


@bp.route("/c/<int:channel_id>/move", methods=["GET", "POST"])
@login_required
@csrf_in_form
def move_messages(channel_id: int):
    channel = visible_channel(channel_id)
    permissions.require(permissions.can_move_messages(current_user, channel))
    form = MoveMessagesForm()
    form.category_id.choices = _category_choices()
    selected = request.form.getlist("message_ids") if request.method == "POST" else \
        request.args.getlist("message_ids")
    if request.method == "POST":
        try:
            _require_fresh(form)
            topic = move.messages_to_topic(channel, actor=current_user, **_move_args(form,
                                                                                    selected))
        except DomainError as error:
            db.session.rollback()
            attach_to_form(form, error)
        else:
            db.session.commit()
            flash(_("The messages are now in the topic “%(title)s”.", title=topic.title),
                  "success")
            return redirect(topic.url)
    status = 422 if request.method == "POST" else 200
    return render_template("chat/moderation/move.html", channel=channel, form=form,
                           messages=channel_messages(channel, limit=MOVE_PAGE_MESSAGES),
                           selected=set(selected), zone=transcripts.zone_name()), status


@bp.get("/c/<int:channel_id>/transcript.md")
def transcript_markdown(channel_id: int):
    return _download(channel_id, "md", "text/markdown; charset=utf-8", transcripts.as_markdown)


@bp.get("/c/<int:channel_id>/transcript.html")
def transcript_html(channel_id: int):
    return _download(channel_id, "html", "text/html; charset=utf-8", transcripts.as_html)


# --- helpers ----------------------------------------------------------------------------------

def _apply(channel: ChatChannel, action, done: str):
    """Run a one-button action (its CSRF token is checked for every POST), commit, go back."""
    try:
        action()
    except DomainError as error:
        return _tools_error(channel, error)
    db.session.commit()
    flash(done, "success")
    return redirect(channel_url(channel))


def _tools_error(channel: ChatChannel, error: DomainError, **forms):
    db.session.rollback()
    if error.status_code in (403, 404):
        permissions.require(False, hide=error.status_code == 404)
    for form in forms.values():
        attach_to_form(form, error)
    if not forms:
        flash(str(error.message), "error")
        return redirect(channel_url(channel))
    return _tools_page(channel, status=error.status_code or 422, **forms)


def _tools_page(channel: ChatChannel, *, status: int = 200, slow_form=None, silence_form=None):
    return render_template("chat/moderation/tools.html", channel=channel,
                           slow_form=slow_form, silence_form=silence_form,
                           silenced=moderation.silenced_members(channel)), status


def _require_fresh(form) -> None:
    if not form.validate_on_submit():
        raise DomainError(_("This page has expired (security token). Reload it and try "
                            "again."), status_code=400)


def _download(channel_id: int, extension: str, mimetype: str, render) -> Response:
    channel = visible_channel(channel_id)
    transcript = transcripts.channel_transcript(channel, viewer=current_user)
    response = Response(render(transcript), mimetype=mimetype)
    response.headers["Content-Disposition"] = transcripts.content_disposition(transcript,
                                                                              extension)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _move_args(form: MoveMessagesForm, selected: list[str]) -> dict:
    args = {"message_ids": selected, "copy": form.operation.data == "copy"}
    if not selected:
        args["since"] = _moment(form.since.data, "since")
        args["until"] = _moment(form.until.data, "until")
    if form.mode.data == "existing":
        topic = move.topic_from_reference(form.destination.data)
        if topic is None:
            raise DomainError(_("There is no topic with this number or address."),
                              field="destination")
        args["destination"] = topic
    else:
        category_id = _int_or_none(form.category_id.data)
        category = db.session.get(Category, category_id) if category_id else None
        if category is None or not permissions.can_view_category(current_user, category):
            raise DomainError(_("Choose the category of the new topic."), field="category_id")
        args["category"], args["title"] = category, form.title.data
    return args


def _moment(value, field: str) -> datetime | None:
    """A datetime-local value typed in the reader's time zone, as UTC; None when empty."""
    if not value or not value.strip():
        return None
    for parse in (datetime.fromisoformat, lambda v: datetime.strptime(v, "%d.%m.%Y %H:%M")):
        try:
            return to_utc(parse(value.strip()))
        except ValueError:
            continue
    raise DomainError(_("Enter the date and time as DD.MM.YYYY HH:MM."), field=field)


def _category_choices() -> list[tuple[str, str]]:
    visible = db.session.scalars(select(Category).where(permissions.visible_categories(
        current_user)).order_by(Category.position, Category.name))
    return [("", "—")] + [(str(c.id), c.name) for c in visible
                          if permissions.can_create_topic(current_user, c)]


def _user_named(username) -> User | None:
    name = username.strip().lstrip("@").lower() if isinstance(username, str) else ""
    if not name:
        return None
    return db.session.scalar(select(User).where(User.username_lower == name))


def _int_or_none(value) -> int | None:
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if text.isdigit() and len(text) < 10 else None


@bp.app_template_global("chat_moderation_choices")
def moderation_choices() -> dict:
    """The choices the moderation partials offer (they are included by other pages too)."""
    slow = [(0, _("Off"))] + [
        (s, ngettext("one message per %(num)d second", "one message per %(num)d seconds", s))
        for s in moderation.SLOW_MODE_CHOICES if s]
    return {"slow_mode": slow,
            "silence": [(minutes, str(label)) for minutes, label in
                        moderation.SILENCE_CHOICES.items()]}
