"""Member statistics for trust levels: days visited (from the batched "last seen" flush) and
reading (Discourse's POST /topics/timings): topics entered, posts read, time spent reading.

A plain page view writes nothing: visits reach the database with forum.activity's flush; the
timings request is itself a write the topic page's script sends while the member reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update

from forum import domain_events
from forum.extensions import db, dialect_insert
from forum.models import Topic, TopicRead, User, UserStats, UserVisit, utcnow

# Time a single timings request may add: the script reports about every minute, so more
# than this in one report is a forged or replayed request.
MAX_SECONDS_PER_REPORT = 60
# Post numbers in one report: a page shows far fewer; more is not a reader.
MAX_POSTS_PER_REPORT = 200
MAX_POSTS_PER_SECOND = 2


def _insert(model):
    return dialect_insert(model)


def ensure_stats(user_ids) -> None:
    """Create the members' statistics rows that do not exist yet (races are harmless)."""
    ids = sorted(set(user_ids))
    if ids:
        db.session.execute(_insert(UserStats).values([{"user_id": i} for i in ids])
                           .on_conflict_do_nothing(index_elements=["user_id"]))


def stats_of(user: User) -> UserStats:
    """The member's statistics row, created on first use."""
    row = db.session.get(UserStats, user.id)
    if row is None:
        ensure_stats([user.id])
        row = db.session.get(UserStats, user.id)
    return row


# --- visits -----------------------------------------------------------------------------------

def record_visits(seen: dict[int, datetime]) -> list[int]:
    """Count a visit for each member on the day they were seen, once per day; returns the ids of
    members whose day was new (they were sent member_visited). Called by the activity flush."""
    by_day: dict[date, list[int]] = {}
    for user_id, when in seen.items():
        by_day.setdefault(when.date(), []).append(user_id)
    new = []
    for day, user_ids in by_day.items():
        new.extend(_record_day(day, user_ids))
    return new


def _record_day(day: date, user_ids: list[int]) -> list[int]:
    inserted = db.session.execute(
        _insert(UserVisit).values([{"user_id": i, "visited_on": day} for i in user_ids])
        .on_conflict_do_nothing(index_elements=["user_id", "visited_on"])
        .returning(UserVisit.user_id)).scalars().all()
    if not inserted:
        return []
    ensure_stats(inserted)
    db.session.execute(update(UserStats).where(UserStats.user_id.in_(inserted))
                       .values(days_visited=UserStats.days_visited + 1))
    for user in db.session.scalars(select(User).where(User.id.in_(inserted))):
        domain_events.member_visited.send(user, day=day)
    return list(inserted)


# --- reading ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReadReport:
    """What one timings request added (after validation and caps)."""
    posts_read: int
    seconds: int
    entered: bool


def record_reading(user: User, topic: Topic, timings: dict[int, int], topic_time_ms: int,
                   *, now: datetime | None = None) -> ReadReport:
    """Add what the member read in the topic: posts past their high-water mark count once, the
    first report enters the topic, time is capped by the report and by the wall clock since the
    member's previous report (two tabs cannot read twice as fast). The caller checked that the
    member may see the topic and commits."""
    now = now or utcnow()
    numbers = sorted(n for n in timings if 1 <= n <= topic.highest_post_number)
    if not numbers:  # nothing on screen: not reading (and not a way to "enter" topics)
        return ReadReport(posts_read=0, seconds=0, entered=False)
    row, entered = _topic_read(user, topic, now)
    seconds = _allowed_seconds(user, topic_time_ms, now)
    # Nobody reads faster than a few posts a second: the rest waits for the next report.
    fresh = [n for n in numbers if n > row.last_read_post_number]
    fresh = fresh[:max(1, seconds) * MAX_POSTS_PER_SECOND]
    if fresh:
        row.last_read_post_number = fresh[-1]
    row.time_read_seconds += seconds
    row.last_read_at = now
    _add_to_stats(user, posts=len(fresh), seconds=seconds, entered=entered, day=now.date())
    db.session.flush()
    return ReadReport(posts_read=len(fresh), seconds=seconds, entered=entered)


def _topic_read(user: User, topic: Topic, now: datetime) -> tuple[TopicRead, bool]:
    inserted = db.session.execute(
        _insert(TopicRead).values(user_id=user.id, topic_id=topic.id, first_read_at=now,
                                  last_read_at=now)
        .on_conflict_do_nothing(index_elements=["user_id", "topic_id"])
        .returning(TopicRead.id)).scalar()
    row = db.session.scalar(select(TopicRead).where(TopicRead.user_id == user.id,
                                                    TopicRead.topic_id == topic.id)
                            .with_for_update())
    return row, inserted is not None


def _allowed_seconds(user: User, topic_time_ms: int, now: datetime) -> int:
    seconds = max(0, min(int(topic_time_ms) // 1000, MAX_SECONDS_PER_REPORT))
    previous = db.session.scalar(select(func.max(TopicRead.last_read_at))
                                 .where(TopicRead.user_id == user.id,
                                        TopicRead.first_read_at < now))
    if previous is not None:
        seconds = min(seconds, max(0, int((now - previous).total_seconds())))
    return seconds


def _add_to_stats(user: User, *, posts: int, seconds: int, entered: bool, day: date) -> None:
    ensure_stats([user.id])
    db.session.execute(update(UserStats).where(UserStats.user_id == user.id).values(
        posts_read=UserStats.posts_read + posts,
        time_read_seconds=UserStats.time_read_seconds + seconds,
        topics_entered=UserStats.topics_entered + int(entered)))
    _record_day(day, [user.id])  # reading is visiting: today counts if it did not yet
    db.session.execute(update(UserVisit).where(UserVisit.user_id == user.id,
                                               UserVisit.visited_on == day).values(
        posts_read=UserVisit.posts_read + posts,
        time_read_seconds=UserVisit.time_read_seconds + seconds))
