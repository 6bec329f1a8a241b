"""Library pages and JSON over HTTP: filters, sorts, search in Russian, forms keeping input,
privacy of private categories, downloads, reviews and stars."""

from __future__ import annotations

from sqlalchemy import select

from forum.extensions import db
from forum.library import reviews, services
from forum.models import PERMISSION_FULL, PERMISSION_READONLY, Resource
from tests import factories
from tests.library.builders import first_post, make_docx, make_pdf, make_resource
from tests.library.test_services import GOOD


def _resource(category, author, title, *, text="текст", filename="файл.pdf", **meta):
    topic = factories.make_topic(category=category, author=author, title=f"Тема: {title}")
    resource = make_resource(first_post(topic), filename=filename, data=make_pdf(text))
    services.update_metadata(resource, actor=author, title=title, description="",
                             category_id=category.id, grade_levels=meta.get("grades", []),
                             material_type=meta.get("type", "other"), tags=meta.get("tags", ""),
                             licence=meta.get("licence", "cc-by-4.0"))
    return resource


def _titles(client, **params):
    response = client.get("/library.json", query_string=params)
    assert response.status_code == 200
    return [r["title"] for r in response.json["resources"]]


def test_filters_by_subject_grade_type_and_licence(client, category, member):
    physics = factories.make_category("Физика", slug="fizika")
    _resource(category, member, "Дроби", grades=["5"], type="lesson_plan")
    _resource(category, member, "Уравнения", grades=["7", "8"], type="assessment",
              licence="cc0")
    _resource(physics, member, "Оптика", grades=["8"], type="presentation")
    db.session.commit()
    assert set(_titles(client, subject=category.id)) == {"Дроби", "Уравнения"}
    assert set(_titles(client, grade="8")) == {"Уравнения", "Оптика"}
    assert _titles(client, type="presentation") == ["Оптика"]
    assert _titles(client, licence="cc0") == ["Уравнения"]
    assert _titles(client, grade="1") == []
    # Unknown filter values are ignored, never an error.
    assert len(_titles(client, grade="99", type="poem", subject="x", sort="odd")) == 3


def test_search_finds_russian_word_forms_in_title_tags_and_file_text(client, category, member):
    _resource(category, member, "Конспект", text="Сложение дробей с разными знаменателями")
    _resource(category, member, "Опыты", tags="физика, оптика")
    _resource(category, member, "Lesson plans in English", text="irrelevant")
    db.session.commit()
    assert _titles(client, q="дробями") == ["Конспект"]
    assert _titles(client, q="знаменатель сложение") == ["Конспект"]
    assert _titles(client, q="оптике") == ["Опыты"]
    assert _titles(client, q="lesson") == ["Lesson plans in English"]
    assert _titles(client, q="дроби оптика") == []
    assert _titles(client, q="%") == []


def test_sorts_newest_downloads_and_rating_with_recommended_first(client, category, member,
                                                                  other_member, expert,
                                                                  second_expert):
    first = _resource(category, member, "Первый")
    second = _resource(category, member, "Второй")
    third = _resource(category, member, "Третий")
    second.download_count, third.download_count = 5, 2
    reviews.rate(third, user=other_member, stars=5)
    reviews.rate(second, user=other_member, stars=4)
    for who in (expert, second_expert):
        reviews.save_review(first, reviewer=who, scores=GOOD, comment="")
    db.session.commit()
    assert _titles(client) == ["Третий", "Второй", "Первый"]
    assert _titles(client, sort="downloads") == ["Второй", "Третий", "Первый"]
    assert _titles(client, sort="rating") == ["Первый", "Третий", "Второй"]
    page = client.get("/library", query_string={"sort": "rating"}).text
    assert "Recommended by experts" in page


