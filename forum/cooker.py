"""The pipeline behind forum.markup.cook: Discourse [quote] blocks → Python-Markdown
(+ @mentions, upload:// references) → bleach allowlist → linkify.

Only forum.markup imports this module, when it first cooks or looks for mentions (see there).
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree
from functools import partial
from urllib.parse import quote

import bleach
import markdown
from bleach.linkifier import TLDS, LinkifyFilter
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

from forum.markup import (
    UPLOAD_NAME_ESCAPES,
    UPLOAD_REF_RE,
    MentionExists,
    UploadLookup,
    UploadReference,
    _no_upload,
    _upload_label,
)

# Anything not listed is escaped and shown as text. No svg/math/style/iframe/form/...:
# each is a known script or phishing vector and a forum post needs none of them.
# fmt: off
ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "b", "i", "s", "del", "sub", "sup", "kbd",
    "blockquote", "code", "pre", "ul", "ol", "li", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "details", "summary", "span",
})
# fmt: on
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
IMAGE_PROTOCOLS = frozenset({"http", "https"})
LINK_CLASSES = frozenset({"mention", "quote-source", "attachment", "lightbox"})
SPAN_CLASSES = frozenset({"attachment-card", "attachment-meta"})
CODE_CLASS_RE = re.compile(r"language-[a-z0-9+#-]+")
# ugc/nofollow: user links earn no search rank; noopener: a linked page cannot script our tab.
LINK_REL = "nofollow ugc noopener"

MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]
# align="…" instead of style="text-align: …", which the allowlist would drop.
MARKDOWN_CONFIG = {"tables": {"use_align_attribute": True}}

# Cyrillic top-level domains are not in bleach's list; a Russian forum links to them daily.
URL_TLDS = [*TLDS, "рф", "рус", "бел", "укр", "қаз", "москва", "онлайн", "сайт", "дети"]
# bleach's build_url_re() minus its leading "\(*", which retries every "(" from every start
# position: 32 KB of "(" took two minutes. LinkifyFilter strips unbalanced ")" by itself.
URL_RE = re.compile(
    r"\b(?<![@.])(?:https?:/{0,3}(?:(?:\w+:)?\w+@)?)?"  # http://, user:pass@
    r"([\w-]+\.)+(?:" + "|".join(sorted(URL_TLDS)) + r")(?::[0-9]+)?(?!\.\w)\b"  # host.tld:port
    r'(?:[/?][^\s{}|\\^`<>"]*)?',  # /path?query#fragment
    re.IGNORECASE,
)
URL_SCHEME_RE = re.compile(r"([a-z][a-z0-9+.-]*):")
# Browsers ignore these inside a URL ("jav\tascript:"), so scheme checks must too.
URL_IGNORED_CHARS_RE = re.compile(r"[\x00-\x20\x7f-\xa0\s]+")

# Letters (Cyrillic too), digits, _ . - ; never ending with a dot ("спасибо, @anna.").
# Not after a word character or URL punctuation: e-mail addresses and URL paths (/@anna)
# are not mentions.
MENTION_RE = r"(?<![\w@./+=:-])@(\w(?:[\w.-]*[\w-])?)(?![\w@])"

# Deeper [quote] tags stay text: each level prefixes every inner line with "> ", so
# unbounded nesting makes the Markdown grow quadratically (2000 levels took minutes).
MAX_QUOTE_DEPTH = 10
QUOTE_OPEN_RE = re.compile(r' {0,3}\[quote(?:="([^"\n]*)")?\][ \t]*', re.IGNORECASE)
QUOTE_CLOSE_RE = re.compile(r" {0,3}\[/quote\][ \t]*", re.IGNORECASE)
# An opening fence as fenced_code sees it: column 0, then an optional language or {attrs}
# ("```x```" is inline code, not a fence). It is closed by the same fence string.
FENCE_RE = re.compile(r"(`{3,}|~{3,}) *(?:\{.*\}|\.?[\w#.+-]*) *")

# Python-Markdown finds where a link ends by walking characters in Python, once per "[" and
# up to the paragraph's end: 10 KB of "[" took a minute. Past this budget, the sum over
# paragraphs of "[" count × (length + overhead for the patterns tried per "["), fenced code
# being free, the brackets are hidden from Markdown (plain text, no links) and restored
# afterwards. A long post with a few hundred links stays well under it.
LINK_SCAN_BUDGET = 1_000_000
LINK_SCAN_OVERHEAD = 100
BRACKET_STAND_IN = "\ue000"  # a private-use character



def cooked_html(raw: str, mention_exists: MentionExists, uploads: UploadLookup, *,
                upload_names: bool = False) -> str:
    """Raw Markdown → sanitised, linkified HTML (forum.markup.cook wraps it)."""
    return _cleaner().clean(render_markdown(raw, mention_exists, uploads,
                                            upload_names=upload_names))


# --- Markdown --------------------------------------------------------------------------


def render_markdown(raw: str, mention_exists: MentionExists,
                    uploads: UploadLookup = _no_upload, *, upload_names: bool = False) -> str:
    # A fresh instance per call: Markdown objects keep per-document state and are not thread-safe.
    md = markdown.Markdown(
        extensions=[*MARKDOWN_EXTENSIONS,
                    _ForumExtension(mention_exists, uploads, upload_names=upload_names)],
        extension_configs=MARKDOWN_CONFIG,
        output_format="html",
    )
    source = _hide_costly_brackets(raw)
    cooked = md.convert(source)
    return cooked if source is raw else cooked.replace(BRACKET_STAND_IN, "[")


def _hide_costly_brackets(raw: str) -> str:
    """``raw`` itself when its links are cheap to parse, else a copy with "[" stood in for."""
    lines = raw.replace("\r\n", "\n").split("\n")
    kinds = _classify_lines(lines)
    cost = length = brackets = 0
    for line, kind in zip([*lines, ""], [*kinds, "text"], strict=True):
        if kind in ("fence", "code") or not line.strip():  # a paragraph ends
            cost, length, brackets = cost + (length + LINK_SCAN_OVERHEAD) * brackets, 0, 0
        else:
            length, brackets = length + len(line) + 1, brackets + line.count("[")
    if cost <= LINK_SCAN_BUDGET:
        return raw
    return "\n".join(
        line.replace("[", BRACKET_STAND_IN) if kind == "text" else line  # keep code, [quote]s
        for line, kind in zip(lines, kinds, strict=True)
    )


class _ForumExtension(Extension):
    """Discourse-style [quote] blocks, @mentions and upload:// references."""

    def __init__(self, mention_exists: MentionExists, uploads: UploadLookup = _no_upload, *,
                 upload_names: bool = False) -> None:
        super().__init__()
        self.mention_exists = mention_exists
        self.uploads = uploads
        self.upload_names = upload_names

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 -- Markdown's API
        # 27: after whitespace normalisation (30), before fenced code (25) takes the fences away.
        md.preprocessors.register(_QuotePreprocessor(md), "discourse_quote", 27)
        # 65: after code spans, links and autolinks (which then shield their text), before emphasis.
        md.inlinePatterns.register(
            _MentionProcessor(MENTION_RE, md, self.mention_exists), "mention", 65
        )
        # 185: after code spans (190), before backslash escapes (180) and links (160).
        md.inlinePatterns.register(
            _UploadProcessor(UPLOAD_REF_RE, md, self.uploads, names=self.upload_names),
            "upload_reference", 185)


