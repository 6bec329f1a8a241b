"""The permission policy as tables: role × action → allowed, plus the SQL visibility filters."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import select

from forum import permissions as perm
from forum.categories.services import assign_moderator
from forum.extensions import db
from forum.groups.services import add_member, create_group
from forum.models import (
    PERMISSION_FULL,
    PERMISSION_READONLY,
    PERMISSION_REPLY,
    Category,
    Post,
    Topic,
    User,
)
from forum.topics import services as topics
from forum.topics.services import cook_post
from tests import factories

ROLES = ["guest", "student", "parent", "member", "author", "subject_moderator", "moderator",
         "admin"]
SIGNED_IN = set(ROLES) - {"guest"}
TEACHERS = {"member", "author", "subject_moderator", "moderator", "admin"}
MODERATORS = {"subject_moderator", "moderator", "admin"}
STAFF = {"moderator", "admin"}



def insert_post(topic: Topic, user: User, raw: str = "Старое сообщение.") -> Post:
    """A post written directly, as if the author once could post (imported, or a role change)."""
    number = topic.highest_post_number + 1
    post = Post(topic=topic, topic_id=topic.id, user_id=user.id, post_number=number, raw=raw,
                cooked=str(cook_post(raw)))
    db.session.add(post)
    topic.posts_count += 1
    topic.highest_post_number = number
    db.session.flush()
    return post


@dataclass
class World:
    users: dict[str, object]
    public: Category
    teachers_only: Category
    official: Category
    other_public: Category
    subcategory: Category
    topic: Topic
    closed_topic: Topic
    deleted_topic: Topic
    others_post: Post
    post_deleted_by_moderator: Post

    def user(self, role: str):
        return self.users[role]


def build_world() -> World:
    users = {
        "guest": AnonymousUserMixin(),
        "student": factories.make_user("pupil", role="student"),
        "parent": factories.make_user("mama", role="parent"),
        "member": factories.make_user("boris"),
        "author": factories.make_user("anna"),
        "subject_moderator": factories.make_user("zavuch"),
        "moderator": factories.make_user("moder", role="moderator"),
        "admin": factories.make_user("coordinator", role="admin"),
    }
    public = factories.make_category("Математика", slug="matematika")
    subcategory = factories.make_category("Геометрия", parent=public)
    teachers_only = factories.make_private_category()
    official = factories.make_staff_only_category()
    other_public = factories.make_category("Физика")
    assign_moderator(public, users["subject_moderator"], actor=None)

    outsider = factories.make_user("outsider")
    author = users["author"]
    topic = factories.make_topic(category=public, author=author, title="Как объяснять дроби")
    others_post = topics.reply(topic, author=outsider, raw="Чужой ответ.")
    post_deleted = topics.reply(topic, author=author, raw="Ответ, который удалит модератор.")
    topics.delete_post(post_deleted, actor=users["moderator"])
    closed = factories.make_topic(category=public, author=author, title="Закрытая тема",
                                  closed=True)
    deleted = factories.make_topic(category=public, author=author, title="Удалённая тема",
                                   replies=1)
    topics.delete_topic(deleted, actor=users["moderator"])
    db.session.commit()
    return World(users=users, public=public, teachers_only=teachers_only, official=official,
                 other_public=other_public, subcategory=subcategory, topic=topic,
                 closed_topic=closed, deleted_topic=deleted, others_post=others_post,
                 post_deleted_by_moderator=post_deleted)


def own_reply(world: World, role: str) -> Post | None:
    """A reply by the role's user in the public topic (None for a guest)."""
    if role == "guest":
        return None
    user = world.user(role)
    if perm.can_reply(user, world.topic):
        return topics.reply(world.topic, author=user, raw="Мой собственный ответ.")
    return insert_post(world.topic, user)


def _own_or_any(world: World, role: str) -> Post:
    return own_reply(world, role) or world.others_post


def _restore_own(world: World, role: str) -> bool:
    post = _own_or_any(world, role)
    user = world.user(role)
    if perm.can_delete_post(user, post):
        topics.delete_post(post, actor=user)
    return perm.can_restore_post(user, post)


