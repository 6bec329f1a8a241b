"""Domain events: named signals that services send after a change and before the commit.

Reputation, badges and (later) search and notifications react to what happened in the
community here instead of being called from every view. Receivers run synchronously inside
the sender's transaction, so what they write commits or rolls back with the change itself;
they must not commit. Each signal's sender is the changed object; keyword arguments say more.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# A post became visible to readers (posted, or approved after being held); sender: the Post.
post_published = _signals.signal("post-published")
# A post was soft-deleted (kwargs: actor); deleting a topic sends it for its first post.
post_deleted = _signals.signal("post-deleted")
# A post's text or its topic's title changed (kwargs: editor, old_raw — the text before).
post_edited = _signals.signal("post-edited")
# A soft-deleted post came back (kwargs: actor).
post_restored = _signals.signal("post-restored")
# A new post was held for approval: stored, but seen only by its author and moderators until
# approved (then post_published follows).
post_held = _signals.signal("post-held")
# Posts moved to another topic (sender: the destination Topic; kwargs: source — the Topic
# they left, post_ids). A moved post may have become a first post, under a new title.
posts_moved = _signals.signal("posts-moved")
# A member liked a post (sender: the PostAction) or took the like back (sender: the Post,
# kwargs: user, action_id — the id the removed like had).
like_given = _signals.signal("like-given")
like_removed = _signals.signal("like-removed")
# A post's Markdown started or stopped referencing an upload (sender: the PostUpload; the
# detached one is sent before its row is deleted). The library keeps its resources by these.
upload_attached = _signals.signal("upload-attached")
upload_detached = _signals.signal("upload-detached")
# The topic's author marked a reply helpful (sender: the Post, kwargs: actor) or took it back.
reply_marked_helpful = _signals.signal("reply-marked-helpful")
reply_unmarked_helpful = _signals.signal("reply-unmarked-helpful")
# A chat message was stored (sender: the ChatMessage).
chat_message_sent = _signals.signal("chat-message-sent")
# A chat message's text changed, or it was soft-deleted or brought back (sender: the
# ChatMessage; kwargs: actor).
chat_message_edited = _signals.signal("chat-message-edited")
chat_message_deleted = _signals.signal("chat-message-deleted")
chat_message_restored = _signals.signal("chat-message-restored")
# A member visited on a new day (sender: the User, kwargs: day).
member_visited = _signals.signal("member-visited")
# A badge was granted (sender: the UserBadge), or an admin revoked a hand-granted one (sender:
# the UserBadge just before its row is deleted; kwargs: actor).
badge_granted = _signals.signal("badge-granted")
badge_revoked = _signals.signal("badge-revoked")
# A member's trust level changed (sender: the User, kwargs: old, new).
trust_level_changed = _signals.signal("trust-level-changed")
# The library (forum.library): a resource entered the library (sender: the Resource); an
# expert saved a review (sender: the ExpertReview, kwargs: created — False when edited); a
# resource was downloaded by a new person that day (sender: the Resource); a resource became
# or stopped being recommended by experts (sender: the Resource, kwargs: recommended).
resource_shared = _signals.signal("resource-shared")
resource_reviewed = _signals.signal("resource-reviewed")
resource_downloaded = _signals.signal("resource-downloaded")
resource_recommendation_changed = _signals.signal("resource-recommendation-changed")
