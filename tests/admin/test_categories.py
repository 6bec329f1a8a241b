"""Admin category pages: the list, create and edit, parents, and permissions per group."""

from __future__ import annotations

from forum.groups.services import group_by_name
from forum.models import PERMISSION_FULL, PERMISSION_READONLY, PERMISSION_REPLY, Category
from tests import factories


def _html(response) -> str:
    return response.get_data(as_text=True)


def _perm(name: str) -> str:
    return f"perm_{group_by_name(name).id}"


def _levels(category_id: int, db) -> dict[str, int]:
    db.session.expire_all()
    category = db.session.get(Category, category_id)
    return {p.group.name: p.permission_type for p in category.permissions}


def _by_slug(slug: str, db) -> Category | None:
    db.session.expire_all()
    return db.session.query(Category).filter_by(slug=slug).one_or_none()


def _form(**overrides) -> dict:
    data = {"name": "Физика", "slug": "", "description": "", "color": "0088CC",
            "position": "", "parent_id": "0"}
    data.update(overrides)
    return data


def test_category_list_shows_categories_with_their_subcategories(admin_client, category, db):
    child = factories.make_category("Дроби", parent=category)
    db.session.commit()
    html = _html(admin_client.get("/admin/categories"))
    assert html.index("Математика") < html.index("Дроби")
    assert '<tr class="subcategory">' in html
    assert f'href="/admin/categories/{child.id}/edit"' in html
    assert "everyone: Read only" in html


def test_new_category_form_preselects_the_default_permissions(admin_client):
    html = _html(admin_client.get("/admin/categories/new"))
    everyone, teachers = group_by_name("everyone").id, group_by_name("teachers").id
    assert f'checked id="{_perm("everyone")}-1"' in html  # read only
    assert f'checked id="{_perm("teachers")}-3"' in html  # full
    assert f'aria-label="Все, включая гостей: Read only" checked id="perm_{everyone}-1"' in html
    assert teachers


def test_admin_creates_a_subcategory_with_permissions(admin_client, category, experts, db):
    response = admin_client.post("/admin/categories/new", data=_form(
        name="Олимпиады", slug="olimp", description="Задачи и разборы", color="#cc3300",
        position="7", parent_id=str(category.id),
        **{_perm("experts"): "1", _perm("teachers"): "2", _perm("everyone"): "3"}))
    assert response.status_code == 302
    created = _by_slug("olimp", db)
    assert (created.name, created.description, created.color, created.position,
            created.parent_id) == ("Олимпиады", "Задачи и разборы", "CC3300", 7, category.id)
    assert _levels(created.id, db) == {"experts": PERMISSION_FULL, "teachers": PERMISSION_REPLY,
                                       "everyone": PERMISSION_READONLY}


def test_slug_is_made_from_the_name_when_left_empty(admin_client, db):
    admin_client.post("/admin/categories/new", data=_form(name="Русский язык"))
    assert _by_slug("russkii-iazyk", db) is not None or _by_slug("russkij-jazyk", db) is not None


def test_category_with_no_group_permissions_is_for_staff_only(admin_client, db):
    response = admin_client.post("/admin/categories/new", data=_form(slug="secret"))
    assert response.status_code == 302
    assert _levels(_by_slug("secret", db).id, db) == {}


def test_duplicate_slug_is_refused_and_the_form_keeps_what_was_typed(admin_client, category):
    response = admin_client.post("/admin/categories/new", data=_form(
        name="Ещё математика", slug="matematika", description="Для старших классов",
        **{_perm("students"): "3"}))
    assert response.status_code == 422
    html = _html(response)
    assert 'id="slug-error"' in html
    assert "A category with this slug already exists." in html
    assert 'value="Ещё математика"' in html
    assert "Для старших классов" in html
    assert f'checked id="{_perm("students")}-1"' in html


def test_bad_colour_is_shown_beside_the_colour_field(admin_client, db):
    response = admin_client.post("/admin/categories/new", data=_form(slug="fizika", color="red"))
    assert response.status_code == 422
    assert 'id="color-error"' in _html(response)
    assert _by_slug("fizika", db) is None


