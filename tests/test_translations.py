"""The Russian catalogue: complete, in step with the source, and actually used by the pages.

Refresh it the way these tests extract (same method map and keywords):

    .venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \\
        -k lazy_pgettext:1c,2 -k lazy_npgettext:1c,2,3 -o messages.pot .
    .venv/bin/pybabel update -i messages.pot -d forum/translations -l ru
    (translate the new entries, drop the fuzzy flags)
    make translations
"""

from __future__ import annotations

import re
from pathlib import Path

import flask_babel
import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from forum.config import TestConfig

ROOT = Path(__file__).resolve().parent.parent
RU_PO = ROOT / "forum" / "translations" / "ru" / "LC_MESSAGES" / "messages.po"
# Flask-Babel's lazy helpers on top of Babel's defaults (_, gettext, ngettext, pgettext, …).
EXTRA_KEYWORDS = ["_l", "lazy_gettext", "lazy_ngettext:1,2", "lazy_pgettext:1c,2",
                  "lazy_npgettext:1c,2,3"]
RUSSIAN_PLURAL_FORMS = ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
                        "n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")
# %(name)s, %(n)d, %s, %d … but not a literal "%%".
PLACEHOLDER = re.compile(r"(?<!%)%(?:\((\w+)\))?[-#0 +]*\d*(?:\.\d+)?([diouxXeEfFgGcrs])")


def _catalogue():
    with RU_PO.open("rb") as f:
        return read_po(f, locale="ru")


def _entries(catalogue):
    return [m for m in catalogue if m.id]


def _label(message) -> str:
    return repr(message.id if isinstance(message.id, str) else message.id[0])


def _placeholders(text: str) -> list[str]:
    return sorted(name or conversion for name, conversion in PLACEHOLDER.findall(text))


# --- (a) complete ----------------------------------------------------------------------------

def test_catalogue_header_declares_russian_plurals():
    catalogue = _catalogue()
    assert catalogue.num_plurals == 3
    assert catalogue.plural_forms.replace(" ", "") == RUSSIAN_PLURAL_FORMS.replace(" ", "")


def test_every_message_is_translated_and_none_is_fuzzy():
    catalogue = _catalogue()
    problems = []
    for message in _entries(catalogue):
        if message.fuzzy:
            problems.append(f"fuzzy: {_label(message)}")
        if message.pluralizable:
            forms = list(message.string) if isinstance(message.string, (list, tuple)) else []
            if len(forms) != 3 or not all(s and s.strip() for s in forms):
                problems.append(f"needs three plural forms: {_label(message)} → {forms!r}")
        elif not (message.string and message.string.strip()):
            problems.append(f"untranslated: {_label(message)}")
    assert not problems, "\n".join(problems)


def test_translations_keep_the_placeholders():
    problems = []
    for message in _entries(_catalogue()):
        if message.pluralizable:
            expected = _placeholders(message.id[0])
            if _placeholders(message.id[1]) != expected:
                expected = sorted(set(expected) | set(_placeholders(message.id[1])))
            translations = list(message.string)
        else:
            expected = _placeholders(message.id)
            translations = [message.string]
        for text in translations:
            if text and _placeholders(text) != expected:
                problems.append(f"{_label(message)}: {text!r} has {_placeholders(text)}, "
                                f"expected {expected}")
    assert not problems, "\n".join(problems)


def test_babel_finds_no_format_errors():
    problems = [f"{_label(message)}: {'; '.join(map(str, errors))}"
                for message, errors in _catalogue().check()]
    assert not problems, "\n".join(problems)


# The browser journey (tests/e2e) and the glossary depend on these exact words.
REQUIRED = {
    "Username": "Имя пользователя",
    "E-mail": "Электронная почта",
    "Password": "Пароль",
    "Repeat the password": "Повторите пароль",
    "Sign up": "Зарегистрироваться",
    "New topic": "Новая тема",
    "Title": "Заголовок",
    "Message": "Сообщение",
    "Create topic": "Создать тему",
    "Post reply": "Отправить ответ",
    "Latest": "Последние",
    "Categories": "Разделы",
    "Log in": "Войти",
    "Log out": "Выйти",
}


