"""Tests for forum.markup: Markdown features, mentions, quotes, and the XSS corpus sweep."""

import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import Markup

from forum.markup import cook, mentioned_usernames, plain_text_excerpt, quote_markdown

DATA = Path(__file__).parent / "data"

# The allowlist as the tests expect it, written out independently of forum.markup,
# so widening the module's allowlist (say, to svg) fails here instead of passing silently.
# fmt: off
EXPECTED_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6",
    "strong", "em", "b", "i", "s", "del", "sub", "sup", "kbd",
    "blockquote", "code", "pre", "ul", "ol", "li", "a", "img",
    "table", "thead", "tbody", "tr", "th", "td", "details", "summary",
    "span",  # only as an attachment card (class attachment-card / attachment-meta)
})
# fmt: on
EXPECTED_ATTRIBUTES = {
    "span": {"class"},
    "a": {"href", "title", "rel", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "code": {"class"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}
LINK_SCHEMES = {"http", "https", "mailto"}
IMAGE_SCHEMES = {"http", "https"}
# Raw markers that would mean an element or comment got through unescaped.
FORBIDDEN_MARKUP = (
    "<script", "<svg", "<math", "<style", "<iframe", "<frame", "<form", "<base", "<meta",
    "<noscript", "<template", "<object", "<embed", "<input", "<button", "<link", "<!--",
)  # fmt: skip
REL = 'rel="nofollow ugc noopener"'
# Script and data URLs, plain and obfuscated the ways browsers still accept.
DANGEROUS_HREFS = [
    "javascript:alert(1)",
    "javascript:123",
    "JaVaScRiPt:alert(1)",
    "jav&#x09;ascript:alert(1)",
    "jav&#x0A;ascript:alert(1)",
    "&#106;avascript:alert(1)",
    "&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)",
    " javascript:alert(1)",
    "javascript&colon;alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "VBScript:msgbox(1)",
]


# --- helpers ---------------------------------------------------------------------------


class _ElementCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, attrs))


def elements(cooked: str) -> list[tuple[str, dict[str, str]]]:
    """Every start tag in ``cooked`` with its attributes, entity-decoded as a browser would."""
    collector = _ElementCollector()
    collector.feed(str(cooked))
    collector.close()
    return [
        (tag, {name: value or "" for name, value in attrs}) for tag, attrs in collector.elements
    ]


def url_scheme(url: str) -> str:
    """Scheme as a browser sees it: control chars and whitespace ignored, case folded."""
    squeezed = re.sub(r"[\x00-\x20\x7f-\xa0\s]+", "", url).lower()
    match = re.match(r"([a-z][a-z0-9+.-]*):", squeezed)
    return match.group(1) if match else ""


def assert_safe_html(cooked: str) -> None:
    """The invariant every cooked post must hold, whatever went in."""
    for tag, attrs in elements(cooked):
        assert tag in EXPECTED_TAGS, f"element <{tag}> survived"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"handler {name} on <{tag}>"
            assert name not in {"style", "id", "name"}, f"{name} on <{tag}>"
            assert name in EXPECTED_ATTRIBUTES.get(tag, ()), f"{name} on <{tag}>"
            if name == "href":
                assert url_scheme(value) in LINK_SCHEMES | {""}, value
            if name == "src":
                assert url_scheme(value) in IMAGE_SCHEMES | {""}, value
        if tag == "a" and "class" in attrs:
            assert attrs["class"] in {"mention", "quote-source", "attachment", "lightbox"}
        if tag == "span" and "class" in attrs:
            assert attrs["class"] in {"attachment-card", "attachment-meta"}
        if tag == "code" and "class" in attrs:
            assert re.fullmatch(r"language-[a-z0-9+#-]+", attrs["class"])
    lowered = str(cooked).lower()
    for marker in FORBIDDEN_MARKUP:
        assert marker not in lowered