def test_pagination(client, category, member, monkeypatch):
    from forum.library import queries

    monkeypatch.setattr(queries, "PER_PAGE", 2)
    for n in range(3):
        _resource(category, member, f"Материал {n}")
    db.session.commit()
    first = client.get("/library.json").json
    assert len(first["resources"]) == 2 and first["more"]
    second = client.get("/library.json?page=2").json
    assert len(second["resources"]) == 1 and not second["more"]
    page = client.get("/library?q=материал&page=1")
    assert page.status_code == 200 and "page=2" in page.text and "q=" in page.text
    assert "page=1" in client.get("/library?q=материал&page=2").text


def test_private_category_never_leaks(client, login, member, student, private_category,
                                      category):
    secret = _resource(private_category, member, "Секретный план", text="секретные дроби")
    _resource(category, member, "Открытый план")
    db.session.commit()
    for who in (None, student):
        if who is not None:
            login(who)
        assert _titles(client) == ["Открытый план"]
        assert _titles(client, q="секретные") == []
        assert _titles(client, subject=private_category.id) == []
        assert "Секретный" not in client.get("/library").text
        for path in ("", ".json", "/download", "/preview", "/edit"):
            response = client.get(f"/library/{secret.id}{path}")
            # A guest asking for the edit form is sent to log in, whatever the id.
            expected = 302 if (who is None and path == "/edit") else 404
            assert response.status_code == expected, path
            response.close()
    db.session.refresh(secret)
    assert secret.download_count == 0
    login(member)
    assert "Секретный план" in _titles(client)


def test_deleted_topic_takes_its_resource_out(client, category, member, moderator):
    from forum.topics import services as topics

    resource = _resource(category, member, "Удалённый")
    topics.delete_topic(resource.post.topic, actor=moderator)
    db.session.commit()
    assert _titles(client) == []
    assert client.get(f"/library/{resource.id}").status_code == 404


def test_download_serves_bytes_safely_and_counts_once_a_day(client, resource, login,
                                                            other_member):
    response = client.get(f"/library/{resource.id}/download")
    assert response.status_code == 200
    assert response.data.startswith(b"%PDF")
    response.close()
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "filename*=UTF-8''%D0%94%D1%80%D0%BE%D0%B1%D0%B8.pdf" in disposition
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    client.get(f"/library/{resource.id}/download").close()  # the same guest again
    login(other_member)
    client.get(f"/library/{resource.id}/download").close()
    client.get(f"/library/{resource.id}/download").close()
    assert client.get(f"/library/{resource.id}.json").json["resource"]["download_count"] == 2


def test_metadata_form_saves_and_keeps_input_after_an_error(client, login, resource, member):
    login(member)
    assert client.get(f"/library/{resource.id}/edit").status_code == 200
    form = {"title": "", "description": "Мой длинный текст описания", "subject":
            str(resource.category_id), "grades": ["5"], "material_type": "presentation",
            "tags": "дроби", "licence": "cc0"}
    response = client.post(f"/library/{resource.id}/edit", data=form)
    assert response.status_code == 422
    assert "Give the material a title." in response.text
    assert "Мой длинный текст описания" in response.text
    assert 'value="presentation" selected' in response.text or \
        '<option selected value="presentation">' in response.text
    db.session.refresh(resource)
    assert resource.title == "Дроби" and resource.material_type == "other"
    response = client.post(f"/library/{resource.id}/edit", data={**form, "title": "Новое"})
    assert response.status_code == 302
    db.session.refresh(resource)
    assert (resource.title, resource.licence, resource.grade_list) == ("Новое", "cc0", ["5"])


def test_others_cannot_open_the_metadata_form(client, login, resource, other_member):
    login(other_member)
    assert client.get(f"/library/{resource.id}/edit").status_code == 403


