"""Text helpers for names and URLs: transliterated slugs, case folding, whitespace cleanup."""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _slugify

_WHITESPACE = re.compile(r"\s+")


def make_slug(text: str, *, fallback: str = "topic", max_length: int = 80) -> str:
    """A transliterated ASCII slug ("Дроби в 5 классе" → "drobi-v-5-klasse"); never empty."""
    return _slugify(text or "", max_length=max_length, word_boundary=True) or fallback


def normalise_title(text: str) -> str:
    """Unicode NFC and single spaces: what we store and count."""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFC", text or "")).strip()


def normalise_body(text: str) -> str:
    """Unicode NFC with Windows line endings folded and trailing blanks trimmed."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.strip()


def fold(text: str) -> str:
    """Case-insensitive key for usernames and e-mail addresses."""
    return unicodedata.normalize("NFKC", text or "").strip().casefold()
