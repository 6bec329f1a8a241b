"""Domain-event receivers: re-evaluate the rules an event may have made due, for the members it
concerns. They run inside the sender's transaction and never commit.

Before any SQL, each receiver keeps only the badges the event can have made due, judged from
the objects in hand (a topic's first post cannot earn "first reply"; a reply with 3 likes
cannot earn "good reply"). These hints are necessary conditions only: the rule still decides.
So a typical post or like costs two or three small queries, not one per badge.
"""

from __future__ import annotations

from forum import domain_events
from forum.extensions import db
from forum.models import CHANNEL_SEMINAR, ChatChannel, Post
from forum.reputation.badges import definitions as d
from forum.reputation.badges.engine import evaluate, evaluate_many
from forum.reputation.badges.rules import Scope
from forum.settings import get_setting


def register_receivers() -> None:
    """Connect the receivers (blinker keeps weak references: these are module-level functions)."""
    for signal, receiver in _connections():
        signal.connect(receiver)


def unregister_receivers() -> None:
    """Disconnect them again (tests that must not see badge grants)."""
    for signal, receiver in _connections():
        signal.disconnect(receiver)


def _connections():
    return [(domain_events.post_published, on_post_published),
            (domain_events.post_restored, on_post_published),
            (domain_events.like_given, on_like_given),
            (domain_events.chat_message_sent, on_chat_message_sent),
            (domain_events.member_visited, on_member_visited),
            (domain_events.trust_level_changed, on_trust_level_changed),
            (domain_events.resource_shared, on_resource_shared),
            (domain_events.resource_reviewed, on_resource_reviewed),
            (domain_events.resource_downloaded, on_resource_downloaded)]


def _ids(*values) -> frozenset[int]:
    return frozenset(v for v in values if v is not None)


def _definitions(*slugs: str) -> list[d.BadgeDefinition]:
    return [d.BY_SLUG[slug] for slug in slugs]


def on_post_published(post: Post, **_) -> None:
    author = post.user
    if author is None:
        return
    slugs = ["first-post"]
    if post.post_number == 1:
        slugs.append("first-topic")
    elif post.topic.user_id != post.user_id:
        slugs.append("first-reply")
    if (author.post_count or 0) >= d.PROLIFIC_POSTS:
        slugs.append("prolific-author")
    if author.about and (author.organisation or author.subjects):
        slugs.append("autobiographer")
    scope = Scope(user_ids=_ids(author.id), post_ids=_ids(post.id))
    evaluate(_definitions(*slugs), scope)


def on_like_given(action, **_) -> None:
    post = action.post if action.post is not None else db.session.get(Post, action.post_id)
    if post is None:
        return
    topic = post.topic
    evaluate_many([
        (_definitions("first-like", "appreciative"), Scope(user_ids=_ids(action.user_id))),
        (_definitions(*_earned_by_liked_post(post)),
         Scope(user_ids=_ids(post.user_id), post_ids=_ids(post.id))),
        (_definitions(*_earned_by_liked_topic(topic)),
         Scope(user_ids=_ids(topic.user_id), topic_ids=_ids(topic.id))),
    ])


def _earned_by_liked_post(post: Post) -> list[str]:
    slugs = ["welcome"]
    likes = post.like_count or 0
    if post.post_number > 1:
        slugs += [slug for slug, needed in (("nice-reply", d.NICE_REPLY_LIKES),
                                            ("great-reply", d.GREAT_REPLY_LIKES),
                                            ("outstanding-reply", d.OUTSTANDING_REPLY_LIKES))
                  if likes >= needed]
        if post.topic.user_id != post.user_id:
            slugs.append("mentor")
    return slugs


def _earned_by_liked_topic(topic) -> list[str]:
    likes = topic.like_count or 0
    return [slug for slug, setting in (("nice-topic", "badges_nice_topic_likes"),
                                       ("great-topic", "badges_great_topic_likes"))
            if likes >= get_setting(setting)]


def on_chat_message_sent(message, **_) -> None:
    channel = message.channel or db.session.get(ChatChannel, message.channel_id)
    if channel is None or channel.kind != CHANNEL_SEMINAR:
        return  # only seminar rooms carry badges: ordinary chat costs no query here
    scope = Scope(user_ids=_ids(message.user_id, channel.host_id),
                  channel_ids=_ids(channel.id))
    evaluate(d.definitions_for(d.ON_SEMINAR), scope)


def on_member_visited(user, **_) -> None:
    evaluate(d.definitions_for(d.ON_VISIT), Scope(user_ids=_ids(user.id)))


def on_trust_level_changed(user, *, old=None, new=None, **_) -> None:
    if old is not None and new is not None and new <= old:
        return  # badges are kept after a demotion, and a demotion earns nothing
    evaluate(d.definitions_for(d.ON_TRUST), Scope(user_ids=_ids(user.id)))


def on_resource_shared(resource, **_) -> None:
    if resource.user_id is not None:
        evaluate(_definitions("resource-author"), Scope(user_ids=_ids(resource.user_id)))


def on_resource_reviewed(review, *, created: bool = True, **_) -> None:
    if created and review.user_id is not None:  # an edit adds no review
        evaluate(_definitions("reviewer", "expert"), Scope(user_ids=_ids(review.user_id)))


def on_resource_downloaded(resource, **_) -> None:
    if (resource.user_id is None
            or resource.download_count < get_setting("badges_popular_resource_downloads")):
        return  # below the threshold no query is needed
    evaluate(_definitions("popular-resource"),
             Scope(user_ids=_ids(resource.user_id), post_ids=_ids(resource.post_id)))
