"""What each trust level unlocks, enforced through forum.permissions, and refusals that say
which level lifts the limit."""

from __future__ import annotations

import pytest

from forum import permissions
from forum.chat import channels
from forum.errors import DomainError
from forum.models import CHANNEL_PRIVATE, CHANNEL_PUBLIC, HIDDEN_FLAGGED, Flag
from forum.moderation import flags, topic_actions
from forum.reputation.limits import count_links
from forum.settings import set_setting
from forum.topics import services as topics
from forum.topics.services import post_by_number
from tests import factories

# Trust messages are compared in English, the source language.
pytestmark = pytest.mark.usefixtures("english_by_default")

THREE_LINKS = "См. https://a.ru, https://b.ru и https://c.ru"
TWO_LINKS = "См. https://a.ru и https://b.ru, а также @anna"


def at_level(level: int, name: str | None = None):
    return factories.make_user(name, trust_level=level)


# --- TL0: links and daily limits --------------------------------------------------------------

def test_mentions_do_not_count_as_links(db, member):
    cooked = topics.cook_post(TWO_LINKS)
    assert count_links(cooked) == 2


def test_a_new_member_may_post_two_links(db, topic):
    post = topics.reply(topic, author=at_level(0), raw=TWO_LINKS)
    assert post.id is not None


def test_a_new_members_third_link_is_refused_naming_trust_level_1(db, topic):
    newcomer = at_level(0)
    with pytest.raises(DomainError) as refused:
        topics.reply(topic, author=newcomer, raw=THREE_LINKS)
    assert refused.value.field == "raw"
    message = str(refused.value.message)
    assert "at most 2 links" in message and "trust level 1" in message
    assert topic.posts_count == 1


def test_a_new_member_cannot_add_a_third_link_by_editing(db, topic):
    newcomer = at_level(0)
    post = topics.reply(topic, author=newcomer, raw="Без ссылок.")
    with pytest.raises(DomainError):
        topics.edit_post(post, editor=newcomer, raw=THREE_LINKS)
    assert post.raw == "Без ссылок."


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_basic_members_and_above_post_as_many_links_as_they_need(db, topic, level):
    assert topics.reply(topic, author=at_level(level), raw=THREE_LINKS).id is not None


def test_the_link_limit_is_an_admin_setting(db, topic):
    set_setting("trust_tl0_max_links", 3)
    assert topics.reply(topic, author=at_level(0), raw=THREE_LINKS).id is not None


def test_a_new_member_reaching_the_daily_reply_limit_is_told_which_level_lifts_it(db, topic):
    set_setting("trust_tl0_replies_per_day", 2)
    newcomer = at_level(0)
    topics.reply(topic, author=newcomer, raw="Первый ответ.")
    topics.reply(topic, author=newcomer, raw="Второй ответ.")
    with pytest.raises(DomainError) as refused:
        topics.reply(topic, author=newcomer, raw="Третий ответ.")
    assert refused.value.status_code == 429
    assert "2 replies a day" in str(refused.value.message)
    assert "trust level 1" in str(refused.value.message)


def test_a_new_member_may_open_three_topics_a_day_by_default(db, category):
    newcomer = at_level(0)
    for n in range(3):
        topics.create_topic(category, author=newcomer, title=f"Новая тема номер {n}",
                            raw="Текст темы.")
    with pytest.raises(DomainError) as refused:
        topics.create_topic(category, author=newcomer, title="Четвёртая тема за день",
                            raw="Текст темы.")
    assert "3 topics a day" in str(refused.value.message)


def test_the_refusal_reaches_the_member_in_the_reply_form(client, login, db, topic):
    newcomer = at_level(0, "novice")
    login(newcomer)
    page = client.post(f"/t/{topic.id}/reply", data={"raw": THREE_LINKS})
    text = page.get_data(as_text=True)
    assert page.status_code in (403, 422) and "trust level 1" in text
    assert "https://c.ru" in text  # the text is kept


# --- TL1: flags -------------------------------------------------------------------------------

@pytest.mark.parametrize(("level", "allowed"), [(0, False), (1, True), (2, True), (3, True)])
def test_flagging_needs_trust_level_1(db, topic, level, allowed):
    post = post_by_number(topic, 1)
    assert permissions.can_flag_post(at_level(level), post) is allowed


def test_a_new_members_flag_is_refused_with_the_level_that_lifts_it(db, topic):
    with pytest.raises(DomainError) as refused:
        flags.flag_post(post_by_number(topic, 1), flagger=at_level(0), kind="spam")
    assert refused.value.status_code == 403 and "trust level 1" in str(refused.value.message)
    assert db.session.query(Flag).count() == 0


def test_the_flag_page_tells_a_new_member_which_level_lets_them_flag(client, login, db, topic):
    newcomer = at_level(0, "novice")
    login(newcomer)
    page = client.get(f"/posts/{post_by_number(topic, 1).id}/flag")
    assert page.status_code == 403 and "trust level 1" in page.get_data(as_text=True)


# --- TL2: private chat channels ---------------------------------------------------------------

@pytest.mark.parametrize(("level", "allowed"), [(0, False), (1, False), (2, True), (4, True)])
def test_members_at_trust_level_2_create_private_channels(db, level, allowed):
    assert permissions.can_create_channel(at_level(level), CHANNEL_PRIVATE) is allowed


