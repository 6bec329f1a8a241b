"""Notification sentences: every kind in ru and en, robust to missing or odd data."""

from __future__ import annotations

import pytest
from flask_babel import force_locale

from forum.models import Notification
from forum.notifications import services as kinds
from forum.notifications.texts import notification_text

CASES = [
    (kinds.KIND_POST_HIDDEN, {"reason": "flagged"}, "hidden after flags", "жалоб"),
    (kinds.KIND_POST_HIDDEN, {}, "A moderator hid your post", "Модератор скрыл"),
    (kinds.KIND_POST_APPROVED, {}, "was approved", "одобрено"),
    (kinds.KIND_POST_REJECTED, {}, "was not approved", "не одобрили"),
    (kinds.KIND_FLAG_OUTCOME, {"outcome": "agreed"}, "agreed with your flag", "согласились"),
    (kinds.KIND_FLAG_OUTCOME, {"outcome": "disagreed"}, "left the post as it was", "оставили"),
    (kinds.KIND_FLAG_OUTCOME, {"outcome": "ignored"}, "took no action", "не стали"),
    (kinds.KIND_MODERATOR_ACTION, {"action": "topic.close"}, "closed your topic", "закрыл"),
    (kinds.KIND_MODERATOR_ACTION, {"action": "post.delete"}, "deleted your post", "удалил"),
    (kinds.KIND_MODERATOR_ACTION, {"action": "?"}, "acted on your content", "модератор"),
    (kinds.KIND_SILENCED, {"until": "2031-05-01T10:00:00+00:00", "reason": "Флуд"},
     "silenced until 01.05.2031", "01.05.2031"),
    (kinds.KIND_SUSPENDED, {"until": "2031-05-01T10:00:00+00:00", "reason": "Спам"},
     "suspended until 01.05.2031", "01.05.2031"),
    ("no_such_kind", {}, "You have a new notification.", "новое уведомление"),
]


@pytest.mark.parametrize("kind, data, english, russian", CASES)
def test_each_kind_reads_as_a_sentence_in_english_and_russian(app, kind, data, english,
                                                              russian):
    note = Notification(kind=kind, data=data)
    with app.test_request_context(), force_locale("en"):
        text_en = notification_text(note, "Дроби")
    assert english in text_en
    with app.test_request_context(), force_locale("ru"):
        text_ru = notification_text(note, "Дроби")
    assert russian.lower() in text_ru.lower()
    assert text_ru != text_en


@pytest.mark.parametrize("kind", [kinds.KIND_POST_HIDDEN, kinds.KIND_POST_APPROVED,
                                  kinds.KIND_POST_REJECTED, kinds.KIND_FLAG_OUTCOME,
                                  kinds.KIND_MODERATOR_ACTION, kinds.KIND_SILENCED,
                                  kinds.KIND_SUSPENDED, "unknown"])
@pytest.mark.parametrize("data", [None, {}, {"until": "not a date", "reason": None,
                                             "outcome": 5, "action": ["x"]}, ["list"]])
def test_missing_or_odd_data_never_breaks_a_sentence(app, kind, data):
    note = Notification(kind=kind, data=data)
    with app.test_request_context(), force_locale("ru"):
        assert notification_text(note, None)


def test_the_sanction_reason_is_part_of_the_sentence(app):
    note = Notification(kind=kinds.KIND_SILENCED, data={"reason": "Оскорбления"})
    with app.test_request_context(), force_locale("en"):
        assert "Reason: Оскорбления" in notification_text(note)
