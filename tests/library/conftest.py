"""Library fixtures: a resource in the `category` fixture, experts of that subject."""

from __future__ import annotations

import flask_babel
import pytest

from forum.groups import services as groups
from forum.library import experts
from tests import factories
from tests.library.builders import first_post, make_resource


@pytest.fixture(autouse=True)
def english_by_default(client):
    """Messages are compared in English (the source language); one test asks for Russian."""
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    with flask_babel.force_locale("en"):
        yield


@pytest.fixture
def resource(db, topic):
    res = make_resource(first_post(topic))
    db.session.commit()
    return res


@pytest.fixture
def expert_group(db, category):
    group = groups.create_group(actor=None, name="experts-math", full_name="Эксперты: математика")
    experts.set_expert_group(category, group, actor=None)
    db.session.commit()
    return group


def make_expert(group, username: str):
    user = factories.make_user(username)
    group.members.append(user)
    return user


@pytest.fixture
def expert(db, expert_group):
    user = make_expert(expert_group, "expert1")
    db.session.commit()
    return user


@pytest.fixture
def second_expert(db, expert_group):
    user = make_expert(expert_group, "expert2")
    db.session.commit()
    return user
