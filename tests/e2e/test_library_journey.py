"""The library journey from "the post with the PDF exists" on (the composer part, dragging the
PDF in and posting, is prepended once the uploads branch is merged): a teacher finds the
material in the library under its subject, an expert reviews it after a colleague did, and it
shows as recommended by experts."""

import subprocess
import sys

import pytest

from tests.e2e.server import ROOT, log_in

pytestmark = pytest.mark.e2e

PASSWORD = "very secret words"

SETUP = """
from forum import create_app
from forum.accounts.services import register
from forum.extensions import db
from forum.groups.services import create_group
from forum.library import experts, reviews
from forum.models import Category
from forum.topics.services import create_topic
from tests.library.builders import first_post, make_pdf, make_resource
app = create_app()
with app.app_context():
    maths = db.session.query(Category).filter_by(slug="matematika").one()
    author = register(username="olga", email="olga@example.org", password={pw!r})
    author.trust_level = 1
    group = create_group(actor=None, name="experts-matematika", full_name="Эксперты: математика")
    experts.set_expert_group(maths, group, actor=None)
    for name in ("ekspert1", "ekspert2", "teacher"):
        user = register(username=name, email=name + "@example.org", password={pw!r})
        user.trust_level = 1
        if name.startswith("ekspert"):
            group.members.append(user)
    topic = create_topic(maths, author=author, title="Дроби: рабочий лист",
                         raw="Делюсь рабочим листом по сложению дробей.")
    resource = make_resource(first_post(topic), filename="Сложение дробей.pdf",
                             data=make_pdf("Сложение дробей с одинаковыми знаменателями"))
    second = db.session.query(type(author)).filter_by(username="ekspert2").one()
    reviews.save_review(resource, reviewer=second, comment="Хорошая разработка.",
                        scores=dict(relevance=5, methodology=4, clarity=4, completeness=5))
    db.session.commit()
    print(resource.id)
"""


@pytest.fixture
def resource_id(live_server, tmp_path_factory):
    databases = sorted({p.resolve() for p in tmp_path_factory.getbasetemp().glob(
        "e2e*/e2e.sqlite3")})
    assert len(databases) == 1, databases
    env = {"DATABASE_URL": f"sqlite:///{databases[0]}", "SECRET_KEY": "e2e-secret",
           "PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-c", SETUP.format(pw=PASSWORD)], env=env,
                            cwd=ROOT, check=True, timeout=60, capture_output=True, text=True)
    return int(result.stdout.strip().splitlines()[-1])


def test_a_material_is_found_under_its_subject_reviewed_and_recommended(
        page, browser, live_server, resource_id):
    log_in(page, live_server, "teacher", PASSWORD)
    page.get_by_role("link", name="Библиотека", exact=True).click()
    page.wait_for_url("**/library")
    page.get_by_label("Раздел").select_option(label="Математика")
    page.get_by_label("Поиск в библиотеке").fill("дробями")
    page.get_by_role("button", name="Показать").click()
    page.wait_for_url("**/library?*q=*")  # counting before the results load would be flaky
    card = page.locator(".resource-card", has_text="Сложение дробей")
    card.wait_for()
    assert card.count() == 1
    assert "Рекомендовано экспертами" not in card.inner_text()
    page.screenshot(path="/tmp/library-list.png", full_page=True)

    context = browser.new_context(locale="ru-RU")
    expert = context.new_page()
    log_in(expert, live_server, "ekspert1", PASSWORD)
    expert.goto(f"{live_server}/library/{resource_id}")
    assert expert.locator(".resource-preview img").is_visible()
    expert.get_by_label("Соответствие программе").select_option("5")
    expert.get_by_label("Методическое качество").select_option("4")
    expert.get_by_label("Понятность и оформление").select_option("5")
    expert.get_by_label("Полнота").select_option("4")
    expert.get_by_label("Комментарий").fill("Готово к использованию на уроке.")
    expert.get_by_role("button", name="Сохранить рецензию").click()
    expert.wait_for_url(f"**/library/{resource_id}#reviews")
    assert expert.get_by_text("Ваша рецензия сохранена.").is_visible()
    assert expert.locator(".page-head .tag-recommended").inner_text() == \
        "Рекомендовано экспертами"
    comment = expert.locator(".review-comment", has_text="Готово к использованию на уроке.")
    assert comment.count() == 1
    expert.screenshot(path="/tmp/library-resource.png", full_page=True)
    context.close()

    page.goto(f"{live_server}/library?sort=rating")
    first = page.locator(".resource-card").first
    assert "Сложение дробей" in first.inner_text()
    assert "Рекомендовано экспертами" in first.inner_text()
    assert page.console_errors == []