def test_expert_reviews_through_the_page_and_edits_the_review(client, login, resource, expert):
    login(expert)
    page = client.get(f"/library/{resource.id}")
    assert "Review this material" in page.text
    bad = {"relevance": "5", "methodology": "", "clarity": "4", "completeness": "4",
           "comment": "Хороший конспект"}
    response = client.post(f"/library/{resource.id}/review", data=bad)
    assert response.status_code == 422
    assert "Give every criterion a score from 1 to 5." in response.text
    assert "Хороший конспект" in response.text
    good = {**bad, "methodology": "5"}
    assert client.post(f"/library/{resource.id}/review", data=good).status_code == 302
    assert client.post(f"/library/{resource.id}/review",
                       data={**good, "comment": "Исправлено"}).status_code == 302
    data = client.get(f"/library/{resource.id}.json").json["resource"]
    assert [r["comment"] for r in data["reviews"]] == ["Исправлено"]
    assert "Edit your review" in client.get(f"/library/{resource.id}").text


def test_non_experts_and_the_author_cannot_review(client, login, resource, member,
                                                   other_member, expert_group):
    for who in (member, other_member):
        login(who)
        assert "Review this material" not in client.get(f"/library/{resource.id}").text
        response = client.post(f"/library/{resource.id}/review", data={"relevance": "5"})
        assert response.status_code == 403


def test_author_cannot_review_even_as_expert(client, login, resource, member, expert_group):
    expert_group.members.append(member)
    db.session.commit()
    login(member)
    assert client.post(f"/library/{resource.id}/review", data={}).status_code == 403


def test_stars_through_the_page(client, login, resource, other_member, student):
    login(other_member)
    assert client.post(f"/library/{resource.id}/rate", data={"stars": "4"}).status_code == 302
    assert client.post(f"/library/{resource.id}/rate", data={"stars": "9"}).status_code == 422
    assert client.get(f"/library/{resource.id}.json").json["resource"]["rating_average"] == 4
    login(student)
    assert client.post(f"/library/{resource.id}/rate", data={"stars": "5"}).status_code == 403