def _own_topic_deleted_by_self(world: World, role: str) -> bool:
    user = world.user(role)
    if role == "guest" or not perm.can_create_topic(user, world.public):
        return perm.can_view_topic(user, world.deleted_topic)
    topic = topics.create_topic(world.public, author=user, title="Моя тема", raw="Текст.")
    topics.delete_topic(topic, actor=user)
    return perm.can_view_topic(user, topic)


ACTIONS = {
    "view public category": (
        lambda w, r: perm.can_view_category(w.user(r), w.public), set(ROLES)),
    "view teachers-only category": (
        lambda w, r: perm.can_view_category(w.user(r), w.teachers_only), TEACHERS),
    "view public topic": (
        lambda w, r: perm.can_view_topic(w.user(r), w.topic), set(ROLES)),
    "create topic in public category": (
        lambda w, r: perm.can_create_topic(w.user(r), w.public), TEACHERS),
    "create topic in staff-only «Официально»": (
        lambda w, r: perm.can_create_topic(w.user(r), w.official), STAFF),
    "create topic in teachers-only category": (
        lambda w, r: perm.can_create_topic(w.user(r), w.teachers_only), TEACHERS),
    "reply in public topic": (
        lambda w, r: perm.can_reply(w.user(r), w.topic), TEACHERS),
    "reply in closed topic": (
        lambda w, r: perm.can_reply(w.user(r), w.closed_topic), MODERATORS),
    "reply in deleted topic": (
        lambda w, r: perm.can_reply(w.user(r), w.deleted_topic), set()),
    "edit own post": (
        lambda w, r: perm.can_edit_post(w.user(r), _own_or_any(w, r)), TEACHERS),
    "edit others' post": (
        lambda w, r: perm.can_edit_post(w.user(r), w.others_post), MODERATORS),
    "edit own first post": (
        lambda w, r: perm.can_edit_post(w.user(r), topics.post_by_number(w.topic, 1)),
        {"author"} | MODERATORS),
    "edit topic title": (
        lambda w, r: perm.can_edit_topic(w.user(r), w.topic), {"author"} | MODERATORS),
    # Authors delete their own replies even when they can no longer write (e.g. a pupil's
    # old reply): removing one's own words is always allowed.
    "delete own reply": (
        lambda w, r: perm.can_delete_post(w.user(r), _own_or_any(w, r)), SIGNED_IN),
    "delete others' post": (
        lambda w, r: perm.can_delete_post(w.user(r), w.others_post), MODERATORS),
    "delete topic with replies": (
        lambda w, r: perm.can_delete_topic(w.user(r), w.topic), MODERATORS),
    "restore post deleted by a moderator": (
        lambda w, r: perm.can_restore_post(w.user(r), w.post_deleted_by_moderator), MODERATORS),
    "restore own reply deleted by self": (_restore_own, SIGNED_IN),
    "restore topic deleted by a moderator": (
        lambda w, r: perm.can_restore_topic(w.user(r), w.deleted_topic), MODERATORS),
    "view topic deleted by a moderator": (
        lambda w, r: perm.can_view_topic(w.user(r), w.deleted_topic), MODERATORS),
    "view own topic deleted by self": (_own_topic_deleted_by_self, TEACHERS),
    "view content of a deleted post": (
        lambda w, r: perm.can_view_deleted_post(w.user(r), w.post_deleted_by_moderator),
        MODERATORS),
    "view revisions of a live post": (
        lambda w, r: perm.can_view_revisions(w.user(r), w.others_post), set(ROLES)),
    "moderate the category": (
        lambda w, r: perm.can_moderate(w.user(r), w.public), MODERATORS),
    "moderate its subcategory": (
        lambda w, r: perm.can_moderate(w.user(r), w.subcategory), MODERATORS),
    "moderate another category": (
        lambda w, r: perm.can_moderate(w.user(r), w.other_public), STAFF),
    "manage categories": (lambda w, r: perm.can_manage_categories(w.user(r)), {"admin"}),
    "administer": (lambda w, r: perm.can_administer(w.user(r)), {"admin"}),
    "use drafts": (lambda w, r: perm.can_use_drafts(w.user(r)), SIGNED_IN),
}

MATRIX = [
    pytest.param(role, action, role in allowed, id=f"{role}-{action}")
    for action, (_check, allowed) in ACTIONS.items()
    for role in ROLES
]




