"""Cook user Markdown into safe HTML: the only producer of user HTML.

Pipeline: Discourse [quote] blocks → Python-Markdown (+ @mentions) → bleach allowlist → linkify.
Markdown's *output* is sanitised, never its input: Markdown happily passes raw HTML through,
so whatever it emits, from the user or from us, goes through the same allowlist.
The pipeline itself is forum.cooker, imported by the first cook: Markdown and bleach (~3.6 MB)
stay out of a worker that only serves pages; excerpts and upload keys here need neither.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

from markupsafe import Markup

MentionExists = Callable[[str], bool]


@dataclass(frozen=True)
class UploadReference:
    """What the cooker shows for an `upload://` reference (resolved by forum.uploads)."""

    name: str
    url: str
    is_image: bool
    extension: str
    size_label: str
    thumbnail_url: str | None = None
    width: int | None = None  # of the thumbnail
    height: int | None = None


UploadLookup = Callable[[str], "UploadReference | None"]

UPLOAD_KEY_RE = re.compile(r"upload://([A-Za-z0-9]{1,40})")
# Discourse's upload references: ![name|WxH](upload://KEY.ext) and [name|attachment](upload://…).
# The name may hold escaped brackets (\[ \]); the key is base62 (forum.models.uploads).
UPLOAD_REF_RE = (r"(!?)\[((?:\\.|[^\]\\\n]){0,400})\]"
                 r"\(upload://([A-Za-z0-9]{1,40})(?:\.[A-Za-z0-9]{1,16})?\)")
UPLOAD_NAME_ESCAPES = re.compile(r"\\(.)")


def cook(raw: str, *, mention_exists: MentionExists | None = None,
         uploads: UploadLookup | None = None, upload_names: bool = False) -> Markup:
    """Render a post's raw Markdown to sanitised HTML.

    ``mention_exists(name)`` decides which @names become profile links (each name is asked
    once per call, case as written); None links every mention. ``uploads(key)`` resolves an
    ``upload://KEY`` reference the post may show (None: it stays plain text, as do all of them
    without a lookup). ``upload_names``: an unresolved reference shows as the file name
    written in it, marked 📎, instead of its Markdown (for chat, which shows no files).
    """
    if not raw or not raw.strip():
        return Markup("")
    exists = cache(mention_exists) if mention_exists else _always
    from forum import cooker

    cooked = cooker.cooked_html(raw, exists, uploads or _no_upload, upload_names=upload_names)
    return Markup(cooked.strip())  # noqa: S704 -- bleach output is the one thing we trust


def mentioned_usernames(raw: str) -> list[str]:
    """Return the @names in ``raw`` outside code, lowercased, unique, in order of appearance."""
    found: dict[str, None] = {}  # a dict keeps first-seen order

    def record(name: str) -> bool:
        found[name.lower()] = None
        return False

    if raw and raw.strip():
        from forum import cooker

        cooker.render_markdown(raw, record)
    return list(found)


def quote_markdown(username: str, topic_id: int, post_number: int, raw: str) -> str:
    """Return the Discourse quote block that quotes ``raw`` from post ``post_number``."""
    name = username.replace('"', "")  # a quote would end the attribution early
    body = raw.strip("\r\n")
    return f'[quote="{name}, post:{post_number:d}, topic:{topic_id:d}"]\n{body}\n[/quote]'


def plain_text_excerpt(cooked: str, length: int = 200) -> str:
    """Return the text of cooked HTML, whitespace collapsed, cut at a word with "…"."""
    collector = _TextCollector()
    collector.feed(str(cooked))
    collector.close()
    text = " ".join("".join(collector.parts).split())
    if len(text) <= length:
        return text
    cut = text[:length]
    if text[length] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # never end mid-word
    return cut.rstrip(" ,;:") + "…"


def upload_names(raw: str) -> str:
    """``raw`` with each upload reference replaced by the file name written in it, marked 📎
    (for text shown outside a cooked post: a chat transcript). Code is not spared: such text
    is read, not rendered."""
    return re.sub(UPLOAD_REF_RE, lambda m: _upload_label(m.group(2)), raw or "")


def _upload_label(written: str) -> str:
    """The name in ``[name|attachment]`` or ``[name|WxH]``, unescaped, marked 📎."""
    name = UPLOAD_NAME_ESCAPES.sub(r"\1", written).rsplit("|", 1)[0].strip()
    return f"📎 {name}" if name else "📎"


def upload_keys(raw: str) -> list[str]:
    """Every short key named by an ``upload://`` URL in ``raw`` (a superset of what cooks)."""
    return list(dict.fromkeys(UPLOAD_KEY_RE.findall(raw or "")))


def escape_upload_name(name: str) -> str:
    """A file name made safe inside ``[…]`` of an upload reference."""
    name = " ".join(name.split())
    # Backslash first; then what would end the brackets early or open a code span.
    for special in ("\\", "[", "]", "`"):
        name = name.replace(special, "\\" + special)
    return name


def _always(name: str) -> bool:
    return True


def _no_upload(key: str) -> None:
    return None

# --- Excerpts --------------------------------------------------------------------------

# Tags whose boundaries separate words: "<p>a</p><p>b</p>" reads "a b", not "ab".
# fmt: off
TEXT_BREAK_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "ul", "ol", "li", "table", "tr", "th", "td", "details", "summary", "img",
})
# fmt: on


class _TextCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in TEXT_BREAK_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.handle_starttag(tag, [])

    def handle_data(self, data: str) -> None:
        self.parts.append(data)
