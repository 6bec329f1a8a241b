"""Download counting that counts people, not reloads: one per user or visitor per UTC day."""

from __future__ import annotations

import hashlib
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum import domain_events
from forum.extensions import db
from forum.models import Resource, ResourceDownload, utcnow


def visitor_key(user, remote_addr: str | None, user_agent: str | None) -> str:
    """"u:<id>" for a member; for a guest a hash of address and browser (no cookie is needed,
    and the address itself is not stored)."""
    if getattr(user, "is_authenticated", False):
        return f"u:{user.id}"
    raw = f"{remote_addr or ''}|{user_agent or ''}".encode()
    return "g:" + hashlib.sha256(raw).hexdigest()[:40]


def record_download(resource: Resource, *, key: str, day: date | None = None) -> bool:
    """Count the download unless this person already downloaded the resource that day;
    True when it counted. Concurrent duplicates are absorbed by the unique constraint."""
    day = day or utcnow().date()
    seen = db.session.scalar(select(ResourceDownload.id).where(
        ResourceDownload.resource_id == resource.id, ResourceDownload.visitor_key == key,
        ResourceDownload.day == day))
    if seen is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(ResourceDownload(resource_id=resource.id, visitor_key=key, day=day))
    except IntegrityError:
        return False
    resource.download_count = Resource.download_count + 1  # SQL increment: races add up
    db.session.flush()
    db.session.refresh(resource, ["download_count"])
    domain_events.resource_downloaded.send(resource)
    return True