class _UploadProcessor(InlineProcessor):
    """An upload reference → a thumbnail linking to the image, or a download card; a key the
    lookup does not resolve (unknown, or another member's private file) stays plain text."""

    def __init__(self, pattern: str, md: markdown.Markdown, uploads: UploadLookup, *,
                 names: bool = False) -> None:
        super().__init__(pattern, md)
        self.uploads = uploads
        self.names_only = names  # unresolved: the name, not the Markdown
        self.names: dict[str, int] = {}  # file names shown so far: duplicates get "(2)"

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 -- Markdown's API
        upload = self.uploads(m.group(3))
        if upload is None:
            shown = _upload_label(m.group(2)) if self.names_only else m.group(0)
            return AtomicString(shown), m.start(0), m.end(0)
        label = UPLOAD_NAME_ESCAPES.sub(r"\1", m.group(2)).rsplit("|", 1)[0].strip()
        label = label or upload.name
        if upload.is_image:
            return self._image(upload, label), m.start(0), m.end(0)
        return self._card(upload, self._unique(label)), m.start(0), m.end(0)

    def _unique(self, label: str) -> str:
        seen = self.names.get(label.lower(), 0) + 1
        self.names[label.lower()] = seen
        if seen == 1:
            return label
        stem, dot, extension = label.rpartition(".")
        return f"{stem} ({seen}).{extension}" if dot and stem else f"{label} ({seen})"

    def _image(self, upload: UploadReference, label: str):
        link = etree.Element("a", {"class": "lightbox", "href": upload.url, "title": label})
        attrs = {"src": upload.thumbnail_url or upload.url, "alt": label}
        if upload.width and upload.height:
            attrs.update(width=str(upload.width), height=str(upload.height))
        etree.SubElement(link, "img", attrs)
        return link

    def _card(self, upload: UploadReference, label: str):
        card = etree.Element("span", {"class": "attachment-card"})
        link = etree.SubElement(card, "a", {"class": "attachment", "href": upload.url + "?dl=1"})
        link.text = AtomicString(label)
        meta = etree.SubElement(card, "span", {"class": "attachment-meta"})
        meta.text = AtomicString(f"{upload.extension.upper()}, {upload.size_label}")
        link.tail = " "
        return card


