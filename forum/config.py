"""Configuration: every key the app reads, with a safe default, and the environment overrides."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class DefaultConfig:
    # Secret for sessions, CSRF and signed tokens; production must set SECRET_KEY.
    SECRET_KEY: str | None = None
    # SQLAlchemy URL; the default is SQLite in the instance folder (filled in by create_app).
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # Redis for Socket.IO fan-out across processes and for rate-limit counters; None = in-process.
    REDIS_URL: str | None = None
    SOCKETIO_MESSAGE_QUEUE: str | None = None
    # Prefix of this site's Redis channel and keys, so several sites (or test runs) can share
    # one Redis: Socket.IO's pub/sub channel, chat presence, rate-limit counters.
    REDIS_NAMESPACE = "kafedra"
    # Flask-Limiter storage; "memory://" is per process and fine for one development server.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # If the limits' Redis goes away, count in this process meanwhile rather than fail pages.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Per IP and per account login attempts; windows expire, so nobody is locked out for good.
    LOGIN_LIMIT_PER_IP = "20 per minute"
    LOGIN_LIMIT_PER_ACCOUNT = "5 per minute;30 per hour"
    REGISTRATION_LIMIT = "10 per hour"
    POSTING_LIMIT = "30 per minute"
    # Searches by guests (page, API and suggestions together), per address; members unlimited.
    SEARCH_ANONYMOUS_LIMIT = "60 per minute"

    # Length limits for titles and posts, in characters.
    TITLE_MIN_LENGTH = 5
    TITLE_MAX_LENGTH = 200
    POST_MIN_LENGTH = 1
    POST_MAX_LENGTH = 32000
    USERNAME_MIN_LENGTH = 3
    USERNAME_MAX_LENGTH = 40
    PASSWORD_MIN_LENGTH = 8
    # Werkzeug's password hash method (tests use a cheap one).
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a password
    # Page sizes of the topic view and of topic lists.
    POSTS_PER_PAGE = 20
    TOPICS_PER_PAGE = 30
    # A topic counts as "new" for a member this many days after it was created (Discourse's
    # new_topic_duration), unless they opened it or dismissed new topics.
    NEW_TOPIC_DAYS = 2
    # Notification e-mails: the default wait before an unread notification is mailed (members
    # choose their own), and how old a notification may be and still be mailed.
    NOTIFICATION_EMAIL_DELAY_MINUTES = 10
    NOTIFICATION_EMAIL_MAX_AGE_HOURS = 48
    # Links in e-mails need an absolute address (no request to take the host from).
    SITE_URL = "http://127.0.0.1:5000"
    REVIEW_ITEMS_PER_PAGE = 20  # items per page of the review queue (HTML and /review.json)

    # Interface languages (English is the source language) and the fallbacks.
    LANGUAGES = ("ru", "en")
    BABEL_DEFAULT_LOCALE = "ru"
    BABEL_DEFAULT_TIMEZONE = "Europe/Moscow"
    SITE_NAME = "Кафедра"

    # Cookies: HttpOnly and SameSite=Lax always; Secure in production.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = 60 * 60 * 24 * 30
    # Host names the app answers to in production (None accepts any, for development).
    TRUSTED_HOSTS: list[str] | None = None
    # Largest request body accepted, in bytes (413 above it).
    MAX_CONTENT_LENGTH = 2 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None  # tokens live as long as the session
    # Password reset links expire after this many seconds.
    PASSWORD_RESET_MAX_AGE = 60 * 60 * 2

    # Guests' pages are cached this many seconds (0 turns the cache off); any change invalidates.
    PAGE_CACHE_SECONDS = 30
    # Without REDIS_URL the guests' page cache lives in each worker: at most this many pages
    # (a topic page is 30–45 KB).
    PAGE_CACHE_ENTRIES = 30
    # The per-process caches below share one budget: a worker stays within ~100 MB RSS, and
    # the code itself takes ~90 of it. Each is bounded in entries and in bytes as Python
    # holds the HTML (text with any Cyrillic in it takes two bytes a character); 0 entries
    # turns a cache off. `bench/http.py --crawl 3000` reads enough distinct pages to fill
    # them all and prints the workers' RSS.
    # Rendered list rows and posts for the current content generation (forum.fragment_cache),
    # 2–8 KB each; a long post is many rows' worth.
    FRAGMENT_CACHE_ENTRIES = 2000
    FRAGMENT_CACHE_BYTES = 2_000_000
    # Members' headers, composers and level forms (fragment_cache.kept_html), 2–5 KB each.
    KEPT_HTML_ENTRIES = 2000
    KEPT_HTML_BYTES = 500_000
    # Members' pages kept whole, with slots for each reader's own parts (forum.kept_pages);
    # a page is 40–90 KB, and the hot ones fit.
    KEPT_PAGES = 100
    KEPT_PAGES_BYTES = 1_500_000
    # View counts and "last seen" are buffered in memory and written at most this often.
    STATS_FLUSH_SECONDS = 10
    # SQLite's planner statistics are refreshed by that flush at most this often per worker
    # (forum.planner_statistics); 0 never refreshes them.
    PLANNER_STATISTICS_SECONDS = 3600
    # Mail: "log" prints messages to the application log (development); "smtp" sends through
    # MAIL_SERVER:MAIL_PORT (with MAIL_USERNAME/MAIL_PASSWORD and STARTTLS when MAIL_USE_TLS).
    MAIL_BACKEND = "log"
    MAIL_FROM = "noreply@kafedra.local"
    MAIL_SERVER = "localhost"
    MAIL_PORT = 25
    MAIL_USERNAME: str | None = None
    MAIL_PASSWORD: str | None = None
    MAIL_USE_TLS = False
    # The mail worker retries a failed message after 1, 5, 25 … minutes (base × 5^n), then
    # gives up after MAIL_MAX_ATTEMPTS and marks it failed (`forum mail status`).
    MAIL_RETRY_BASE_MINUTES = 1
    MAIL_MAX_ATTEMPTS = 6
    # Load the demo community into an empty database on `make run`.
    DEMO_ON_EMPTY = False
    # Chat: longest message in characters; how long an author may edit; messages per member
    # (stricter for new members, trust level 0); how many messages a channel page loads at once.
    CHAT_MESSAGE_MAX_LENGTH = 4000
    CHAT_EDIT_WINDOW_SECONDS = 15 * 60
    CHAT_RATE_LIMIT = "10 per 10 seconds"
    CHAT_RATE_LIMIT_NEW_MEMBER = "5 per 10 seconds"
    CHAT_HISTORY_PAGE_SIZE = 50
    # Where uploaded files are stored (None: instance/uploads).
    UPLOADS_DIR: str | None = None
    # Attachments (forum.uploads). Allowed extensions, lower case; a file's content must match.
    UPLOAD_EXTENSIONS = (
        "pdf", "doc", "docx", "odt", "rtf", "txt", "xls", "xlsx", "ods", "ppt", "pptx", "odp",
        "png", "jpg", "jpeg", "gif", "webp", "mp3", "mp4", "webm", "zip",
    )
    # Largest file, in bytes; members below trust level 2 get the stricter second limit.
    UPLOAD_MAX_BYTES = 25 * 1024 * 1024
    UPLOAD_MAX_BYTES_NEW_MEMBER = 5 * 1024 * 1024
    # Trust level needed to attach files (0 lets brand-new members upload too).
    UPLOAD_MIN_TRUST_LEVEL = 1
    # Total bytes of one member's uploads (staff are exempt); 0 turns the quota off.
    UPLOAD_QUOTA_BYTES = 500 * 1024 * 1024
    # Images with more pixels are refused unopened (decompression bombs).
    UPLOAD_MAX_IMAGE_PIXELS = 40_000_000
    # Thumbnails fit in this box (Discourse's post width).
    UPLOAD_THUMBNAIL_SIZE = (690, 690)
    # Zip containers (zip, docx, odt, …): read from their central directory only, never
    # unpacked; refused above these declared totals (zip bombs).
    UPLOAD_ZIP_MAX_UNCOMPRESSED = 1024 * 1024 * 1024
    UPLOAD_ZIP_MAX_RATIO = 200
    UPLOAD_ZIP_MAX_ENTRIES = 10_000
    # `forum uploads clean` removes uploads no post references, and stored files no upload
    # uses, after this many hours.
    UPLOAD_ORPHAN_GRACE_HOURS = 48
    # Where Socket.IO is served from; the browser client connects to the same origin.
    SOCKETIO_ASYNC_MODE: str | None = None


class TestConfig(DefaultConfig):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    WTF_CSRF_ENABLED = False
    PAGE_CACHE_SECONDS = 0
    STATS_FLUSH_SECONDS = 0
    RATELIMIT_ENABLED = True
    SOCKETIO_ASYNC_MODE = "threading"
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"  # noqa: S105 - a method name


# Environment variable → config key, with a converter.
_ENV_KEYS = {
    "SECRET_KEY": ("SECRET_KEY", str),
    "DATABASE_URL": ("SQLALCHEMY_DATABASE_URI", str),
    "REDIS_URL": ("REDIS_URL", str),
    "REDIS_NAMESPACE": ("REDIS_NAMESPACE", str),
    "CHAT_RATE_LIMIT": ("CHAT_RATE_LIMIT", str),
    "CHAT_RATE_LIMIT_NEW_MEMBER": ("CHAT_RATE_LIMIT_NEW_MEMBER", str),
    "TRUSTED_HOSTS": ("TRUSTED_HOSTS", lambda v: [h.strip() for h in v.split(",") if h.strip()]),
    "SITE_NAME": ("SITE_NAME", str),
    "PAGE_CACHE_SECONDS": ("PAGE_CACHE_SECONDS", int),
    "PAGE_CACHE_ENTRIES": ("PAGE_CACHE_ENTRIES", int),
    "FRAGMENT_CACHE_BYTES": ("FRAGMENT_CACHE_BYTES", int),
    "KEPT_HTML_BYTES": ("KEPT_HTML_BYTES", int),
    "KEPT_PAGES_BYTES": ("KEPT_PAGES_BYTES", int),
    "MAIL_FROM": ("MAIL_FROM", str),
    "MAIL_BACKEND": ("MAIL_BACKEND", str),
    "MAIL_SERVER": ("MAIL_SERVER", str),
    "MAIL_PORT": ("MAIL_PORT", int),
    "MAIL_MAX_ATTEMPTS": ("MAIL_MAX_ATTEMPTS", int),
    "MAIL_USERNAME": ("MAIL_USERNAME", str),
    "MAIL_PASSWORD": ("MAIL_PASSWORD", str),
    "SITE_URL": ("SITE_URL", str),
    "MAX_CONTENT_LENGTH": ("MAX_CONTENT_LENGTH", int),
    "UPLOADS_DIR": ("UPLOADS_DIR", str),
    "UPLOAD_MAX_BYTES": ("UPLOAD_MAX_BYTES", int),
    "UPLOAD_QUOTA_BYTES": ("UPLOAD_QUOTA_BYTES", int),
    "UPLOAD_EXTENSIONS": ("UPLOAD_EXTENSIONS",
                          lambda v: tuple(e.strip().lower().lstrip(".") for e in v.split(",")
                                          if e.strip())),
}


def apply_environment(config: dict, environ=os.environ) -> None:
    """Override config keys from environment variables (the production path)."""
    for env_name, (key, convert) in _ENV_KEYS.items():
        if environ.get(env_name):
            config[key] = convert(environ[env_name])
    if config.get("REDIS_URL"):
        config.setdefault("SOCKETIO_MESSAGE_QUEUE", None)
        config["SOCKETIO_MESSAGE_QUEUE"] = config["SOCKETIO_MESSAGE_QUEUE"] or config["REDIS_URL"]
        if config.get("RATELIMIT_STORAGE_URI", "memory://") == "memory://":
            config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    if environ.get("KAFEDRA_ENV") == "production":
        config["SESSION_COOKIE_SECURE"] = True
        config["REMEMBER_COOKIE_SECURE"] = True
        config["PREFERRED_URL_SCHEME"] = "https"


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at psycopg 3, the driver we ship (Heroku-style URLs name no driver)."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def instance_secret_key(instance_path: str) -> str:
    """A per-installation development secret, created once in the git-ignored instance folder."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
