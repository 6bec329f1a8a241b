"""Site settings that admins change at run time: declared here with type, default and bounds.

A setting's value lives in the `site_settings` table only once an admin changes it; until then
the declared default applies. Code reads settings with `get_setting(name)`, never the table.
Deployment facts (database URL, secrets, limits of the HTTP layer) stay in forum.config.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from forum import permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import SiteSetting, utcnow
from forum.moderation import audit


@dataclass(frozen=True)
class Setting:
    name: str
    kind: type  # int or bool
    default: int | bool
    label: object  # a lazy translated string
    minimum: int = 0
    maximum: int = 1_000_000


# Trust levels: Discourse's defaults for what each level asks (TL3 over a recent window).
TRUST_SETTINGS = (
    Setting("trust_tl1_topics_entered", int, 5, _l("Trust level 1: topics entered")),
    Setting("trust_tl1_posts_read", int, 30, _l("Trust level 1: posts read")),
    Setting("trust_tl1_time_read_minutes", int, 10,
            _l("Trust level 1: minutes spent reading")),
    Setting("trust_tl2_days_visited", int, 15, _l("Trust level 2: days visited")),
    Setting("trust_tl2_topics_entered", int, 20, _l("Trust level 2: topics entered")),
    Setting("trust_tl2_posts_read", int, 100, _l("Trust level 2: posts read")),
    Setting("trust_tl2_time_read_minutes", int, 60,
            _l("Trust level 2: minutes spent reading")),
    Setting("trust_tl2_topics_replied", int, 3, _l("Trust level 2: topics replied to")),
    Setting("trust_tl2_likes_given", int, 1, _l("Trust level 2: likes given")),
    Setting("trust_tl2_likes_received", int, 1, _l("Trust level 2: likes received")),
    Setting("trust_tl3_period_days", int, 100,
            _l("Trust level 3: the recent window, in days"), minimum=1, maximum=3650),
    Setting("trust_tl3_days_visited", int, 50,
            _l("Trust level 3: days visited in the window")),
    Setting("trust_tl3_topics_replied", int, 10,
            _l("Trust level 3: topics replied to in the window")),
    Setting("trust_tl3_topics_viewed_percent", int, 25,
            _l("Trust level 3: percentage of the window's new topics viewed"), maximum=100),
    Setting("trust_tl3_topics_viewed_cap", int, 500,
            _l("Trust level 3: topics viewed in the window never need to exceed")),
    Setting("trust_tl3_posts_read_percent", int, 25,
            _l("Trust level 3: percentage of the window's new posts read"), maximum=100),
    Setting("trust_tl3_posts_read_cap", int, 20000,
            _l("Trust level 3: posts read in the window never need to exceed")),
    Setting("trust_tl3_likes_given", int, 30, _l("Trust level 3: likes given in the window")),
    Setting("trust_tl3_likes_received", int, 20,
            _l("Trust level 3: likes received in the window")),
    Setting("trust_tl3_max_posts_removed", int, 5,
            _l("Trust level 3: at most this many posts hidden or removed by moderators in "
               "the window")),
    Setting("trust_tl3_grace_days", int, 14,
            _l("Trust level 3: days of grace before a regular whose activity dropped is "
               "demoted"), maximum=365),
    Setting("trust_tl0_max_links", int, 2, _l("Trust level 0: links allowed in one post"),
            maximum=1000),
    Setting("trust_tl0_topics_per_day", int, 3,
            _l("Trust level 0: new topics per day"), minimum=1, maximum=1000),
    Setting("trust_tl0_replies_per_day", int, 10,
            _l("Trust level 0: replies per day"), minimum=1, maximum=1000),
    Setting("trust_tl4_active_posts", int, 10,
            _l("Trust level 4: posts in a category that make a leader active there "
               "(and let them pin topics in it)"), minimum=1),
)

SETTINGS: dict[str, Setting] = {s.name: s for s in (
    Setting("flags_to_hide_post", int, 3,
            _l("Flags from distinct members that hide a post until it is reviewed"),
            minimum=1, maximum=100),
    Setting("approve_new_member_posts", int, 0,
            _l("Hold this many first posts of each new member for approval (0: off)"),
            maximum=100),
    *TRUST_SETTINGS,
    # Badges: the thresholds of the community's own badges (forum.reputation.badges).
    Setting("badges_mentor_likes", int, 20,
            _l("“Mentor” badge: likes received on replies in other members' topics"),
            minimum=1, maximum=10_000),
    Setting("badges_active_member_days", int, 50,
            _l("“Active member” badge: days visited"), minimum=1, maximum=10_000),
    Setting("badges_nice_topic_likes", int, 10,
            _l("“Good topic” badge: likes on a topic"), minimum=1, maximum=10_000),
    Setting("badges_great_topic_likes", int, 25,
            _l("“Excellent topic” badge: likes on a topic"), minimum=1, maximum=10_000),
)}

# Likes and reputation (forum.reputation): daily like limits by trust level, the ledger's
# weights and its anti-farming rules.
SETTINGS.update({s.name: s for s in (
    *(Setting(f"likes_per_day_tl{level}", int, default,
              _l("Likes a member of trust level %(level)d may give per day", level=level),
              minimum=0, maximum=1000)
      for level, default in enumerate((20, 30, 50, 75, 100))),
    Setting("reputation_points_like_received", int, 10,
            _l("Reputation points for a like received"), maximum=1000),
    Setting("reputation_points_like_from_new_member", int, 0,
            _l("Reputation points for a like from a new member (trust level 0), at most the "
               "full points"), maximum=1000),
    Setting("reputation_pair_likes_per_day", int, 3,
            _l("Likes from one member to another per day that count in full"),
            minimum=1, maximum=1000),
    Setting("reputation_points_like_beyond_pair_cap", int, 0,
            _l("Reputation points for each further like between the same two members that "
               "day, at most the full points"), maximum=1000),
    Setting("reputation_penalty_post_removed", int, 20,
            _l("Reputation points taken for a post removed by a moderator"), maximum=1000),
    Setting("reputation_points_badge_bronze", int, 5,
            _l("Reputation points for a bronze badge"), maximum=1000),
    Setting("reputation_points_badge_silver", int, 15,
            _l("Reputation points for a silver badge"), maximum=1000),
    Setting("reputation_points_badge_gold", int, 50,
            _l("Reputation points for a gold badge"), maximum=1000),
    Setting("reputation_points_helpful_reply", int, 15,
            _l("Reputation points for a reply the topic's author marked helpful"),
            maximum=1000),
    Setting("helpful_replies_per_topic", int, 3,
            _l("Replies a topic's author may mark helpful in one topic"), minimum=1, maximum=50),
    Setting("reputation_points_seminar", int, 10,
            _l("Reputation points for taking part in a seminar (writing in its room)"),
            maximum=1000),
    Setting("reputation_points_resource_recommended", int, 25,
            _l("Reputation points for a library material recommended by experts"),
            maximum=1000),
    Setting("badges_popular_resource_downloads", int, 100,
            _l("“Popular material” badge: people who downloaded a material"),
            minimum=1, maximum=1_000_000),
    Setting("badges_expert_reviews", int, 10,
            _l("“Expert” badge: expert reviews written"), minimum=1, maximum=10_000),
)})


def get_setting(name: str):
    """The setting's current value (the admin's choice, else the declared default)."""
    setting = SETTINGS[name]
    values = _stored_values()
    value = values.get(name, setting.default)
    return setting.kind(value) if isinstance(value, int | bool) else setting.default


def set_setting(name: str, raw_value) -> tuple[object, object]:
    """Validate and store a new value; returns (before, after). The caller logs and commits."""
    setting = SETTINGS.get(name)
    if setting is None:
        raise DomainError(_("There is no such setting."), field="name")
    value = _parse(setting, raw_value)
    before = get_setting(name)
    row = db.session.scalar(select(SiteSetting).where(SiteSetting.name == name))
    if row is None:
        row = SiteSetting(name=name)
        db.session.add(row)
    row.value = value
    row.updated_at = utcnow()
    db.session.flush()
    _forget_cached_values()
    return before, value


def change_settings(raw_values: dict[str, object], *, actor) -> list[str]:
    """Validate every given value first, then store the changed ones, one log entry each.

    Raises one DomainError per call naming the first bad field; `errors_in` finds them all.
    Returns the names that changed (an unchanged value is not an action: nothing logged).
    """
    if not permissions.can_change_settings(actor):
        raise DomainError(_("Only administrators change site settings."), status_code=403)
    parsed = {name: _parse(SETTINGS[name], value) for name, value in raw_values.items()
              if name in SETTINGS}
    changed = []
    for name, value in parsed.items():
        if value == get_setting(name):
            continue
        before, after = set_setting(name, value)
        audit.record(audit.SETTING_CHANGE, actor=actor, target=name,
                     before={"value": before}, after={"value": after})
        changed.append(name)
    return changed


def errors_in(raw_values: dict[str, object]) -> dict[str, str]:
    """Setting name → the message for each value that would be refused (for the form)."""
    errors = {}
    for name, value in raw_values.items():
        if name in SETTINGS:
            try:
                _parse(SETTINGS[name], value)
            except DomainError as error:
                errors[name] = str(error.message)
    return errors


def _parse(setting: Setting, raw_value) -> int | bool:
    if setting.kind is bool:
        if isinstance(raw_value, bool):
            return raw_value
        return str(raw_value).strip().lower() in ("1", "true", "on", "yes")
    try:
        value = int(str(raw_value).strip())
    except ValueError:
        raise DomainError(_("Enter a whole number."), field=setting.name) from None
    if not setting.minimum <= value <= setting.maximum:
        raise DomainError(_("Enter a number from %(low)d to %(high)d.",
                            low=setting.minimum, high=setting.maximum), field=setting.name)
    return value


def _stored_values() -> dict:
    # Read once per request: a page may consult several settings.
    if has_request_context() and "kafedra_settings" in g:
        return g.kafedra_settings
    values = dict(db.session.execute(select(SiteSetting.name, SiteSetting.value)).all())
    if has_request_context():
        g.kafedra_settings = values
    return values


def _forget_cached_values() -> None:
    if has_request_context():
        g.pop("kafedra_settings", None)