def test_author_uploads_a_new_version(client, login, resource, member):
    login(member)
    from io import BytesIO

    response = client.post(f"/library/{resource.id}/versions", data={
        "file": (BytesIO(make_docx("Вторая редакция")), "Дроби v2.docx")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    data = client.get(f"/library/{resource.id}.json").json["resource"]
    assert (data["version"], data["filename"]) == (2, "Дроби v2.docx")
    response = client.post(f"/library/{resource.id}/versions", data={
        "file": (BytesIO(b"MZ"), "virus.exe")}, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "Files of this type cannot be attached." in response.text


def test_library_page_in_russian_has_the_header_link(client, resource):
    import flask_babel

    with flask_babel.force_locale("ru"):  # the autouse fixture forces English
        page = client.get("/library", headers={"Accept-Language": "ru"}).text
    assert 'href="/library">Библиотека</a>' in page
    assert "Библиотека материалов" in page and "Дроби" in page


def test_resource_page_shows_preview_author_licence_and_post(client, resource):
    page = client.get(f"/library/{resource.id}").text
    assert f"/library/{resource.id}/preview" in page
    assert "Анна Петровна" in page and "CC BY 4.0" in page
    assert resource.post.url in page
    preview = client.get(f"/library/{resource.id}/preview")
    assert preview.status_code == 200 and preview.data.startswith(b"\x89PNG")


def test_listing_costs_a_fixed_number_of_queries(client, category, member, count_queries):
    for n in range(3):
        _resource(category, member, f"М{n}")
    db.session.commit()
    with count_queries() as few:
        client.get("/library")
    for n in range(6):
        _resource(category, member, f"Н{n}")
    db.session.commit()
    with count_queries() as more:
        client.get("/library")
    assert len(more) == len(few)
    assert db.session.scalar(select(Resource.id).limit(1)) is not None


def test_admin_links_a_group_to_a_subject_and_its_members_may_review(client, login, admin,
                                                                       category, resource,
                                                                       other_member):
    from forum.groups import services as groups

    group = groups.create_group(actor=None, name="math-experts", full_name="Эксперты: математика")
    group.members.append(other_member)
    db.session.commit()
    login(admin)
    assert client.get("/library/experts").status_code == 200
    bad = client.post("/library/experts", data={"subject": str(category.id), "group": "999"})
    assert bad.status_code == 422
    response = client.post("/library/experts", data={"subject": str(category.id),
                                                      "group": str(group.id)})
    assert response.status_code == 302
    assert "Эксперты: математика" in client.get("/library/experts").text
    login(other_member)
    assert "Review this material" in client.get(f"/library/{resource.id}").text
    assert client.get("/library/experts").status_code == 403


def test_portfolio_lists_materials_the_viewer_may_see(client, login, member, category,
                                                      private_category, student):
    _resource(category, member, "Открытый конспект")
    _resource(private_category, member, "Конспект для своих")
    db.session.commit()
    login(student)
    page = client.get(f"/u/{member.username}/portfolio").text
    assert "Открытый конспект" in page and "Конспект для своих" not in page


def test_a_download_resumes_with_byte_ranges_and_still_counts_once(client, resource):
    first = client.get(f"/library/{resource.id}/download", headers={"Range": "bytes=0-9"})
    assert first.status_code == 206 and len(first.data) == 10
    assert first.headers["X-Content-Type-Options"] == "nosniff"
    assert first.headers["Content-Disposition"].startswith("attachment")
    rest = client.get(f"/library/{resource.id}/download", headers={"Range": "bytes=10-"})
    assert rest.status_code == 206
    first.close()
    rest.close()
    db.session.refresh(resource)
    assert resource.download_count == 1


def _filed_under(resource, subject, actor):
    services.update_metadata(resource, actor=actor, title=resource.title, description="",
                             category_id=subject.id, grade_levels=[], material_type="other",
                             tags="", licence="cc-by-4.0")


def test_a_subject_the_reader_cannot_see_never_shows_its_name(client, login, member, student,
                                                             private_category, category):
    # The post is public; its author (a teacher) files the material under a teachers' category.
    resource = _resource(category, member, "Открытый план", text="открытые дроби")
    _filed_under(resource, private_category, member)
    db.session.commit()
    name = private_category.name
    for who in (None, student):
        if who is not None:
            login(who)
        assert _titles(client) == ["Открытый план"]
        assert _titles(client, subject=private_category.id) == []
        listed = client.get("/library.json").json["resources"][0]
        assert listed["subject"] is None and listed["subject_id"] is None
        shown = client.get(f"/library/{resource.id}.json").json["resource"]
        assert shown["subject"] is None and shown["subject_id"] is None
        for path in ("/library", f"/library/{resource.id}", "/library.json",
                     f"/library/{resource.id}.json", "/search?q=дроби+in:library",
                     "/search.json?q=дроби+in:library"):
            response = client.get(path)
            assert response.status_code == 200, path
            assert name not in response.get_data(as_text=True), path
    login(member)
    assert name in client.get(f"/library/{resource.id}").text
    assert _titles(client, subject=private_category.id) == ["Открытый план"]


def test_a_hidden_parent_subject_is_not_named_in_the_subject_list(client, member, category):
    hidden_parent = factories.make_private_category("Методобъединение")
    open_child = factories.make_category("Открытые уроки", parent=hidden_parent,
                                         permissions={"everyone": PERMISSION_READONLY,
                                                  "teachers": PERMISSION_FULL})
    _resource(open_child, member, "Открытый урок")
    db.session.commit()
    page = client.get("/library").text
    assert "Открытые уроки" in page and "Методобъединение" not in page
    assert _titles(client, subject=open_child.id) == ["Открытый урок"]


def test_a_visible_subject_does_not_reach_its_hidden_subcategories(client, member, category):
    hidden_child = factories.make_category("Для учителей", parent=category,
                                           permissions={"teachers": PERMISSION_FULL})
    resource = _resource(category, member, "План в открытой теме")
    _filed_under(resource, hidden_child, member)
    db.session.commit()
    assert _titles(client, subject=category.id) == []
    assert _titles(client) == ["План в открытой теме"]