def test_required_terms_have_their_agreed_translations():
    catalogue = _catalogue()
    wrong = {msgid: (catalogue.get(msgid).string if catalogue.get(msgid) else None)
             for msgid, expected in REQUIRED.items()
             if not catalogue.get(msgid) or catalogue.get(msgid).string != expected}
    assert not wrong, f"expected {REQUIRED}, found differences: {wrong}"


# --- (b) up to date with the source ----------------------------------------------------------

def _extract_from_source() -> dict[tuple[str | None, str], str | None]:
    """msgid (with context) → plural msgid, for every string the source marks for translation."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, filename=str(ROOT / "babel.cfg"))
    keywords = {**DEFAULT_KEYWORDS, **parse_keywords(EXTRA_KEYWORDS)}
    found: dict[tuple[str | None, str], str | None] = {}
    for _filename, _lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=keywords):
        if isinstance(message, (list, tuple)):
            found[(context, message[0])] = message[1]
        else:
            found.setdefault((context, message), None)
    return found


def test_the_catalogue_has_every_string_in_the_source():
    extracted = _extract_from_source()
    assert len(extracted) > 100, "the extraction found suspiciously few strings"
    catalogue = _catalogue()
    missing = []
    for (context, msgid), plural in sorted(extracted.items(), key=lambda kv: kv[0][1]):
        entry = catalogue.get(msgid, context=context)
        if entry is None:
            missing.append(f"{msgid!r}" + (f" (context {context!r})" if context else ""))
        elif plural is not None and (not entry.pluralizable or entry.id[1] != plural):
            missing.append(f"{msgid!r} needs the plural {plural!r}")
    assert not missing, (f"{len(missing)} source string(s) are not in {RU_PO.relative_to(ROOT)}; "
                         "re-extract, update and translate (see this module's docstring):\n"
                         + "\n".join(missing))


# --- (c) and (d) the catalogue at work -------------------------------------------------------

@pytest.fixture(scope="session")
def compiled_catalogue(tmp_path_factory) -> Path:
    """The .po compiled to a private directory, so these tests never depend on a stale .mo."""
    directory = tmp_path_factory.mktemp("translations")
    target = directory / "ru" / "LC_MESSAGES"
    target.mkdir(parents=True)
    with (target / "messages.mo").open("wb") as f:
        write_mo(f, _catalogue(), use_fuzzy=True)
    return directory


@pytest.fixture(autouse=True)
def _use_compiled_catalogue(compiled_catalogue, monkeypatch):
    monkeypatch.setattr(TestConfig, "BABEL_TRANSLATION_DIRECTORIES", str(compiled_catalogue),
                        raising=False)


def test_pages_speak_russian_when_asked(client):
    page = client.get("/latest", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    assert "Последние" in page and "Разделы" in page
    assert ">Latest<" not in page and ">Categories<" not in page


def test_pages_speak_english_when_asked(client):
    page = client.get("/latest", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Latest" in page and "Categories" in page
    assert "Последние" not in page


@pytest.mark.parametrize(("singular", "plural", "expected"), [
    ("%(num)d topic", "%(num)d topics",
     {1: "1 тема", 2: "2 темы", 5: "5 тем", 11: "11 тем", 21: "21 тема", 24: "24 темы"}),
    ("%(num)d post", "%(num)d posts", {1: "1 сообщение", 3: "3 сообщения", 12: "12 сообщений"}),
    ("%(num)d reply", "%(num)d replies", {1: "1 ответ", 4: "4 ответа", 0: "0 ответов"}),
])
def test_counts_use_the_three_russian_plural_forms(app, singular, plural, expected):
    with app.test_request_context("/", headers={"Accept-Language": "ru"}):
        flask_babel.refresh()
        with flask_babel.force_locale("ru"):
            got = {n: flask_babel.ngettext(singular, plural, n) for n in expected}
    assert got == expected


def test_counts_in_english_stay_english(app):
    with app.test_request_context("/"), flask_babel.force_locale("en"):
        assert flask_babel.ngettext("%(num)d topic", "%(num)d topics", 1) == "1 topic"
        assert flask_babel.ngettext("%(num)d topic", "%(num)d topics", 5) == "5 topics"
