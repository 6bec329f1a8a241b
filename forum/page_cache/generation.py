"""The site's content generation: read once per guest request, bumped by every content change.

Guests' page cache keys include the generation, and every flush that touches content bumps
it in the same transaction, so a change shows at once in every worker process.
"""

from __future__ import annotations

from sqlalchemy import event, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from forum.models import (
    Category,
    CategoryPermission,
    Group,
    Post,
    SitePage,
    SiteSetting,
    SiteState,
    Topic,
    User,
)

# Models whose changes alter what guests see.
CONTENT_MODELS = (Topic, Post, Category, CategoryPermission, User, Group, SitePage,
                  SiteSetting)
_READ = "SELECT generation FROM site_state WHERE id = 1"


def read_generation(engine: Engine) -> int | None:
    """The content generation, or None when it cannot be read (then nothing is cached).

    A raw pooled connection: this runs for every guest request, and the ORM and Core
    layers cost several times the query itself.
    """
    try:
        connection = engine.raw_connection()
    except SQLAlchemyError:
        return None
    try:
        cursor = connection.cursor()
        cursor.execute(_READ)
        row = cursor.fetchone()
        cursor.close()
    except engine.dialect.dbapi.Error:
        return None
    finally:
        connection.close()  # back to the pool, rolled back
    return row[0] if row else None


@event.listens_for(Session, "before_flush")
def _bump_generation_on_content_change(session: Session, flush_context, instances) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(obj, CONTENT_MODELS) for obj in changed):
        session.execute(update(SiteState).where(SiteState.id == 1)
                        .values(generation=SiteState.generation + 1))
