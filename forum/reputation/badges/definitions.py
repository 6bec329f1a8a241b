"""The default badges, declared: names and descriptions (translated), icon, tier, whether they
repeat, whether admins grant them by hand, whether they may serve as a title, and the rule and
the domain events that re-evaluate it.

The `badges` table only stores each badge's identity and counters (synced from here by slug),
so a new badge is a new entry in DEFINITIONS, not a migration.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from forum.models import BADGE_BRONZE, BADGE_GOLD, BADGE_SILVER
from forum.reputation.badges import rules

# The domain events (forum.domain_events) rules react to, by name.
ON_POST = "post_published"
ON_LIKE = "like_given"
ON_SEMINAR = "chat_message_sent"
ON_VISIT = "member_visited"
ON_TRUST = "trust_level_changed"
ON_RESOURCE = "resource_shared"
ON_REVIEW = "resource_reviewed"
ON_DOWNLOAD = "resource_downloaded"


@dataclass(frozen=True)
class BadgeDefinition:
    slug: str
    name: object  # a lazy translated string
    description: object
    icon: str  # a name from templates/badges/_badge.html
    tier: str = BADGE_BRONZE
    multiple: bool = False
    manual: bool = False
    allow_title: bool = False
    rule: rules.Rule | None = None
    triggers: tuple[str, ...] = ()


def _badge(slug, name, description, icon, **options) -> BadgeDefinition:
    return BadgeDefinition(slug=slug, name=name, description=description, icon=icon, **options)


CONTEST_WINNER = "contest-winner"
PROLIFIC_POSTS = 100
APPRECIATIVE_LIKES = 50
NICE_REPLY_LIKES, GREAT_REPLY_LIKES, OUTSTANDING_REPLY_LIKES = 10, 25, 50

DEFINITIONS: tuple[BadgeDefinition, ...] = (
    # Posting
    _badge("first-post", _l("First post"), _l("Published a first post."), "pen",
           rule=rules.first_post, triggers=(ON_POST,)),
    _badge("first-topic", _l("First topic"), _l("Started a first topic."), "topic",
           rule=rules.first_topic, triggers=(ON_POST,)),
    _badge("first-reply", _l("First reply"), _l("Replied in another member's topic."),
           "reply", rule=rules.first_reply, triggers=(ON_POST,)),
    _badge("prolific-author", _l("Prolific author"), _l("Published 100 posts."), "pen",
           tier=BADGE_SILVER, rule=rules.posts_count_at_least(PROLIFIC_POSTS),
           triggers=(ON_POST,)),
    # Likes
    _badge("first-like", _l("First thanks"), _l("Liked a post for the first time."), "heart",
           rule=rules.likes_given_at_least(1), triggers=(ON_LIKE,)),
    _badge("appreciative", _l("Appreciative"), _l("Liked 50 posts."), "heart",
           tier=BADGE_SILVER, rule=rules.likes_given_at_least(APPRECIATIVE_LIKES),
           triggers=(ON_LIKE,)),
    _badge("welcome", _l("Welcome"), _l("Received a first like."), "hand",
           rule=rules.first_like_received, triggers=(ON_LIKE,)),
    _badge("nice-reply", _l("Good reply"), _l("A reply received 10 likes."), "star",
           multiple=True, rule=rules.reply_liked_at_least(NICE_REPLY_LIKES), triggers=(ON_LIKE,)),
    _badge("great-reply", _l("Excellent reply"), _l("A reply received 25 likes."), "star",
           tier=BADGE_SILVER, multiple=True, rule=rules.reply_liked_at_least(GREAT_REPLY_LIKES),
           triggers=(ON_LIKE,)),
    _badge("outstanding-reply", _l("Outstanding reply"), _l("A reply received 50 likes."),
           "star", tier=BADGE_GOLD, multiple=True, allow_title=True,
           rule=rules.reply_liked_at_least(OUTSTANDING_REPLY_LIKES), triggers=(ON_LIKE,)),
    _badge("nice-topic", _l("Good topic"), _l("The posts of a topic you started received "
                                              "many likes together."), "topic",
           multiple=True, rule=rules.topic_liked_at_least("badges_nice_topic_likes"),
           triggers=(ON_LIKE,)),
    _badge("great-topic", _l("Excellent topic"), _l("The posts of a topic you started "
                                                    "received a great many likes together."),
           "topic", tier=BADGE_SILVER, multiple=True,
           rule=rules.topic_liked_at_least("badges_great_topic_likes"), triggers=(ON_LIKE,)),
    _badge("mentor", _l("Mentor"), _l("Replies in other members' topics received many likes "
                                      "in all."), "mentor", tier=BADGE_GOLD, allow_title=True,
           rule=rules.mentor, triggers=(ON_LIKE,)),
    # Seminars
    _badge("seminar-participant", _l("Seminar participant"),
           _l("Took part in a seminar by writing in its room."), "seminar",
           rule=rules.seminars_attended_at_least(1), triggers=(ON_SEMINAR,)),
    _badge("seminar-regular", _l("Seminar regular"), _l("Took part in 5 seminars."),
           "seminar", tier=BADGE_SILVER, rule=rules.seminars_attended_at_least(5),
           triggers=(ON_SEMINAR,)),
    _badge("seminar-host", _l("Seminar host"),
           _l("Hosted a seminar in which other members took part."), "host",
           tier=BADGE_SILVER, multiple=True, allow_title=True, rule=rules.seminar_host,
           triggers=(ON_SEMINAR,)),
    # Visits, profile, membership
    _badge("active-member", _l("Active member"), _l("Visited the community on many days."),
           "calendar", tier=BADGE_SILVER, allow_title=True, rule=rules.days_visited,
           triggers=(ON_VISIT,)),
    _badge("autobiographer", _l("Autobiographer"),
           _l("Introduced themselves: the profile says who they are and where they teach."),
           "user", rule=rules.profile_filled, triggers=(ON_VISIT, ON_POST)),
    _badge("anniversary", _l("Anniversary"),
           _l("A member for a full year who posted during that year."), "cake",
           tier=BADGE_SILVER, multiple=True, rule=rules.anniversary, triggers=(ON_VISIT,)),
    # Trust levels
    _badge("basic", _l("Basic member"), _l("Reached trust level 1."), "shield",
           rule=rules.trust_level_at_least(1), triggers=(ON_TRUST,)),
    _badge("member", _l("Community member"), _l("Reached trust level 2."), "shield",
           rule=rules.trust_level_at_least(2), triggers=(ON_TRUST,)),
    _badge("regular", _l("Regular"), _l("Reached trust level 3."), "shield",
           tier=BADGE_SILVER, allow_title=True, rule=rules.trust_level_at_least(3),
           triggers=(ON_TRUST,)),
    _badge("leader", _l("Leader"), _l("Granted trust level 4 by the coordinators."), "shield",
           tier=BADGE_GOLD, allow_title=True, rule=rules.trust_level_at_least(4),
           triggers=(ON_TRUST,)),
    # The library
    _badge("resource-author", _l("Author of a teaching material"),
           _l("Shared a first material in the library."), "pen",
           rule=rules.first_resource, triggers=(ON_RESOURCE,)),
    _badge("popular-resource", _l("Popular material"),
           _l("A material shared in the library was downloaded by many people."), "star",
           tier=BADGE_SILVER, multiple=True,
           rule=rules.resource_downloaded_at_least("badges_popular_resource_downloads"),
           triggers=(ON_DOWNLOAD,)),
    _badge("reviewer", _l("Reviewer"), _l("Wrote a first expert review of a material."),
           "mentor", rule=rules.reviews_at_least(1), triggers=(ON_REVIEW,)),
    _badge("expert", _l("Expert"), _l("Wrote many expert reviews of materials."), "mentor",
           tier=BADGE_GOLD, allow_title=True,
           rule=rules.reviews_at_least(setting="badges_expert_reviews"),
           triggers=(ON_REVIEW,)),
    # Granted by hand
    _badge(CONTEST_WINNER, _l("Contest winner"),
           _l("Won a contest of the community; the reason names the contest."), "trophy",
           tier=BADGE_GOLD, multiple=True, manual=True, allow_title=True),
)

BY_SLUG: dict[str, BadgeDefinition] = {d.slug: d for d in DEFINITIONS}


def definitions_for(trigger: str) -> list[BadgeDefinition]:
    """The automatic badges whose rules an event may have made due."""
    return [d for d in DEFINITIONS if trigger in d.triggers and d.rule is not None]