def links(cooked: str) -> list[dict[str, str]]:
    return [attrs for tag, attrs in elements(cooked) if tag == "a"]


# --- Markdown features -----------------------------------------------------------------


def test_cook_returns_markup():
    assert isinstance(cook("hello"), Markup)


@pytest.mark.parametrize("raw", ["", "   ", "\n\t\n"])
def test_empty_or_blank_text_cooks_to_empty_markup(raw):
    assert cook(raw) == ""


def test_fenced_code_keeps_language_class_and_escapes_content():
    cooked = cook("```python\nif a < b:\n    pass\n```")
    assert '<pre><code class="language-python">if a &lt; b:\n    pass\n</code></pre>' in cooked


def test_code_class_outside_the_language_pattern_is_dropped():
    assert cook('<code class="evil" id="x">x</code>') == "<p><code>x</code></p>"


def test_table_cells_keep_alignment_as_attribute():
    cooked = cook("| a | b |\n|:--|--:|\n| 1 | 2 |")
    assert '<th align="left">a</th>' in cooked
    assert '<td align="right">2</td>' in cooked
    assert "style" not in cooked


def test_ordered_list_keeps_its_start_number():
    assert '<ol start="3">' in cook("3. three\n4. four")


def test_bulleted_list_is_rendered():
    assert cook("- a\n- b") == "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"


def test_single_newline_becomes_line_break():
    assert cook("line one\nline two") == "<p>line one<br>\nline two</p>"


def test_heading_has_no_id():
    assert cook("# Заголовок") == "<h1>Заголовок</h1>"


def test_cyrillic_text_is_unchanged():
    text = "Привет, коллеги! Ёлка, «кавычки» — и тире… №5"
    assert cook(text) == f"<p>{text}</p>"


def test_image_keeps_src_alt_and_title():
    cooked = cook('![схема](https://example.com/a.png "Схема")')
    assert elements(cooked)[1] == (
        "img",
        {"alt": "схема", "src": "https://example.com/a.png", "title": "Схема"},
    )


def test_image_with_mailto_source_loses_its_source():
    assert elements(cook("![a](mailto:a@example.com)"))[1] == ("img", {"alt": "a"})


def test_details_and_summary_are_allowed():
    cooked = cook("<details><summary>Ответ</summary>42</details>")
    assert "<details><summary>Ответ</summary>42</details>" in cooked


# --- links -----------------------------------------------------------------------------


def test_markdown_link_gets_rel():
    assert cook("[сайт](https://example.com)") == (
        f'<p><a href="https://example.com" {REL}>сайт</a></p>'
    )


def test_raw_html_link_rel_and_target_are_replaced():
    cooked = cook('<a href="https://example.com" rel="opener" target="_blank">x</a>')
    assert links(cooked) == [{"href": "https://example.com", "rel": "nofollow ugc noopener"}]


def test_bare_url_is_linkified():
    cooked = cook("см. https://example.com/a?b=1.")
    assert cooked == (
        f'<p>см. <a href="https://example.com/a?b=1" {REL}>https://example.com/a?b=1</a>.</p>'
    )


def test_www_address_is_linkified_with_http():
    assert links(cook("www.example.com"))[0]["href"] == "http://www.example.com"


def test_cyrillic_domain_is_linkified():
    assert links(cook("https://госуслуги.рф/"))[0]["href"] == "https://госуслуги.рф/"


def test_file_name_that_looks_like_a_domain_is_not_linkified():
    assert links(cook("запустите main.py и откройте отчёт.рф")) == []


def test_url_in_code_is_not_linkified():
    assert links(cook("`https://example.com`\n\n```\nhttps://example.com\n```")) == []


def test_email_address_is_not_linkified():
    assert links(cook("пишите на anna@example.com")) == []


def test_relative_link_is_kept():
    assert links(cook("[тема](/t/7/3)"))[0]["href"] == "/t/7/3"