class _MentionProcessor(InlineProcessor):
    """``@name`` → ``<a class="mention" href="/u/name">@name</a>`` when the user exists."""

    # No links nested in links, no mentions in code. This sees Markdown's own elements only:
    # text inside raw HTML <a>/<code> the user typed is still scanned (harmless, bleach fixes
    # the nesting), because raw tags are opaque placeholders at this stage.
    ANCESTOR_EXCLUDES = ("a", "code", "pre")

    def __init__(self, pattern: str, md: markdown.Markdown, exists: MentionExists) -> None:
        super().__init__(pattern, md)
        self.exists = exists

    def handleMatch(self, m: re.Match[str], data: str):  # noqa: N802 -- Markdown's API
        name = m.group(1)
        if not self.exists(name):
            return None, None, None
        link = etree.Element("a", {"class": "mention", "href": "/u/" + quote(name, safe="")})
        link.text = AtomicString("@" + name)
        return link, m.start(0), m.end(0)


class _QuotePreprocessor(Preprocessor):
    """Rewrite ``[quote="anna, post:3, topic:7"]…[/quote]`` lines into Markdown blockquotes.

    Tags count only on their own line and outside fenced code; unmatched tags stay text.
    """

    def run(self, lines: list[str]) -> list[str]:
        kinds = _classify_lines(lines)
        pairs = _pair_quotes(kinds)
        if not pairs:
            return lines
        closes = set(pairs.values())
        out: list[str] = []
        depth = 0
        for i, (line, kind) in enumerate(zip(lines, kinds, strict=True)):
            if i in pairs:
                out.append(_quote_blank(depth))  # start a new block, not a lazy continuation
                depth += 1
                header = _quote_header(QUOTE_OPEN_RE.fullmatch(line).group(1))
                if header:
                    # stashed: emitted as raw HTML, untouched by Markdown's inline rules
                    placeholder = self.md.htmlStash.store(header)
                    out += [_quote_prefix(depth) + placeholder, _quote_blank(depth)]
            elif i in closes:
                depth -= 1
                out.append(_quote_blank(depth))  # else the next line would join the quote
            elif depth and kind == "fence":
                # fenced_code only works at the top level: quoted fences become indented code
                out.append(_quote_blank(depth))
            elif depth and kind == "code":
                out.append(_quote_prefix(depth) + "    " + line)
            else:
                out.append(_quote_prefix(depth) + line)
        return out


