"""Notification kinds: the names stored in Notification.kind (each has a sentence in texts.py)."""

KIND_POST_HIDDEN = "post_hidden"  # your post was hidden (by flags or a moderator)
KIND_POST_APPROVED = "post_approved"
KIND_POST_REJECTED = "post_rejected"
KIND_FLAG_OUTCOME = "flag_outcome"  # what moderators decided about your flag
KIND_MODERATOR_ACTION = "moderator_action"  # a moderator closed, moved, deleted… your content
KIND_SILENCED = "silenced"
KIND_SUSPENDED = "suspended"
# Chat: data carries channel_id (and message_id); the link goes to the channel.
KIND_CHAT_MENTION = "chat_mention"
KIND_CHAT_SILENCED = "chat_silenced"
KIND_CHAT_MESSAGE_DELETED = "chat_message_deleted"  # a moderator agreed with flags on it
KIND_CHAT_INVITED = "chat_invited"  # data: channel_id, by, seminar
KIND_TRUST_LEVEL_PROMOTED = "trust_level_promoted"  # data: level, and what it unlocks
KIND_BADGE_GRANTED = "badge_granted"  # data: badge_slug, badge_id, user_badge_id
# Posts (data: by — the acting member's username, post_id): Discourse's types.
KIND_REPLIED = "replied"
KIND_MENTIONED = "mentioned"
KIND_QUOTED = "quoted"
KIND_LIKED = "liked"  # grouped per post: data.usernames (newest first), data.count
KIND_POSTED = "posted"  # a new post in a topic (or category) the member watches
KIND_WATCHING_FIRST_POST = "watching_first_post"  # a new topic in a watched category
KIND_BOOKMARK_REMINDER = "bookmark_reminder"  # data: bookmark_id, post_id, name