def test_mailto_link_is_kept():
    assert links(cook("[почта](mailto:anna@example.com)"))[0]["href"] == "mailto:anna@example.com"


@pytest.mark.parametrize("href", DANGEROUS_HREFS)
@pytest.mark.parametrize("template", ['<a href="{}">x</a>', "[x]({})"], ids=["html", "markdown"])
def test_dangerous_href_keeps_no_scheme(template, href):
    # Most lose the href; "javascript&colon;…" survives as "&amp;colon;", a harmless path.
    for attrs in links(cook(template.format(href))):
        assert url_scheme(attrs.get("href", "")) == ""


def test_javascript_href_is_removed():
    assert links(cook('<a href="javascript:alert(1)">x</a>')) == [{"rel": "nofollow ugc noopener"}]


def test_javascript_href_with_only_digits_is_removed():
    # bleach on its own keeps this one: its URL parser takes ":123" for a port
    assert links(cook('<a href="javascript:123">x</a>')) == [{"rel": "nofollow ugc noopener"}]


def test_dangerous_image_source_is_removed():
    cooked = cook('<img src="javascript:alert(1)"> ![x](data:image/svg+xml,<svg onload=alert(1)>)')
    assert all("src" not in attrs for tag, attrs in elements(cooked) if tag == "img")


# --- sanitising ------------------------------------------------------------------------


