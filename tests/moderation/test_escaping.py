"""Hostile text (DOMPurify's XSS payloads) in reasons, log entries, sanctions and notifications
never becomes markup: every page that shows it keeps to the elements our templates write."""

from __future__ import annotations

import json
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from forum.models import utcnow
from forum.moderation import audit
from forum.notifications import services as notifications

PAYLOADS = [item["payload"] for item in json.loads(
    (Path(__file__).parents[1] / "data" / "dompurify" / "payloads.json").read_text("utf-8"))]
FORBIDDEN_TAGS = {"iframe", "object", "embed", "svg", "math", "img", "video", "audio", "base",
                  "frame", "frameset", "style", "marquee", "isindex", "xss"}


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS and not _our_icon(tag, dict(attrs)):
            self.problems.append(f"<{tag}>")
        if tag == "script" and not (dict(attrs).get("src") or "").startswith("/static/"):
            self.problems.append("inline <script>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "formaction", "srcdoc"):
                self.problems.append(f"{tag}[{name}]")
            if (name in ("href", "src", "action") and value and ":" in value.split("/")[0]
                    and not value.startswith(("http:", "https:", "mailto:"))):
                self.problems.append(f"{tag}[{name}={value[:30]}]")


def _our_icon(tag: str, attrs: dict) -> bool:
    """The templates' own inline icons (_macros/icons.html); event handlers are still caught."""
    return (tag == "svg" and (attrs.get("class") or "").startswith("icon icon-")
            and attrs.get("aria-hidden") == "true")


def _problems(html: str) -> list[str]:
    parser = _Tags()
    parser.feed(html)
    return parser.problems


@pytest.fixture
def hostile(db, topic, moderator, other_member):
    for payload in PAYLOADS:
        audit.record(audit.TOPIC_CLOSE, actor=moderator, target=topic, reason=payload,
                     before={"title": payload}, after={"title": payload[::-1]})
        notifications.notify(other_member, notifications.KIND_SILENCED,
                             data={"until": payload, "reason": payload})
    other_member.silenced_until = utcnow() + timedelta(days=1)
    other_member.silence_reason = PAYLOADS[0]
    db.session.commit()


def test_log_pages_show_hostile_reasons_and_values_as_text(actor_browser, hostile):
    browser, _ = actor_browser("admin")
    for page in range(1, len(PAYLOADS) // 50 + 2):
        html = browser.get(f"/moderation/log?page={page}").get_data(as_text=True)
        assert _problems(html) == [], page


def test_notification_pages_show_hostile_data_as_text(browser_for, hostile, other_member):
    browser = browser_for(other_member)
    for page in range(1, len(PAYLOADS) // 30 + 2):
        html = browser.get(f"/notifications?page={page}").get_data(as_text=True)
        assert _problems(html) == [], page


def test_sanction_pages_show_a_hostile_reason_as_text(actor_browser, hostile, other_member):
    browser, _ = actor_browser("admin")
    for path in (f"/u/{other_member.username}/sanctions", f"/admin/users/{other_member.id}"):
        assert _problems(browser.get(path).get_data(as_text=True)) == [], path


def test_the_checker_notices_markup(actor_browser):
    assert _problems('<img src=x onerror="alert(1)">') != []
    assert _problems("<p>&lt;img src=x onerror=alert(1)&gt;</p>") == []