@pytest.fixture
def world(db):
    return build_world()


@pytest.mark.parametrize(("role", "action", "expected"), MATRIX)
def test_role_may_do_exactly_what_the_policy_allows(world, role, action, expected):
    check, _allowed = ACTIONS[action]
    assert check(world, role) is expected


def test_guest_is_flask_logins_anonymous_user_and_never_signed_in(world):
    guest = world.user("guest")
    assert not guest.is_authenticated
    assert perm.is_signed_in(guest) is False


def test_deleted_account_loses_every_signed_in_right(world):
    member = world.user("member")
    from forum.accounts.services import delete_account

    delete_account(member, actor=member)
    db.session.commit()
    assert perm.can_reply(member, world.topic) is False
    assert perm.can_create_topic(member, world.public) is False
    assert perm.can_view_category(member, world.teachers_only) is False


def test_archived_topic_refuses_members_but_accepts_moderators(world):
    world.topic.is_archived = True
    db.session.flush()
    assert perm.can_reply(world.user("member"), world.topic) is False
    assert perm.can_reply(world.user("moderator"), world.topic) is True


def test_author_cannot_edit_own_post_once_topic_is_closed(world):
    author = world.user("author")
    first = topics.post_by_number(world.closed_topic, 1)
    assert perm.can_edit_post(author, first) is False


def test_author_may_delete_own_topic_while_nobody_replied(world):
    author = world.user("author")
    lonely = factories.make_topic(category=world.public, author=author, title="Без ответов")
    assert perm.can_delete_topic(author, lonely) is True
    factories.make_post(lonely, author=world.user("member"))
    assert perm.can_delete_topic(author, lonely) is False


def test_restore_by_the_author_requires_that_they_deleted_it_themselves(world):
    author = world.user("author")
    assert world.post_deleted_by_moderator.user_id == author.id
    assert perm.can_restore_post(author, world.post_deleted_by_moderator) is False


def test_require_answers_404_when_hidden_and_403_otherwise(app):
    from werkzeug.exceptions import Forbidden, NotFound

    perm.require(True)
    with pytest.raises(NotFound):
        perm.require(False, hide=True)
    with pytest.raises(Forbidden):
        perm.require(False)


# --- categories naming custom groups ----------------------------------------------------------

@pytest.fixture
def experts_category(db):
    group = create_group(actor=None, name="experts", full_name="Эксперты")
    category = factories.make_category(
        "Экспертиза", permissions={"everyone": PERMISSION_READONLY, "experts": PERMISSION_FULL})
    db.session.commit()
    return category, group


@pytest.mark.parametrize(("role", "in_group", "expected"), [
    ("member", True, True),
    ("member", False, False),
    ("student", True, True),
    ("student", False, False),
    ("parent", False, False),
])
def test_custom_group_with_full_permission_may_open_topics(experts_category, role, in_group,
                                                           expected):
    category, group = experts_category
    user = factories.make_user(role=role)
    if in_group:
        add_member(group, user, actor=None)
    assert perm.can_create_topic(user, category) is expected
    assert perm.can_view_category(user, category) is True


def test_custom_group_members_may_reply_in_group_category_others_only_read(experts_category):
    category, group = experts_category
    expert, bystander = factories.make_user(), factories.make_user()
    add_member(group, expert, actor=None)
    topic = topics.create_topic(category, author=expert, title="Экспертное мнение", raw="Да.")
    assert perm.can_reply(expert, topic) is True
    assert perm.can_reply(bystander, topic) is False
    assert perm.can_view_topic(bystander, topic) is True
    assert perm.can_view_topic(AnonymousUserMixin(), topic) is True


def test_leaving_the_group_takes_the_right_away(experts_category):
    category, group = experts_category
    expert = factories.make_user()
    add_member(group, expert, actor=None)
    assert perm.can_create_topic(expert, category) is True
    from forum.groups.services import remove_member

    remove_member(group, expert, actor=None)
    assert perm.can_create_topic(expert, category) is False


