"""Words and stems: how text is cut into terms for the SQLite index, queries and snippets.

PostgreSQL's `russian` configuration stems Cyrillic words with the Russian Snowball stemmer and
Latin words with the English one, after dropping the same stop words; this module does the
same in Python (snowballstemmer), so both backends find the same documents.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache

from forum.search.stopwords import STOP_WORDS

# Letters and digits; an underscore, a hyphen or any punctuation separates words.
WORD = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")



@cache
def _stemmer(language: str):
    """Snowball's stemmer for a language; the package (~3 MB, every language) is imported by
    the first search or indexing, so a worker that only serves pages never loads it."""
    import snowballstemmer

    return snowballstemmer.stemmer(language)


def words(text: str) -> list[str]:
    """The words of a text, lower-cased, in order."""
    return WORD.findall((text or "").lower())


# Per process, and web workers index the posts they save: an entry is ~200 bytes, so 10,000
# (~2 MB, the common word forms) rather than a worker slowly filling 10 MB.
@lru_cache(maxsize=10_000)
def stem(word: str) -> str | None:
    """A lower-cased word's index term: None for a stop word; Russian stem for Cyrillic, English
    for Latin, the word itself when it holds digits or another script."""
    if word in STOP_WORDS:
        return None
    if any(ch.isdigit() for ch in word):
        return word
    if _CYRILLIC.search(word):
        return _stemmer("russian").stemWord(word)
    if _LATIN.search(word):
        return _stemmer("english").stemWord(word)
    return word


def terms(text: str) -> list[str]:
    """The index terms of a text, in order (stop words left out)."""
    return [t for t in (stem(w) for w in words(text)) if t]


def analysed(text: str) -> str:
    """A text as the SQLite index stores it: its terms separated by spaces."""
    return " ".join(terms(text))