def test_script_tag_is_shown_as_text():
    cooked = cook("<script>alert(1)</script>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in cooked
    assert "<script" not in cooked


def test_img_onerror_is_stripped():
    assert cook('<img src="x.png" onerror="alert(1)">') == '<p><img src="x.png"></p>'


def test_style_attribute_is_stripped():
    assert cook('<strong style="color:red">x</strong>') == "<p><strong>x</strong></p>"


@pytest.mark.parametrize("tag", ["svg", "math", "iframe", "style", "form", "object", "template"])
def test_dangerous_container_is_escaped(tag):
    cooked = cook(f"<{tag}>x</{tag}>")
    assert f"&lt;{tag}&gt;" in cooked
    assert_safe_html(cooked)


def test_html_comment_is_stripped():
    assert cook("a <!-- secret --> b") == "<p>a  b</p>"


def test_raw_markdown_link_attributes_survive_only_on_the_allowlist():
    cooked = cook('<a href="/x" title="t" id="i" name="n" onclick="c()">x</a>')
    assert links(cooked) == [{"href": "/x", "title": "t", "rel": "nofollow ugc noopener"}]


# --- mentions --------------------------------------------------------------------------


def test_mention_of_existing_user_becomes_profile_link():
    cooked = cook("привет, @anna!", mention_exists=lambda name: name == "anna")
    assert f'<a class="mention" href="/u/anna" {REL}>@anna</a>!' in cooked


def test_mention_of_unknown_user_stays_text():
    assert cook("@ghost", mention_exists=lambda name: False) == "<p>@ghost</p>"


def test_every_mention_is_linked_when_no_lookup_is_given():
    assert [a["href"] for a in links(cook("@anna и @bob"))] == ["/u/anna", "/u/bob"]


def test_cyrillic_mention_is_url_quoted_in_href():
    assert links(cook("@Анна"))[0]["href"] == "/u/%D0%90%D0%BD%D0%BD%D0%B0"


def test_mention_at_sentence_end_leaves_the_dot_out():
    assert cook("спасибо, @anna.bell.") == (
        f'<p>спасибо, <a class="mention" href="/u/anna.bell" {REL}>@anna.bell</a>.</p>'
    )


def test_mention_in_code_is_not_linked():
    assert links(cook("`@anna`\n\n```\n@anna\n```\n\n    @anna")) == []


def test_email_address_is_not_a_mention():
    assert links(cook("anna@example.com")) == []


def test_mention_in_url_path_is_not_linked():
    cooked = cook("https://medium.com/@anna")
    assert [a["href"] for a in links(cooked)] == ["https://medium.com/@anna"]


def test_mention_inside_link_text_is_not_a_nested_link():
    assert [a["href"] for a in links(cook("[@anna](https://example.com)"))] == [
        "https://example.com"
    ]


def test_mention_lookup_runs_once_per_name():
    asked = []
    cook("@anna @anna @bob", mention_exists=lambda name: asked.append(name) or True)
    assert asked == ["anna", "bob"]


def test_mentioned_usernames_are_lowercase_unique_and_ordered():
    raw = "@Bob, @anna и снова @bob; `@code` anna@example.com\n\n```\n@fenced\n```"
    assert mentioned_usernames(raw) == ["bob", "anna"]


def test_mentioned_usernames_of_empty_text_is_empty():
    assert mentioned_usernames("") == []


# --- quotes ----------------------------------------------------------------------------


def test_quote_becomes_blockquote_with_link_back():
    cooked = cook('[quote="anna, post:3, topic:7"]\nТекст\n[/quote]')
    assert cooked == (
        "<blockquote>\n"
        f'<p><a class="quote-source" href="/t/7/3" {REL}>@anna</a></p>\n'
        "<p>Текст</p>\n"
        "</blockquote>"
    )


def test_nested_quotes_become_nested_blockquotes():
    raw = (
        '[quote="anna, post:3, topic:7"]\nвнешняя\n'
        '[quote="bob, post:1, topic:7"]\nвнутренняя\n[/quote]\n'
        "снова внешняя\n[/quote]\nответ"
    )
    cooked = cook(raw)
    assert cooked.count("<blockquote>") == 2
    assert [a["href"] for a in links(cooked)] == ["/t/7/3", "/t/7/1"]
    assert cooked.endswith("</blockquote>\n<p>ответ</p>")


def test_quote_without_attribution_is_a_plain_blockquote():
    assert cook("[quote]\nцитата\n[/quote]") == "<blockquote>\n<p>цитата</p>\n</blockquote>"


def test_quote_username_is_escaped():
    cooked = cook('[quote="<img src=x onerror=alert(1)>, post:1, topic:2"]\nx\n[/quote]')
    assert "&lt;img src=x onerror=alert(1)&gt;" in cooked
    assert_safe_html(cooked)


def test_quote_inside_fenced_code_is_left_alone():
    assert cook("```\n[quote]\nx\n[/quote]\n```") == (
        "<pre><code>[quote]\nx\n[/quote]\n</code></pre>"
    )


def test_unclosed_quote_stays_text():
    assert cook("[quote]\nx") == "<p>[quote]<br>\nx</p>"


def test_fenced_code_inside_quote_stays_code():
    cooked = cook("[quote]\n```python\nif a < b:\n\n    @anna\n```\n[/quote]")
    assert "<pre><code>if a &lt; b:\n\n    @anna\n</code></pre>" in cooked
    assert links(cooked) == []


def test_text_after_quote_is_outside_the_blockquote():
    assert cook("[quote]\nцитата\n[/quote]\nответ").endswith("</blockquote>\n<p>ответ</p>")


def test_quote_with_name_only_shows_name_without_link():
    cooked = cook('[quote="anna"]\nx\n[/quote]')
    assert "<p><strong>@anna</strong></p>" in cooked
    assert links(cooked) == []


def test_quote_after_inline_triple_backticks_is_still_a_quote():
    assert "<blockquote>" in cook("```x```\n\n[quote]\nцитата\n[/quote]")


def test_quotes_nested_deeper_than_ten_levels_stay_text():
    cooked = cook("[quote]\n" * 12 + "x\n" + "[/quote]\n" * 12)
    assert cooked.count("<blockquote>") == 10
    assert cooked.count("[quote]") == 2


def test_quote_markdown_builds_discourse_block():
    assert quote_markdown("anna", 7, 3, "Текст\n") == (
        '[quote="anna, post:3, topic:7"]\nТекст\n[/quote]'
    )


def test_quote_markdown_cooks_back_to_a_linked_quote():
    cooked = cook(quote_markdown("anna", 7, 3, "Текст"))
    assert links(cooked)[0]["href"] == "/t/7/3"


# --- excerpts --------------------------------------------------------------------------


def test_excerpt_strips_tags_and_collapses_whitespace():
    assert plain_text_excerpt("<p>Один &amp;  два</p>\n<p>три</p>") == "Один & два три"


def test_excerpt_is_cut_on_a_word_with_ellipsis():
    assert plain_text_excerpt("<p>раз два три четыре</p>", length=10) == "раз два…"


def test_short_excerpt_is_not_cut():
    assert plain_text_excerpt("<p>раз два</p>", length=7) == "раз два"


# --- pathological input ----------------------------------------------------------------
# Unguarded, each of these took from a minute to two on Python-Markdown or bleach's linkify;
# the bounds are loose so that a busy test machine does not make them flaky.


def cook_seconds(raw: str) -> float:
    started = time.perf_counter()
    cook(raw)
    return time.perf_counter() - started


def test_ten_thousand_open_brackets_cook_quickly():
    assert cook_seconds("[" * 10_000) < 10


def test_unclosed_link_targets_cook_quickly():
    assert cook_seconds("[x](" * 5_000) < 10


def test_many_parentheses_cook_quickly():
    assert cook_seconds("(" * 32_000) < 10


def test_brackets_hidden_from_markdown_still_show_as_text():
    assert cook("[" * 2_000) == f"<p>{'[' * 2_000}</p>"


def test_quotes_still_work_when_brackets_are_hidden():
    assert "<blockquote>" in cook("[quote]\n" + "[" * 2_000 + "\n[/quote]")


def test_links_still_work_beside_a_big_code_block():
    raw = "```python\n" + "x[i][j] = y[k]\n" * 600 + "```\n\nсм. [документацию](/t/1/2)"
    assert [a["href"] for a in links(cook(raw))] == ["/t/1/2"]


# --- corpus sweep ----------------------------------------------------------------------


def _blns() -> list[str]:
    return json.loads((DATA / "blns" / "blns.json").read_text("utf-8"))


def _dompurify() -> list[str]:
    cases = json.loads((DATA / "dompurify" / "payloads.json").read_text("utf-8"))
    return [case["payload"] for case in cases]


def _bleach() -> list[tuple[str, str]]:
    # Each .test file holds an input, a line "--", then bleach's own expected output.
    paths = sorted((DATA / "bleach").glob("*.test"), key=lambda path: int(path.stem))
    return [(path.stem, path.read_text("utf-8").partition("\n--\n")[0]) for path in paths]


BLNS = [pytest.param(text, id=f"blns-{i:03d}") for i, text in enumerate(_blns())]
CORPUS = [
    *BLNS,
    *(pytest.param(text, id=f"dompurify-{i:03d}") for i, text in enumerate(_dompurify())),
    *(pytest.param(text, id=f"bleach-{stem}") for stem, text in _bleach()),
]


def test_corpora_are_complete():
    assert (len(_blns()), len(_dompurify()), len(_bleach())) == (515, 223, 20)


@pytest.mark.parametrize("text", BLNS)
def test_naughty_string_never_raises(text):
    assert isinstance(cook(text), Markup)
    assert isinstance(mentioned_usernames(text), list)
    assert isinstance(plain_text_excerpt(cook(text)), str)


@pytest.mark.parametrize("payload", CORPUS)
def test_cooked_payload_holds_only_allowed_markup(payload):
    assert_safe_html(cook(payload))


@pytest.mark.parametrize("payload", CORPUS)
def test_quoted_payload_holds_only_allowed_markup(payload):
    assert_safe_html(cook(quote_markdown(payload, 1, 2, payload)))
