"""Topic list rows as HTML, each rendered once per content generation and locale.

The page's visibility query chooses the ids; a row itself shows only its topic's content,
so the same kept row serves every viewer that query lets see the topic.
"""

from __future__ import annotations

from markupsafe import Markup

from forum.fragment_cache import Fragment, cached_fragments, render_fragment
from forum.models import Topic
from forum.topics import queries

# Where a row takes the viewer's own marks (new, unread count): kept rows are shared.
VIEWER_MARKS = Markup("<!--viewer-marks-->")


def topic_rows(ids: list[int], *, show_category: bool = True,
               marks: dict[int, Markup] | None = None) -> Markup:
    """The <tr> rows of these topics, in order (topics deleted meanwhile left out), with the
    viewer's marks (rendered per request) put into their place in each row."""

    def render(missing: list[int]) -> dict[int, Fragment]:
        return {topic.id: render_fragment("topics/_topic_row.html", topic=topic,
                                          show_category=show_category,
                                          keep=not _pin_lapses(topic))
                for topic in queries.topics_by_ids(missing)}

    rows = cached_fragments("topic-row" if show_category else "topic-row-in-category",
                            ids, render)
    marks = marks or {}
    # str's own replace: Markup's escapes its arguments again, which cost a list page more
    # than its kept rows did. Rows are rendered templates and marks Markup, both escaped.
    marker = str(VIEWER_MARKS)
    return Markup("\n".join(str.replace(rows[i], marker, marks.get(i, ""), 1)  # noqa: S704
                            for i in ids if i in rows))


def _pin_lapses(topic: Topic) -> bool:
    # A pin with an end date stops showing when it ends, with no content change to mark it.
    return topic.is_pinned and topic.pinned_until is not None
