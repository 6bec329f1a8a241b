"""Materials in the site-wide search: `in:library` finds them by title, tags and the text in
their files, in any word form, and never those the searcher may not see."""

from __future__ import annotations

from forum.extensions import db
from forum.library import services
from tests.library.test_views import _resource
from tests.search.conftest import found


def test_in_library_finds_a_material_by_the_text_inside_its_file(member, category):
    resource = _resource(category, member, "Урок математики", text="Сложение дробей")
    db.session.commit()
    assert found(member, "дробями in:library") == {("resource", resource.id)}
    assert ("resource", resource.id) in found(member, "дробями")


def test_a_metadata_edit_reaches_the_index(member, category):
    resource = _resource(category, member, "Урок", text="текст")
    services.update_metadata(resource, actor=member, title="Урок", description="Викторина",
                             category_id=category.id, grade_levels=[], material_type="other",
                             tags="геометрия", licence="cc-by-4.0")
    db.session.commit()
    assert found(member, "викторины геометрия in:library") == {("resource", resource.id)}


def test_a_material_in_a_private_category_is_never_found(member, student, private_category,
                                                        category):
    secret = _resource(private_category, member, "Секретный план", text="секретные дроби")
    shown = _resource(category, member, "Открытый план", text="открытые дроби")
    db.session.commit()
    assert found(student, "дроби in:library") == {("resource", shown.id)}
    assert ("resource", secret.id) in found(member, "дроби in:library")


def test_the_library_search_results_page_links_to_the_material(client, member, category):
    resource = _resource(category, member, "Презентация", text="презентация о дробях",
                         filename="урок.pdf")
    db.session.commit()
    page = client.get("/search?q=дроби+in:library").get_data(as_text=True)
    assert f"/library/{resource.id}" in page and "Презентация" in page


def test_reindex_includes_materials(member, category):
    from forum.search.index import remove_kind
    from forum.search.kinds import get_kind

    resource = _resource(category, member, "Урок", text="Умножение дробей")
    db.session.commit()
    remove_kind("resource")
    assert found(member, "умножение in:library") == set()
    for _done in get_kind("resource").reindex(100):
        pass
    assert found(member, "умножение in:library") == {("resource", resource.id)}
