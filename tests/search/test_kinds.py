"""The extension point: another package registers a kind of document (the library's
'resource') with its own visibility filter, and in:library searches it."""

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import true

from forum.extensions import db
from forum.models import SearchDocument
from forum.search import (
    CATEGORY,
    Hit,
    SearchKind,
    kinds,
    register_kind,
    remove_document,
    search,
    upsert_document,
)
from tests.search.conftest import found


def _members_only_for_odd_ids(ctx):
    """A stand-in rule: even ids are public, odd ones for signed-in readers only."""
    if ctx.viewer.is_authenticated:
        return true()
    return SearchDocument.ref_id % 2 == 0


def _load(ref_ids, viewer):
    return {i: Hit(kind="resource", ref_id=i, title=f"Материал {i}", link=f"/library/{i}")
            for i in ref_ids}


@pytest.fixture
def resources(app, monkeypatch, member):
    monkeypatch.setattr(kinds, "_kinds", dict(kinds._kinds))
    register_kind(SearchKind(name="resource", label="Материал", filter=_members_only_for_odd_ids,
                             load=_load, supports=frozenset({CATEGORY})))
    upsert_document("resource", 1, title="Контрольная по дробям", body="Шесть вариантов.",
                    user_id=member.id)
    upsert_document("resource", 2, title="Презентация: дроби на пицце", body="Слайды.")
    db.session.commit()


def test_a_registered_kind_is_searched_with_the_others(resources, corpus, member):
    hits = found(member, "дробям")
    assert {("resource", 1), ("resource", 2)} <= hits
    assert ("post", corpus.fractions_reply.id) in hits


def test_in_library_keeps_only_resources(resources, corpus, member):
    assert found(member, "дроби in:library") == {("resource", 1), ("resource", 2)}


def test_the_kinds_own_visibility_filter_applies(resources):
    assert found(AnonymousUserMixin(), "дроби in:library") == {("resource", 2)}


def test_removing_a_document_takes_it_out(resources, member):
    remove_document("resource", 2)
    db.session.commit()
    assert found(member, "дроби in:library") == {("resource", 1)}


def test_a_kind_without_status_support_is_left_out_of_status_searches(resources, member):
    assert all(kind != "resource" for kind, _ in found(member, "дроби status:open"))


def test_hits_of_the_kind_reach_the_api(resources, client):
    data = client.get("/search.json?q=пицце").get_json()
    assert [r["id"] for r in data["resources"]] == [2]
    assert data["resources"][0]["url"] == "/library/2"


def test_a_note_says_so_when_the_library_kind_is_missing(corpus, member, monkeypatch):
    monkeypatch.setattr(kinds, "_kinds", {name: kind for name, kind in kinds._kinds.items()
                                          if name != "resource"})
    results = search(member, "дроби in:library")
    assert results.hits == [] and results.notes