@pytest.mark.parametrize("level", [2, 3, 4])
def test_trust_levels_do_not_open_public_channels_or_seminar_rooms(db, level):
    user = at_level(level)
    assert not permissions.can_create_channel(user, CHANNEL_PUBLIC)
    assert not permissions.can_create_channel(user, "seminar")


def test_a_basic_member_creating_a_private_channel_learns_trust_level_2_lifts_it(db):
    with pytest.raises(DomainError) as refused:
        channels.create_channel(CHANNEL_PRIVATE, actor=at_level(1), name="Методобъединение")
    assert "trust level 2" in str(refused.value.message)


def test_a_trust_level_2_creator_invites_colleagues_to_the_private_channel(db):
    creator, colleague, third = at_level(2), at_level(1), at_level(1)
    channel = channels.create_channel(CHANNEL_PRIVATE, actor=creator, name="Методобъединение")
    assert channels.invite_to_channel(channel, actor=creator, invitees=[colleague]) == [colleague]
    # The invited colleague does not invite by themselves.
    assert not permissions.can_invite_to_channel(colleague, channel)
    with pytest.raises(DomainError):
        channels.invite_to_channel(channel, actor=colleague, invitees=[third])


def test_a_creator_demoted_below_trust_level_2_no_longer_invites(db):
    creator = at_level(2)
    channel = channels.create_channel(CHANNEL_PRIVATE, actor=creator, name="Методобъединение")
    creator.trust_level = 1
    assert not permissions.can_invite_to_channel(creator, channel)


# --- TL3: flags hide at once; retitle and recategorise ----------------------------------------

def test_a_regulars_flag_hides_the_post_at_once(db, topic):
    post = post_by_number(topic, 1)
    flags.flag_post(post, flagger=at_level(3), kind="spam")
    assert post.hidden_reason == HIDDEN_FLAGGED


def test_a_member_below_trust_level_3_needs_other_flaggers_to_hide_a_post(db, topic):
    post = post_by_number(topic, 1)
    flags.flag_post(post, flagger=at_level(2), kind="spam")
    assert not post.is_hidden


@pytest.mark.parametrize(("level", "allowed"), [(1, False), (2, False), (3, True), (4, True)])
def test_regulars_may_retitle_other_members_topics(db, topic, level, allowed):
    assert permissions.can_edit_topic(at_level(level), topic) is allowed


def test_a_regular_retitles_and_recategorises_a_topic_but_not_its_text(db, topic, category):
    regular = at_level(3)
    first = post_by_number(topic, 1)
    topics.edit_post(first, editor=regular, raw=first.raw, title="Понятное новое название")
    assert topic.title == "Понятное новое название"
    other = factories.make_category("Алгебра")
    topics.change_topic_category(topic, actor=regular, category=other)
    assert topic.category_id == other.id
    with pytest.raises(DomainError):
        topics.edit_post(first, editor=regular, raw="Чужой текст переписан.")


def test_a_regular_cannot_retitle_a_closed_topic(db, category):
    closed = factories.make_topic(category=category, closed=True)
    assert not permissions.can_edit_topic(at_level(3), closed)


# --- TL4: pins where active -------------------------------------------------------------------

def test_a_leader_active_in_the_category_pins_there(db, topic, category):
    set_setting("trust_tl4_active_posts", 2)
    leader = at_level(4)
    factories.make_post(topic, author=leader)
    assert not permissions.can_pin_topic(leader, topic)
    factories.make_post(topic, author=leader)
    assert permissions.can_pin_topic(leader, topic)
    assert topic_actions.pin_topic(topic, actor=leader)
    assert topic.is_pinned


def test_a_leader_cannot_pin_in_a_category_they_are_not_active_in(db, topic):
    set_setting("trust_tl4_active_posts", 1)
    leader = at_level(4)
    elsewhere = factories.make_topic()
    factories.make_post(elsewhere, author=leader)
    with pytest.raises(DomainError) as refused:
        topic_actions.pin_topic(topic, actor=leader)
    assert not topic.is_pinned and refused.value.status_code == 403


def test_a_leader_never_pins_across_the_whole_forum(db, topic):
    set_setting("trust_tl4_active_posts", 1)
    leader = at_level(4)
    factories.make_post(topic, author=leader)
    with pytest.raises(DomainError):
        topic_actions.pin_topic(topic, actor=leader, globally=True)


def test_a_regular_asking_to_pin_learns_leaders_are_chosen_by_admins(db, topic):
    with pytest.raises(DomainError) as refused:
        topic_actions.pin_topic(topic, actor=at_level(3), globally=False)
    message = str(refused.value.message)
    assert "trust level 4" in message and "Administrators" in message


@pytest.mark.parametrize("level", [0, 1, 2, 3, 4])
def test_staff_hold_every_unlock_whatever_their_level(db, topic, level):
    moderator = factories.make_user(role="moderator", trust_level=level)
    assert permissions.link_limit(moderator) is None
    assert permissions.can_flag_post(moderator, post_by_number(topic, 1))
    assert permissions.can_create_channel(moderator, CHANNEL_PRIVATE)


def test_the_link_refusal_reads_in_russian_with_the_right_plural(db, topic):
    import flask_babel
    newcomer = at_level(0)
    with flask_babel.force_locale("ru"), pytest.raises(DomainError) as refused:
        topics.reply(topic, author=newcomer, raw=THREE_LINKS)
    message = str(refused.value.message)
    assert "не больше 2 ссылок" in message and "уровне доверия 1 («начинающий участник»)" in message
