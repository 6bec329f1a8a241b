"""notify(), unread counts and marking read."""

from forum.extensions import db
from forum.notifications import services


def test_notify_stores_and_counts_unread(member, topic):
    services.notify(member, services.KIND_MODERATOR_ACTION, data={"action": "topic.close"},
                    topic=topic, post_number=1)
    services.notify(member, services.KIND_FLAG_OUTCOME, data={"outcome": "agreed"})
    db.session.commit()
    assert services.unread_count(member) == 2


def test_mark_read_one_then_all(member):
    first = services.notify(member, services.KIND_SILENCED)
    services.notify(member, services.KIND_SUSPENDED)
    db.session.commit()
    assert services.mark_read(member, first.id) == 1
    assert services.unread_count(member) == 1
    assert services.mark_read(member) == 1
    assert services.unread_count(member) == 0


def test_deleted_accounts_get_no_notifications(member, admin):
    from forum.accounts import services as accounts

    accounts.delete_account(member, actor=admin)
    assert services.notify(member, services.KIND_SILENCED) is None