def test_custom_group_with_reply_permission_may_reply_but_not_open_topics(db):
    group = create_group(actor=None, name="reviewers")
    category = factories.make_category(
        "Рецензии", permissions={"everyone": PERMISSION_READONLY, "staff": PERMISSION_FULL,
                                 "reviewers": PERMISSION_REPLY})
    reviewer = factories.make_user()
    add_member(group, reviewer, actor=None)
    topic = factories.make_topic(category=category, author=factories.make_user(role="admin"))
    assert perm.can_reply(reviewer, topic) is True
    assert perm.can_create_topic(reviewer, category) is False


def test_private_group_category_is_invisible_to_non_members(db):
    group = create_group(actor=None, name="methodists")
    category = factories.make_category("Методобъединение",
                                       permissions={"methodists": PERMISSION_FULL})
    insider, outsider = factories.make_user(), factories.make_user()
    add_member(group, insider, actor=None)
    assert perm.can_view_category(insider, category) is True
    assert perm.can_view_category(outsider, category) is False
    visible = db.session.scalars(select(Category.id).where(perm.visible_categories(outsider)))
    assert category.id not in set(visible)


@pytest.fixture
def parents_category(db):
    category = factories.make_category(
        "Для родителей",
        permissions={"everyone": PERMISSION_READONLY, "teachers": PERMISSION_FULL,
                     "parents": PERMISSION_FULL})
    db.session.commit()
    return category


@pytest.mark.parametrize(("role", "expected"), [
    ("guest", False), ("student", False), ("parent", True), ("member", True),
    ("moderator", True),
])
def test_parents_category_lets_parents_and_teachers_post(parents_category, role, expected):
    user = AnonymousUserMixin() if role == "guest" else factories.make_user(role=role)
    assert perm.can_create_topic(user, parents_category) is expected


def test_parent_may_open_a_topic_and_reply_in_parents_category(parents_category):
    parent = factories.make_user(role="parent")
    topic = topics.create_topic(parents_category, author=parent, title="Вопрос о домашке",
                                raw="Сколько задают?")
    teacher = factories.make_user()
    topics.reply(topic, author=teacher, raw="Немного.")
    assert topics.reply(topic, author=parent, raw="Спасибо!").post_number == 3


# --- SQL filters ------------------------------------------------------------------------------

@dataclass
class Rows:
    categories: dict[str, int]
    topics: dict[str, int]
    posts: dict[str, int]


@pytest.fixture
def dataset(db):
    """Public, teachers-only, staff-only and a moderated subject, with live and deleted topics."""
    author = factories.make_user("writer")
    admin = factories.make_user("chief", role="admin")
    cats = {
        "public": factories.make_category("Общая"),
        "private": factories.make_private_category(),
        "official": factories.make_staff_only_category(),
        "hidden": factories.make_category("Штаб", permissions={"staff": PERMISSION_FULL}),
    }
    cats["private-sub"] = factories.make_category("Подраздел", parent=cats["private"],
                                                  permissions={"teachers": PERMISSION_FULL})
    topic_rows, post_rows = {}, {}
    for name, cat in cats.items():
        poster = admin if name in ("official", "hidden") else author
        t = factories.make_topic(category=cat, author=poster, title=f"Тема {name}", replies=1)
        topic_rows[name] = t.id
        post_rows[f"{name}#1"] = topics.post_by_number(t, 1).id
        post_rows[f"{name}#2"] = topics.post_by_number(t, 2).id
    gone = factories.make_topic(category=cats["public"], author=author, title="Удалённая")
    topics.delete_topic(gone, actor=admin)
    topic_rows["deleted"] = gone.id
    dead_reply = factories.make_post(factories.make_topic(category=cats["public"], author=author,
                                                          title="С удалённым ответом"),
                                     author=author)
    topics.delete_post(dead_reply, actor=admin)
    topic_rows["with-deleted-reply"] = dead_reply.topic_id
    post_rows["with-deleted-reply#1"] = topics.post_by_number(dead_reply.topic, 1).id
    post_rows["with-deleted-reply#2 (deleted)"] = dead_reply.id
    db.session.commit()
    return Rows(categories={k: v.id for k, v in cats.items()}, topics=topic_rows,
                posts=post_rows)


def _viewer(role: str, dataset: Rows):
    if role == "guest":
        return AnonymousUserMixin()
    if role == "subject_moderator":
        user = factories.make_user("hidden-mod")
        assign_moderator(db.session.get(Category, dataset.categories["hidden"]), user,
                         actor=None)
        db.session.commit()
        return user
    return factories.make_user(role=role)


