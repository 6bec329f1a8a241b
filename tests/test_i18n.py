"""Interface language: user setting → cookie → Accept-Language, the /language switch, Russian."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask_babel import force_locale, gettext, ngettext

from forum.extensions import db
from forum.i18n import LOCALE_COOKIE, select_locale
from forum.models import User
from tests import factories

CATALOGUE = (Path(__file__).resolve().parent.parent / "forum" / "translations" / "ru"
             / "LC_MESSAGES" / "messages.mo")
needs_catalogue = pytest.mark.skipif(not CATALOGUE.exists(),
                                     reason="the Russian catalogue is not compiled yet")


def html_lang(response) -> str:
    match = re.search(r'<html lang="([^"]+)"', response.get_data(as_text=True))
    assert match
    return match.group(1)


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize(("header", "expected"), [
    ("en", "en"), ("ru", "ru"), ("en-GB,en;q=0.9", "en"), ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
    ("en;q=0.5, ru;q=0.9", "ru"), ("de, en;q=0.8", "en"), ("fr", "ru"), ("", "ru"),
    ("*", "ru"), ("garbage;;q=x", "ru"),
])
def test_accept_language_picks_a_supported_language(client, db, header, expected):
    response = client.get("/", headers={"Accept-Language": header})
    assert response.status_code == 200
    assert html_lang(response) == expected


def test_without_accept_language_the_default_is_russian(client, db):
    assert html_lang(client.get("/")) == "ru"


def test_cookie_beats_accept_language(client, db):
    client.set_cookie(LOCALE_COOKIE, "en")
    assert html_lang(client.get("/", headers={"Accept-Language": "ru"})) == "en"


def test_unknown_cookie_value_is_ignored(client, db):
    client.set_cookie(LOCALE_COOKIE, "xx")
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "en"


def test_user_setting_beats_cookie_and_accept_language(client, login, db):
    user = factories.make_user("anna", locale="en")
    login(user)
    client.set_cookie(LOCALE_COOKIE, "ru")
    assert html_lang(client.get("/", headers={"Accept-Language": "ru"})) == "en"


def test_user_without_a_setting_follows_the_browser(client, login, member):
    login(member)
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "en"


def test_language_switch_sets_a_year_long_httponly_cookie_and_goes_back(client, topic):
    back = f"http://localhost/t/{topic.slug}/{topic.id}"
    response = client.post("/language", data={"locale": "en"}, headers={"Referer": back})
    assert response.status_code == 302
    assert response.headers["Location"] in (back, f"/t/{topic.slug}/{topic.id}")
    [cookie] = [c for c in response.headers.getlist("Set-Cookie")
                if c.startswith(f"{LOCALE_COOKIE}=")]
    assert cookie.startswith(f"{LOCALE_COOKIE}=en;")
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Max-Age=31536000" in cookie
    assert html_lang(client.get("/", headers={"Accept-Language": "ru"})) == "en"


def test_language_switch_does_not_follow_a_foreign_referrer(client, db):
    response = client.post("/language", data={"locale": "en"},
                           headers={"Referer": "https://evil.example/phish"})
    assert response.headers["Location"] in ("/", "/latest")


@pytest.mark.parametrize("locale", ["xx", "", "../../etc"])
def test_language_switch_to_an_unknown_language_falls_back_to_russian(client, db, locale):
    response = client.post("/language", data={"locale": locale})
    assert response.status_code == 302
    assert html_lang(client.get("/", headers={"Accept-Language": "en"})) == "ru"


def test_language_switch_is_remembered_on_the_account(client, login, member):
    login(member)
    client.post("/language", data={"locale": "en"})
    db.session.expire_all()
    assert db.session.get(User, member.id).locale == "en"


def test_language_switch_is_not_a_get(client, db):
    assert client.get("/language").status_code == 405


def test_header_offers_the_other_language(client, db):
    body = text(client.get("/", headers={"Accept-Language": "en"}))
    assert re.search(r'name="locale" value="ru"', body)
    assert not re.search(r'name="locale" value="en"', body)


def test_services_outside_a_request_use_the_default_language(app):
    assert select_locale() == app.config["BABEL_DEFAULT_LOCALE"]


# --- Russian text -----------------------------------------------------------------------------

@needs_catalogue
def test_pages_are_translated_into_russian(client, db):
    assert "Latest topics" in text(client.get("/", headers={"Accept-Language": "en"}))
    body = text(client.get("/", headers={"Accept-Language": "ru"}))
    assert "Последние темы" in body
    assert "Latest topics" not in body


@needs_catalogue
def test_error_messages_follow_the_readers_language(client, member):
    data = {"login": "anna", "password": "wrong password"}
    english = text(client.post("/login", data=data, headers={"Accept-Language": "en"}))
    russian = text(client.post("/login", data=data, headers={"Accept-Language": "ru"}))
    assert "Wrong username, e-mail or password." in english
    assert "Неверное имя пользователя" in russian


@needs_catalogue
@pytest.mark.parametrize(("n", "expected"), [
    (1, "1 ответ"), (2, "2 ответа"), (4, "4 ответа"), (5, "5 ответов"), (11, "11 ответов"),
    (21, "21 ответ"), (22, "22 ответа"), (25, "25 ответов"), (0, "0 ответов"),
])
def test_russian_plurals_have_three_forms(app, n, expected):
    with app.test_request_context(headers={"Accept-Language": "ru"}), force_locale("ru"):
        assert ngettext("%(num)d reply", "%(num)d replies", n) == expected


@needs_catalogue
def test_topic_page_counts_replies_in_russian(client, topic, other_member):
    from forum.topics import services

    for i in range(2):
        services.reply(topic, author=other_member, raw=f"Ответ {i}")
    db.session.commit()
    body = text(client.get(f"/t/{topic.slug}/{topic.id}", headers={"Accept-Language": "ru"}))
    assert "2 ответа" in body


@needs_catalogue
def test_every_form_label_is_translated(app):
    from forum.accounts.forms import LoginForm, ProfileForm, RegisterForm
    from forum.topics.forms import ReplyForm, TopicForm

    with app.test_request_context(), force_locale("ru"):
        for form_class in (LoginForm, RegisterForm, ProfileForm, TopicForm, ReplyForm):
            form = form_class(meta={"csrf": False})
            for field in form:
                label = str(field.label.text)
                if getattr(field.widget, "input_type", None) == "hidden":
                    continue  # never shown
                if label:
                    assert re.search("[а-яё]", label, re.I) or label in (
                        "E-mail", "English", "Русский"), (form_class.__name__, label)


@needs_catalogue
def test_gettext_outside_a_request_speaks_russian(app):
    assert gettext("Latest topics") == "Последние темы"


@needs_catalogue
def test_template_strings_follow_force_locale_and_refresh_within_a_request(app):
    from flask import render_template_string
    from flask_babel import refresh

    with app.test_request_context(headers={"Accept-Language": "ru"}):
        assert render_template_string("{{ _('Latest') }}") == "Последние"
        with force_locale("en"):
            assert render_template_string("{{ _('Latest') }}") == "Latest"
        assert render_template_string("{{ _('Latest') }}") == "Последние"
        with app.test_request_context(headers={"Accept-Language": "en"}):
            refresh()
            assert render_template_string("{{ _('Latest') }}") == "Latest"


@pytest.mark.parametrize(("language", "expected"), [("ru", "Обязательное поле."),
                                                   ("en", "This field is required.")])
def test_form_validation_messages_follow_the_request_language(app, language, expected):
    from forum.topics.forms import ReplyForm

    with app.test_request_context(headers={"Accept-Language": language}):
        form = ReplyForm()
        assert form.meta.get_translations(form).gettext("This field is required.") == expected
