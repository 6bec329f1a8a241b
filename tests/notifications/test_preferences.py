"""Preference rules (pure) and the preferences form."""

from types import SimpleNamespace

from forum.notifications import kinds, preferences
from forum.notifications.preferences import CHANNEL_APP, CHANNEL_EMAIL, CHANNEL_OFF, channel_from


def options(**channels):
    return SimpleNamespace(notification_channels=channels)


def test_defaults_mail_direct_address_and_keep_likes_in_the_app():
    assert channel_from(None, kinds.KIND_MENTIONED) == CHANNEL_EMAIL
    assert channel_from(None, kinds.KIND_LIKED) == CHANNEL_APP


def test_a_chat_mention_obeys_the_mention_preference():
    assert channel_from(options(mentioned="off"), kinds.KIND_CHAT_MENTION) == CHANNEL_OFF


def test_a_stored_nonsense_value_falls_back_to_the_default():
    assert channel_from(options(replied="loud"), kinds.KIND_REPLIED) == CHANNEL_EMAIL
    assert channel_from(SimpleNamespace(notification_channels=None), kinds.KIND_QUOTED) == \
        CHANNEL_EMAIL


def test_sanctions_are_not_configurable():
    assert preferences.preference_key(kinds.KIND_SUSPENDED) is None
    assert channel_from(options(), kinds.KIND_SUSPENDED) == CHANNEL_APP


def test_every_configurable_key_has_a_kind():
    keys = {preferences.preference_key(getattr(kinds, n)) for n in dir(kinds)
            if n.startswith("KIND_")}
    assert set(preferences.CONFIGURABLE) <= keys


def test_the_preferences_page_shows_and_saves_choices(browser_for, member):
    browser = browser_for(member)
    page = browser.get("/my/preferences").get_data(as_text=True)
    assert "Likes on your posts" in page and 'id="notification-preferences"' in page
    form = {f"kind_{k}": "app" for k in preferences.CONFIGURABLE}
    form.update(kind_liked="off", email_delay_minutes="30", digest_frequency="weekly")
    response = browser.post("/my/notification-preferences", data=form)
    assert response.status_code == 302
    opts = preferences.options_of(member)
    assert opts.notification_channels["liked"] == "off"
    assert opts.email_delay_minutes == 30 and opts.digest_frequency == "weekly"


def test_bad_preferences_are_refused_and_the_typed_values_kept(browser_for, member):
    browser = browser_for(member, "ru")
    form = {f"kind_{k}": "app" for k in preferences.CONFIGURABLE}
    form.update(kind_liked="loud", email_delay_minutes="999999", digest_frequency="daily")
    response = browser.post("/my/notification-preferences", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="999999"' in page
    assert preferences.options_of(member) is None