VISIBLE_CATEGORIES = {
    "guest": {"public", "official"},
    "student": {"public", "official"},
    "parent": {"public", "official"},
    "member": {"public", "official", "private", "private-sub"},
    "subject_moderator": {"public", "official", "private", "private-sub", "hidden"},
    "moderator": {"public", "official", "private", "private-sub", "hidden"},
    "admin": {"public", "official", "private", "private-sub", "hidden"},
}
SQL_ROLES = list(VISIBLE_CATEGORIES)


def _topic_names(categories: set[str]) -> set[str]:
    names = set(categories)
    if "public" in categories:
        names.add("with-deleted-reply")
    return names


@pytest.mark.parametrize("role", SQL_ROLES)
def test_visible_categories_returns_exactly_the_categories_of_the_role(dataset, role):
    viewer = _viewer(role, dataset)
    rows = set(db.session.scalars(select(Category.id).where(perm.visible_categories(viewer))))
    assert rows == {dataset.categories[n] for n in VISIBLE_CATEGORIES[role]}


@pytest.mark.parametrize("role", SQL_ROLES)
def test_visible_categories_agrees_with_can_view_category(dataset, role):
    viewer = _viewer(role, dataset)
    every = db.session.scalars(select(Category)).all()
    by_sql = set(db.session.scalars(select(Category.id).where(perm.visible_categories(viewer))))
    assert by_sql == {c.id for c in every if perm.can_view_category(viewer, c)}


@pytest.mark.parametrize("role", SQL_ROLES)
def test_visible_topics_returns_live_topics_of_visible_categories_only(dataset, role):
    viewer = _viewer(role, dataset)
    rows = set(db.session.scalars(select(Topic.id).where(perm.visible_topics(viewer))))
    expected = {dataset.topics[n] for n in _topic_names(VISIBLE_CATEGORIES[role])}
    assert rows == expected
    assert dataset.topics["deleted"] not in rows


@pytest.mark.parametrize("role", SQL_ROLES)
def test_visible_topics_includes_deleted_ones_only_when_asked(dataset, role):
    viewer = _viewer(role, dataset)
    rows = set(db.session.scalars(
        select(Topic.id).where(perm.visible_topics(viewer, include_deleted=True))))
    assert (dataset.topics["deleted"] in rows) is ("public" in VISIBLE_CATEGORIES[role])


@pytest.mark.parametrize("role", SQL_ROLES)
def test_visible_posts_returns_live_posts_of_visible_live_topics(dataset, role):
    viewer = _viewer(role, dataset)
    rows = set(db.session.scalars(select(Post.id).where(perm.visible_posts(viewer))))
    expected = set()
    for name in VISIBLE_CATEGORIES[role]:
        expected |= {dataset.posts[f"{name}#1"], dataset.posts[f"{name}#2"]}
    if "public" in VISIBLE_CATEGORIES[role]:
        expected.add(dataset.posts["with-deleted-reply#1"])
    assert rows == expected
    assert dataset.posts["with-deleted-reply#2 (deleted)"] not in rows


@pytest.mark.parametrize("role", ["guest", "student", "parent"])
def test_private_category_leaks_through_no_filter(dataset, role):
    viewer = _viewer(role, dataset)
    private = {dataset.categories["private"], dataset.categories["private-sub"]}
    cats = set(db.session.scalars(select(Category.id).where(perm.visible_categories(viewer))))
    topic_cats = set(db.session.scalars(select(Topic.category_id).where(
        perm.visible_topics(viewer, include_deleted=True))))
    post_cats = set(db.session.scalars(select(Topic.category_id).join(
        Post, Post.topic_id == Topic.id).where(perm.visible_posts(viewer))))
    assert not (cats | topic_cats | post_cats) & private


def test_a_category_created_with_no_group_permissions_is_hidden_from_members(db):
    hidden = factories.make_category("Совет координаторов", permissions={})
    teacher = factories.make_user()
    db.session.commit()
    assert not perm.can_view_category(teacher, hidden)
    assert perm.can_view_category(factories.make_user(role="admin"), hidden)
