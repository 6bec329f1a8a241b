"""Site settings: declared defaults, validated admin values."""

import pytest

from forum import settings
from forum.errors import DomainError


def test_a_setting_never_changed_has_its_declared_default(app, db):
    assert settings.get_setting("flags_to_hide_post") == 3
    assert settings.get_setting("approve_new_member_posts") == 0


def test_a_stored_value_replaces_the_default(app, db):
    before, after = settings.set_setting("flags_to_hide_post", "5")
    db.session.commit()
    assert (before, after) == (3, 5)
    assert settings.get_setting("flags_to_hide_post") == 5


@pytest.mark.parametrize("value", ["0", "abc", "1000", ""])
def test_out_of_range_or_non_numeric_values_are_refused(app, db, value):
    with pytest.raises(DomainError):
        settings.set_setting("flags_to_hide_post", value)
    assert settings.get_setting("flags_to_hide_post") == 3


def test_unknown_settings_are_refused(app, db):
    with pytest.raises(DomainError):
        settings.set_setting("no_such_setting", "1")