def test_edit_form_shows_the_current_values_and_permissions(admin_client, category):
    html = _html(admin_client.get(f"/admin/categories/{category.id}/edit"))
    assert 'value="Математика"' in html
    assert "<code>matematika</code>" in html
    assert 'name="slug"' not in html
    assert f'checked id="{_perm("teachers")}-3"' in html


def test_admin_edits_a_category_and_its_permissions(admin_client, category, db):
    response = admin_client.post(f"/admin/categories/{category.id}/edit", data=_form(
        name="Алгебра", slug="algebra", description="Уравнения", color="00AA00", position="3",
        **{_perm("teachers"): "1", _perm("students"): "2"}))
    assert response.status_code == 302
    db.session.expire_all()
    edited = db.session.get(Category, category.id)
    assert (edited.name, edited.slug, edited.description, edited.color, edited.position) == (
        "Алгебра", "matematika", "Уравнения", "00AA00", 3)
    assert _levels(category.id, db) == {"teachers": PERMISSION_FULL,
                                        "students": PERMISSION_REPLY}


def test_empty_position_keeps_the_current_place(admin_client, category, db):
    before = category.position
    admin_client.post(f"/admin/categories/{category.id}/edit", data=_form(name="Алгебра"))
    db.session.expire_all()
    assert db.session.get(Category, category.id).position == before


def test_permission_change_takes_effect_for_readers(admin_client, client_for, category,
                                                    student, db):
    student_client = client_for(student)
    assert student_client.get(f"/c/{category.id}").status_code == 301
    admin_client.post(f"/admin/categories/{category.id}/edit", data=_form(
        name="Математика", **{_perm("teachers"): "1"}))
    assert student_client.get(f"/c/{category.id}").status_code == 404


def test_admin_moves_a_category_under_a_parent_and_back(admin_client, category, db):
    other = factories.make_category("Геометрия")
    db.session.commit()
    admin_client.post(f"/admin/categories/{other.id}/edit",
                      data=_form(name="Геометрия", parent_id=str(category.id)))
    db.session.expire_all()
    assert db.session.get(Category, other.id).parent_id == category.id
    admin_client.post(f"/admin/categories/{other.id}/edit", data=_form(name="Геометрия"))
    db.session.expire_all()
    assert db.session.get(Category, other.id).parent_id is None


def test_subcategory_cannot_be_chosen_as_a_parent(admin_client, category, db):
    child = factories.make_category("Дроби", parent=category)
    db.session.commit()
    response = admin_client.post("/admin/categories/new",
                                 data=_form(slug="deeper", parent_id=str(child.id)))
    assert response.status_code == 422
    assert 'id="parent_id-error"' in _html(response)
    assert _by_slug("deeper", db) is None


def test_category_with_subcategories_cannot_become_a_subcategory(admin_client, category, db):
    factories.make_category("Дроби", parent=category)
    other = factories.make_category("Геометрия")
    db.session.commit()
    response = admin_client.post(f"/admin/categories/{category.id}/edit",
                                 data=_form(name="Математика", parent_id=str(other.id)))
    assert response.status_code == 422
    assert "cannot become a subcategory" in _html(response)
    db.session.expire_all()
    assert db.session.get(Category, category.id).parent_id is None


def test_a_category_is_not_offered_as_its_own_parent(admin_client, category, db):
    html = _html(admin_client.get(f"/admin/categories/{category.id}/edit"))
    assert f'<option value="{category.id}"' not in html
    response = admin_client.post(f"/admin/categories/{category.id}/edit",
                                 data=_form(name="Математика", parent_id=str(category.id)))
    assert response.status_code == 422


def test_failed_edit_changes_nothing(admin_client, category, db):
    response = admin_client.post(f"/admin/categories/{category.id}/edit",
                                 data=_form(name="Алгебра", color="zzz"))
    assert response.status_code == 422
    assert 'value="Алгебра"' in _html(response)
    db.session.expire_all()
    assert db.session.get(Category, category.id).name == "Математика"


def test_unknown_category_edit_is_404(admin_client):
    assert admin_client.get("/admin/categories/9999/edit").status_code == 404