def _classify_lines(lines: list[str]) -> list[str]:
    """Label each line "fence", "code" (inside a fence), "open", "close" or "text"."""
    kinds, fence = [], None
    for line in lines:
        if fence:
            kind = "fence" if line.rstrip(" ") == fence else "code"
            fence = None if kind == "fence" else fence
        elif match := FENCE_RE.fullmatch(line):
            fence, kind = match.group(1), "fence"
        elif QUOTE_OPEN_RE.fullmatch(line):
            kind = "open"
        elif QUOTE_CLOSE_RE.fullmatch(line):
            kind = "close"
        else:
            kind = "text"
        kinds.append(kind)
    return kinds


def _pair_quotes(kinds: list[str]) -> dict[int, int]:
    """Map the index of each matched [quote] line to its [/quote] line, nesting allowed."""
    pairs: dict[int, int] = {}
    stack: list[int | None] = []
    for i, kind in enumerate(kinds):
        if kind == "open":
            stack.append(i if len(stack) < MAX_QUOTE_DEPTH else None)  # None: too deep, text
        elif kind == "close" and stack:
            opening = stack.pop()
            if opening is not None:
                pairs[opening] = i
    return pairs


def _quote_prefix(depth: int) -> str:
    return "> " * depth


def _quote_blank(depth: int) -> str:
    return _quote_prefix(depth).rstrip()


def _quote_header(attribution: str | None) -> str | None:
    """The quote's first line: "@anna" linking back to the quoted post when we know it."""
    name, _, details = (attribution or "").partition(",")
    name = name.strip()
    if not name:
        return None
    label = html.escape("@" + name)  # the name is user-typed text inside raw HTML
    topic = re.search(r"\btopic:\s*([0-9]+)", details)
    post = re.search(r"\bpost:\s*([0-9]+)", details)
    if not topic:
        return f"<strong>{label}</strong>"
    href = f"/t/{topic.group(1)}" + (f"/{post.group(1)}" if post else "")
    return f'<a class="quote-source" href="{href}">{label}</a>'


# --- Sanitising ------------------------------------------------------------------------


def _url_scheme(url: str) -> str:
    """The URL's scheme as a browser would see it, lowercased; "" for a relative URL."""
    match = URL_SCHEME_RE.match(URL_IGNORED_CHARS_RE.sub("", url).lower())
    return match.group(1) if match else ""


def _link_attribute(tag: str, name: str, value: str) -> bool:
    if name == "href":
        # bleach alone keeps "javascript:123": its URL parser reads ":<digits>" as a port
        return _url_scheme(value) in ALLOWED_PROTOCOLS | {""}
    if name == "class":
        return value in LINK_CLASSES
    return name in {"title", "rel"}


def _image_attribute(tag: str, name: str, value: str) -> bool:
    if name == "src":
        return _url_scheme(value) in IMAGE_PROTOCOLS | {""}  # no mailto: images
    return name in {"alt", "title", "width", "height"}


def _code_attribute(tag: str, name: str, value: str) -> bool:
    return name == "class" and CODE_CLASS_RE.fullmatch(value) is not None


def _span_attribute(tag: str, name: str, value: str) -> bool:
    return name == "class" and value in SPAN_CLASSES


# Attributes per tag; nothing else anywhere, so no style, id, name or on* handlers.
ALLOWED_ATTRIBUTES = {
    "span": _span_attribute,
    "a": _link_attribute,
    "img": _image_attribute,
    "code": _code_attribute,
    "ol": ["start"],
    "th": ["align"],
    "td": ["align"],
}


def _link_callback(attrs: dict, new: bool = False) -> dict | None:
    """Give every link our rel; linkify only text that is plainly meant as a URL."""
    # "main.py" and "отчёт.рф" are file names or prose as often as sites: want a scheme or www.
    if new and not attrs["_text"].lower().startswith(("http://", "https://", "www.")):
        return None
    attrs[(None, "rel")] = LINK_REL
    return attrs


def _cleaner() -> bleach.Cleaner:
    # A fresh Cleaner per call: bleach's cleaners hold parser state and are not thread-safe.
    linkify = partial(
        LinkifyFilter,
        callbacks=[_link_callback],
        skip_tags={"pre", "code"},
        parse_email=False,
        url_re=URL_RE,
    )
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        protocols=ALLOWED_PROTOCOLS,
        strip=False,  # show disallowed tags as text: the writer sees what happened
        strip_comments=True,
        filters=[linkify],
    )
