"""Orphaned uploads: those no post references (after edits and deletions), removed after a
grace period. Soft-deleted posts keep their PostUpload rows, so whatever a live or restorable
post shows is never an orphan; an upload named in a saved draft is kept too."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import exists, select

from forum import markup
from forum.extensions import db
from forum.models import Draft, PostUpload, Upload, utcnow
from forum.uploads.services import bytes_in_use
from forum.uploads.storage import storage


@dataclass
class CleanResult:
    removed: int = 0
    keys: set[str] = field(default_factory=set)  # stored bytes that may now be unused
    deleted_files: int = 0


def remove_orphans(*, grace_hours: float, now=None) -> CleanResult:
    """Delete the Upload rows older than the grace period that no post references and no
    draft names; the caller commits, then calls forget_unused_bytes(result)."""
    cutoff = (now or utcnow()) - timedelta(hours=grace_hours)
    referenced = exists(select(PostUpload.id).where(PostUpload.upload_id == Upload.id))
    candidates = db.session.scalars(select(Upload).where(Upload.created_at < cutoff,
                                                         ~referenced)).all()
    in_drafts = _keys_in_drafts() if candidates else set()
    result = CleanResult()
    for upload in candidates:
        if upload.short_key in in_drafts:
            continue
        result.keys.update(k for k in (upload.sha256, upload.thumbnail_sha256) if k)
        db.session.delete(upload)
        result.removed += 1
    db.session.flush()
    return result


# Bytes stored this recently are kept even when unused: an upload storing the same bytes may
# not have committed its row yet (DiskStorage refreshes the time when the same bytes come again).
RECENTLY_STORED_SECONDS = 3600


def forget_unused_bytes(result: CleanResult) -> CleanResult:
    """After the commit: delete the stored bytes no remaining upload uses (file or thumbnail)."""
    store = storage()
    recent = time.time() - RECENTLY_STORED_SECONDS
    for key in sorted(result.keys):
        stored_at = getattr(store, "stored_at", lambda _key: None)(key)
        if stored_at is not None and stored_at > recent:
            continue
        if not bytes_in_use(key):
            store.delete(key)
            result.deleted_files += 1
    return result


def _keys_in_drafts() -> set[str]:
    keys: set[str] = set()
    for data in db.session.scalars(select(Draft.data)):
        raw = data.get("raw") if isinstance(data, dict) else None
        if isinstance(raw, str) and "upload://" in raw:
            keys.update(markup.upload_keys(raw))
    return keys
