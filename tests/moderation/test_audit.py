"""The staff action log records actions and refuses to be rewritten."""

import pytest

from forum.extensions import db
from forum.models import StaffAction
from forum.moderation import audit


def test_record_keeps_actor_target_category_and_changes(topic, moderator):
    entry = audit.record(audit.TOPIC_CLOSE, actor=moderator, target=topic, reason="Итоги",
                         before={"closed": False}, after={"closed": True})
    db.session.commit()
    stored = db.session.get(StaffAction, entry.id)
    assert (stored.actor_name, stored.target_type, stored.target_id) == ("moder", "topic", topic.id)
    assert stored.category_id == topic.category_id
    assert stored.target_label == topic.title
    assert (stored.before, stored.after, stored.reason) == ({"closed": False}, {"closed": True},
                                                            "Итоги")


def test_log_entries_cannot_be_changed(topic, moderator):
    entry = audit.record(audit.TOPIC_CLOSE, actor=moderator, target=topic)
    db.session.commit()
    entry.reason = "rewritten"
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()


def test_log_entries_cannot_be_deleted(topic, moderator):
    entry = audit.record(audit.TOPIC_CLOSE, actor=moderator, target=topic)
    db.session.commit()
    db.session.delete(entry)
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()


def test_unknown_action_names_are_refused(topic, moderator):
    with pytest.raises(ValueError):
        audit.record("topic.explode", actor=moderator, target=topic)


def test_actor_name_survives_account_deletion(topic, moderator, admin):
    from forum.accounts import services as accounts

    entry = audit.record(audit.TOPIC_CLOSE, actor=moderator, target=topic)
    db.session.commit()
    accounts.delete_account(moderator, actor=admin)
    db.session.commit()
    assert db.session.get(StaffAction, entry.id).actor_name == "moder"
