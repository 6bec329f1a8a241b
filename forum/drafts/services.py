"""Draft writes: save (last write wins by sequence), load, discard."""

from __future__ import annotations

import functools
import re

from flask_babel import gettext as _
from sqlalchemy import bindparam, delete, select

from forum import permissions
from forum.column_reads import read_columns
from forum.errors import DomainError
from forum.extensions import db
from forum.models import Draft, User, utcnow

# "new_topic", "topic_<id>" (a reply), "post_<id>" (an edit) — as Discourse names them.
DRAFT_KEY = re.compile(r"^(new_topic|topic_\d+|post_\d+)$")
MAX_DRAFT_BYTES = 100_000


def _check_key(key: str) -> str:
    if not isinstance(key, str) or not DRAFT_KEY.match(key):
        raise DomainError(_("Unknown draft."), field="draft_key")
    return key


def save_draft(user: User, key: str, data: dict, *, sequence: int = 0) -> Draft:
    """Store what the user is composing; an older sequence never overwrites a newer one."""
    permissions.require(permissions.can_use_drafts(user))
    _check_key(key)
    if not isinstance(data, dict) or len(repr(data)) > MAX_DRAFT_BYTES:
        raise DomainError(_("The draft is too large."), field="data")
    clean = {k: str(v) for k, v in data.items() if k in ("title", "raw", "category_id",
                                                          "reply_to_post_number") and v is not None}
    draft = load_draft(user, key)
    if draft is None:
        draft = Draft(user_id=user.id, draft_key=key)
        db.session.add(draft)
    elif sequence < draft.sequence:
        return draft
    draft.data = clean
    draft.sequence = sequence
    draft.updated_at = utcnow()
    db.session.flush()
    return draft


def load_draft(user: User, key: str) -> Draft | None:
    if not permissions.is_signed_in(user):
        return None
    return db.session.scalar(_draft_statement(), {"user_id": user.id, "draft_key": key})


def draft_data(user: User, key: str) -> dict | None:
    """The saved draft's fields alone, read below the ORM: a topic page shows the reader's
    reply draft on every view and never changes it there."""
    if not permissions.is_signed_in(user):
        return None
    return read_columns(_draft_data_statement(), {"user_id": user.id, "draft_key": key}
                        ).scalar()


# Built once, run with each member's values: a topic page reads its reader's reply draft on
# every view (draft_data); saving a draft loads the row itself (load_draft).
@functools.cache
def _draft_data_statement():
    return select(Draft.data).where(*_members_draft())


@functools.cache
def _draft_statement():
    return select(Draft).where(*_members_draft())


def _members_draft():
    return (Draft.user_id == bindparam("user_id", required=True),
            Draft.draft_key == bindparam("draft_key", required=True))


def discard_draft(user: User, key: str) -> None:
    if permissions.is_signed_in(user):
        db.session.execute(delete(Draft).where(Draft.user_id == user.id, Draft.draft_key == key))
