"""The results page's filter panel: its fields become query-language filters, so a search
typed in the header and one built with the panel are the same query."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

# The panel's choices; values are query-language words.
PLACES = (("", _l("Everywhere")), ("topics", _l("Topics and posts")), ("title", _l("Titles only")),
          ("chat", _l("Chat")), ("library", _l("Library")))
STATUSES = (("", _l("Any status")), ("open", _l("Open topics")),
            ("closed", _l("Closed topics")), ("pinned", _l("Pinned topics")))
ORDERS = (("", _l("Most relevant")), ("latest", _l("Newest first")))


def panel_query(args) -> str:
    """The query text from `q` plus the panel's fields (each added only when set)."""
    parts = [(args.get("q") or "").strip()]
    place = args.get("in", "")
    if place in ("title", "chat", "library"):
        parts.append(f"in:{place}")
    category = (args.get("category") or "").strip()
    if category and " " not in category:
        parts.append(f"category:{category}")
    user = (args.get("user") or "").strip().lstrip("@")
    if user and " " not in user:
        parts.append(f"@{user}")
    if args.get("status") in ("open", "closed", "pinned"):
        parts.append(f"status:{args['status']}")
    for name in ("after", "before"):
        value = (args.get(name) or "").strip()
        if value and _is_date(value):
            parts.append(f"{name}:{value}")
    if args.get("order") == "latest":
        parts.append("order:latest")
    return " ".join(p for p in parts if p)


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True
