"""The library in the site-wide search: kind 'resource' (`in:library`), documents made of a
material's title, description, tags and the text inside its file, readable when the material
is (permissions.visible_resources, checked at query time)."""

from __future__ import annotations

from collections.abc import Iterator

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload, undefer

from forum import permissions
from forum.extensions import db
from forum.models import Resource, SearchDocument
from forum.search.index import upsert_document, upsert_documents
from forum.search.kinds import CATEGORY, Hit, SearchContext, SearchKind

KIND = "resource"


def resource_document(resource: Resource) -> dict:
    body = "\n".join(part for part in (resource.description, " ".join(resource.tag_list),
                                       resource.extracted_text) if part)
    return {"ref_id": resource.id, "title": resource.title, "body": body,
            "user_id": resource.user_id, "created_at": resource.created_at}


def index_resource(resource: Resource) -> None:
    """Store the material's document (its metadata or file changed); the caller's transaction."""
    db.session.flush()  # a new material needs its id
    document = resource_document(resource)
    upsert_document(KIND, document.pop("ref_id"), **document)


def resource_filter(ctx: SearchContext):
    """Materials the viewer may see in the library; category: keeps those of the subjects."""
    conditions = [Resource.id == SearchDocument.ref_id, permissions.visible_resources(ctx.viewer)]
    if ctx.category_ids is not None:
        conditions.append(Resource.category_id.in_(ctx.category_ids))
    return exists(select(Resource.id).where(*conditions))


def load_resources(ref_ids: list[int], viewer) -> dict[int, Hit]:
    resources = db.session.scalars(select(Resource).where(Resource.id.in_(ref_ids))
                                   .options(selectinload(Resource.category),
                                            selectinload(Resource.user)))
    return {resource.id: _hit(resource, viewer) for resource in resources}


def _hit(resource: Resource, viewer) -> Hit:
    # A material on a readable post may be filed under a subject the viewer cannot see.
    subject = resource.category if permissions.can_view_subject(viewer, resource) else None
    return Hit(
        kind=KIND, ref_id=resource.id, title=resource.title,
        link=lambda: url_for("library.show", resource_id=resource.id),
        context=subject.name if subject else "",
        username=resource.user.username if resource.user else None,
        created_at=resource.created_at,
        data={"resource_id": resource.id, "post_id": resource.post_id,
              "category_id": subject.id if subject else None,
              "material_type": resource.material_type})


def reindex_resources(batch_size: int) -> Iterator[int]:
    last_id = 0
    while True:
        batch = list(db.session.scalars(
            select(Resource).where(Resource.id > last_id, Resource.removed_at.is_(None))
            .options(undefer(Resource.extracted_text)).order_by(Resource.id).limit(batch_size)))
        if not batch:
            return
        upsert_documents(KIND, [resource_document(r) for r in batch])
        last_id = batch[-1].id
        yield len(batch)


def count_resources() -> int:
    return db.session.scalar(select(func.count(Resource.id))
                             .where(Resource.removed_at.is_(None))) or 0


RESOURCE_KIND = SearchKind(name=KIND, label=_l("Library"), filter=resource_filter,
                           load=load_resources, supports=frozenset({CATEGORY}),
                           reindex=reindex_resources, count=count_resources)
