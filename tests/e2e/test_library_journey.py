"""The library journey: a teacher drags a PDF into the composer and posts; a colleague finds
the material in the library under its subject by a word of its text; two experts of the
subject review it, and it shows as recommended by experts, first when sorted by rating."""

from __future__ import annotations

import re

import pytest

from tests.e2e.conftest import SETUP_SCRIPT
from tests.e2e.server import log_in, running_server
from tests.e2e.test_attachments import drop_file
from tests.library.builders import make_pdf

pytestmark = pytest.mark.e2e
expect = pytest.importorskip("playwright.sync_api").expect

PASSWORD = "very secret words"
SETUP = SETUP_SCRIPT + f"""
    from forum.accounts.services import register
    from forum.groups.services import create_group
    from forum.library import experts
    from forum.models import Category
    maths = db.session.query(Category).filter_by(slug="matematika").one()
    group = create_group(actor=None, name="experts-matematika",
                         full_name="Эксперты: математика")
    experts.set_expert_group(maths, group, actor=None)
    for name in ("olga", "ekspert1", "ekspert2", "teacher"):
        user = register(username=name, email=name + "@example.org", password={PASSWORD!r})
        user.trust_level = 1
        if name.startswith("ekspert"):
            group.members.append(user)
    db.session.commit()
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("library"), SETUP) as url:
        yield url


def _review(browser, server, expert: str, comment: str) -> None:
    context = browser.new_context(locale="ru-RU")
    page = context.new_page()
    log_in(page, server, expert, PASSWORD)
    page.goto(f"{server}/library")
    page.locator(".resource-card", has_text="Сложение дробей").get_by_role("link").first.click()
    page.wait_for_url(re.compile(r"/library/\d+$"))
    assert page.locator(".resource-preview img").is_visible()
    page.get_by_label("Соответствие программе").select_option("5")
    page.get_by_label("Методическое качество").select_option("4")
    page.get_by_label("Понятность и оформление").select_option("5")
    page.get_by_label("Полнота").select_option("4")
    page.get_by_label("Комментарий").fill(comment)
    page.get_by_role("button", name="Сохранить рецензию").click()
    page.wait_for_url(re.compile(r"/library/\d+#reviews$"))
    assert page.get_by_text("Ваша рецензия сохранена.").is_visible()
    page.screenshot(path=f"/tmp/library-resource-{expert}.png", full_page=True)
    context.close()


def test_a_dragged_pdf_becomes_a_recommended_material(browser, server):
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    author = context.new_page()
    errors: list[str] = []
    author.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(author, server, "olga", PASSWORD)
    author.goto(server + "/new-topic")
    author.get_by_label("Заголовок").fill("Дроби: рабочий лист для 5 класса")
    author.get_by_label("Раздел").select_option(label="Математика")
    textarea = author.locator("textarea[data-composer]")
    textarea.fill("Делюсь рабочим листом по сложению дробей.\n")
    drop_file(author, "textarea[data-composer]", "Сложение дробей.pdf", "application/pdf",
              make_pdf("Сложение дробей с одинаковыми знаменателями"))
    expect(textarea).to_have_value(re.compile(r"\[Сложение дробей\.pdf\|attachment\]"))
    author.get_by_role("button", name="Создать тему").click()
    author.wait_for_url(re.compile(r"/t/[\w-]+/\d+"))
    author.locator("article.post .attachment-card").wait_for()
    context.close()

    reader = browser.new_context(locale="ru-RU").new_page()
    log_in(reader, server, "teacher", PASSWORD)
    reader.get_by_role("link", name="Библиотека", exact=True).click()
    reader.wait_for_url("**/library")
    reader.get_by_label("Раздел").select_option(label="Математика")
    reader.get_by_label("Поиск в библиотеке").fill("знаменателями")
    reader.get_by_role("button", name="Показать").click()
    reader.wait_for_url("**/library?*q=*")
    card = reader.locator(".resource-card", has_text="Сложение дробей")
    card.wait_for()
    assert card.count() == 1 and "Рекомендовано экспертами" not in card.inner_text()
    reader.screenshot(path="/tmp/library-list.png", full_page=True)

    _review(browser, server, "ekspert1", "Хорошая разработка.")
    _review(browser, server, "ekspert2", "Готово к использованию на уроке.")

    reader.goto(f"{server}/library?sort=rating")
    first = reader.locator(".resource-card").first
    assert "Сложение дробей" in first.inner_text()
    assert "Рекомендовано экспертами" in first.inner_text()
    assert errors == []
