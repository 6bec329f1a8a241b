"""A teacher's first visit: sign up, open a category, start a topic, reply, see the reply."""

import re

import pytest

pytestmark = pytest.mark.e2e


def test_new_teacher_registers_starts_a_topic_and_sees_a_reply(page, live_server):
    page.goto(live_server + "/signup")
    page.get_by_label("Имя пользователя").fill("marina")
    page.get_by_label("Электронная почта").fill("marina@school.example")
    page.get_by_label("Пароль", exact=True).fill("very secret words")
    page.get_by_label("Повторите пароль").fill("very secret words")
    page.get_by_role("button", name="Зарегистрироваться").click()
    expect_url(page, r"/latest$|/$")

    page.goto(live_server + "/categories")
    page.get_by_role("link", name="Математика").first.click()
    expect_url(page, r"/c/matematika/\d+")
    page.get_by_role("link", name="Новая тема").click()

    page.get_by_label("Заголовок").fill("Как объяснить дроби пятиклассникам?")
    page.get_by_label("Сообщение").fill("Поделитесь, пожалуйста, **приёмами** и играми.")
    page.get_by_role("button", name="Создать тему").click()
    expect_url(page, r"/t/kak-obiasnit-drobi-piatiklassnikam/\d+")
    assert page.get_by_role("heading", name="Как объяснить дроби пятиклассникам?").is_visible()

    page.locator("#reply textarea").fill("Я использую пиццу и шоколадки — работает!")
    page.get_by_role("button", name="Отправить ответ").click()
    reply = page.locator("article.post", has_text="Я использую пиццу и шоколадки")
    reply.wait_for()
    assert reply.locator(".post-number").inner_text() == "#2"
    assert page.console_errors == []


def expect_url(page, pattern: str) -> None:
    page.wait_for_url(re.compile(pattern))
