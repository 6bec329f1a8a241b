"""Orphaned uploads: those no post references (after edits and deletions), removed after a
grace period. Soft-deleted posts keep their PostUpload rows, so whatever a live or restorable
post shows is never an orphan; an upload named in a saved draft is kept too.

Stray stored files go after the grace period as well: bytes no row uses, left when an upload
failed after storing them (a refused file among several in a composer form, an error before the
commit), and temporary files of a put that crashed."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import islice

from sqlalchemy import exists, select

from forum import markup
from forum.extensions import db
from forum.models import Draft, PostUpload, Upload, utcnow
from forum.uploads.services import bytes_in_use, keys_in_use
from forum.uploads.storage import storage


@dataclass
class CleanResult:
    removed: int = 0
    keys: set[str] = field(default_factory=set)  # stored bytes that may now be unused
    deleted_files: int = 0
    stray_files: int = 0  # stored files no row used, and leftovers of crashed writes


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
        stored_at = store.stored_at(key)
        if stored_at is not None and stored_at > recent:
            continue
        if not bytes_in_use(key):
            store.delete(key)
            result.deleted_files += 1
    return result


# Stored keys are checked against the database this many at a time (one IN list per batch).
KEY_BATCH = 500


def remove_stray_files(result: CleanResult, *, grace_hours: float,
                       now: float | None = None) -> CleanResult:
    """Delete the stored files that no upload (file or thumbnail) or library preview uses and
    that were stored before the grace period, never within RECENTLY_STORED_SECONDS; and the
    leftovers of unfinished writes as old. Call it after remove_orphans' commit."""
    store = storage()
    cutoff = (now or time.time()) - max(grace_hours * 3600, RECENTLY_STORED_SECONDS)
    old = (key for key, stored_at in store.stored_keys() if stored_at < cutoff)
    for batch in _batches(old, KEY_BATCH):
        for key in sorted(set(batch) - keys_in_use(batch)):
            # Stored again since it was listed (an upload in flight): keep it.
            stored_at = store.stored_at(key)
            if stored_at is not None and stored_at < cutoff:
                store.delete(key)
                result.stray_files += 1
    result.stray_files += store.remove_unfinished(before=cutoff)
    return result


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _keys_in_drafts() -> set[str]:
    keys: set[str] = set()
    for data in db.session.scalars(select(Draft.data)):
        raw = data.get("raw") if isinstance(data, dict) else None
        if isinstance(raw, str) and "upload://" in raw:
            keys.update(markup.upload_keys(raw))
    return keys
