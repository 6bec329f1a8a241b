"""Kafedra: the app factory — config layers, extensions, blueprints, sockets, CLI, errors."""

from __future__ import annotations

import logging
import os

import flask_babel
from flask import Flask, current_app, g
from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from werkzeug.routing import IntegerConverter

from forum.config import (
    DefaultConfig,
    apply_environment,
    instance_secret_key,
    normalise_database_url,
)
from forum.extensions import babel, csrf, db, limiter, login_manager, socketio


def create_app(config: type | dict | None = None) -> Flask:
    """Build an app: DefaultConfig → instance/config.py → environment → the given config."""
    app = Flask(__name__, instance_relative_config=True)
    from forum.i18n import ForumRequest

    app.request_class = ForumRequest
    _configure(app, config)
    app.before_request_funcs.setdefault(None, []).insert(0, _forget_previous_request)
    _init_extensions(app)
    from forum.page_cache import init_page_cache

    init_page_cache(app)  # after the extensions, so its WSGI layer sits in front of them all
    from forum.fragment_cache import init_fragment_cache

    init_fragment_cache(app)
    from forum.kept_pages import init_kept_pages

    init_kept_pages(app)
    _init_fair_turns(app)
    _register_blueprints(app)
    _register_sockets()
    from forum.notifications.receivers import register_receivers as register_notifications
    from forum.reputation import register_receivers
    from forum.search import register_builtin_kinds

    register_receivers()
    register_builtin_kinds()
    register_notifications()
    _register_cli(app)
    from forum.errors import register_error_handlers
    from forum.security import init_security
    from forum.templating import init_templating

    init_security(app)
    init_templating(app)
    register_error_handlers(app)
    if not app.testing:
        from forum.activity import register_exit_flush

        register_exit_flush(app)
    return app


def _init_fair_turns(app: Flask) -> None:
    from forum.serving import YieldEachRequest, running_under_gevent

    # Outermost, so that page cache hits, too, take turns with the other connections.
    if running_under_gevent():
        app.wsgi_app = YieldEachRequest(app.wsgi_app)


def _forget_previous_request() -> None:
    """Start each request with no user or locale left over from an earlier one.

    A fresh app context per request guarantees this in production; tests and CLI code that
    keep one app context across several requests would otherwise leak `g` between them.
    """
    # flask-wtf keeps the request's signed CSRF token in g under the field's name.
    for key in ("_login_user", "api_user", current_app.config["WTF_CSRF_FIELD_NAME"]):
        g.pop(key, None)
    flask_babel.refresh()


def _configure(app: Flask, config) -> None:
    app.config.from_object(DefaultConfig)
    app.config.from_pyfile("config.py", silent=True)
    testing = config is not None and (
        (isinstance(config, dict) and config.get("TESTING"))
        or getattr(config, "TESTING", False)
    )
    if not testing:
        apply_environment(app.config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "forum.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    app.config.setdefault("RATELIMIT_KEY_PREFIX", app.config["REDIS_NAMESPACE"])
    app.config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"])
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(app.instance_path)
    # Forms check their own CSRF token so they can re-render with what was typed;
    # forum.security enforces the token for every other unsafe request.
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # gevent-websocket (the production worker) logs every request at INFO, and through the
    # root logger above that is a line on stderr per page view; gunicorn's --access-logfile
    # is the access log to use.
    logging.getLogger("geventwebsocket.handler").setLevel(logging.WARNING)


def _init_extensions(app: Flask) -> None:
    from forum.i18n import select_locale, select_timezone

    db.init_app(app)
    if make_url(app.config["SQLALCHEMY_DATABASE_URI"]).get_backend_name() == "postgresql":
        from forum.models.topics import add_postgresql_options

        add_postgresql_options()
    _init_migrations(app)
    login_manager.init_app(app)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    queue_url = app.config.get("SOCKETIO_MESSAGE_QUEUE")
    # The extension object outlives an app (tests build many): never inherit a queue.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        message_queue=queue_url,
        async_mode=app.config.get("SOCKETIO_ASYNC_MODE"),
        cors_allowed_origins=[],  # same origin only
        **_socketio_queue(queue_url, app.config["REDIS_NAMESPACE"]),
    )
    from forum.accounts.auth import init_login

    init_login(app)


def _socketio_queue(url: str | None, namespace: str) -> dict:
    """A Redis queue that tolerates a missing Redis: the app starts and serves pages, emits
    are logged and dropped, and the listener reconnects by itself when Redis is back.

    Only the connect attempt is bounded: a read timeout would break the listener's long wait.
    """
    if not url or not url.startswith(("redis://", "rediss://")):
        return {}
    from forum.deferred_imports import socketio_redis_manager

    return {"client_manager": socketio_redis_manager()(
        url, channel=f"{namespace}-socketio",
        redis_options={"socket_connect_timeout": 2, "socket_keepalive": True})}


def _init_migrations(app: Flask) -> None:
    """Flask-Migrate (`flask db …`) where migrations run: the command line and the tests.

    Importing Alembic adds ~11 MB to a process, and web workers never migrate.
    """
    if not (app.testing or os.environ.get("FLASK_RUN_FROM_CLI") == "true"):
        return
    from flask_migrate import Migrate

    # Batch mode lets Alembic alter SQLite tables (it copies and swaps them).
    Migrate(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"),
            render_as_batch=True, compare_type=True)


class _IdConverter(IntegerConverter):
    """`<int:…>` capped at the largest 64-bit id: longer numbers are a 404, not an overflow."""

    def __init__(self, url_map, fixed_digits=0, min=None, max=2**63 - 1, signed=False):  # noqa: A002
        super().__init__(url_map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def _register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = _IdConverter
    import forum.api.chat_moderation_routes  # noqa: F401 - chat moderation on the api bp
    import forum.api.following_routes  # noqa: F401 - new/unread, levels, bookmarks on the api bp
    import forum.api.moderation_routes  # noqa: F401 - adds the moderation routes to the API
    import forum.api.review_routes  # noqa: F401 - flags and review queue routes on the api bp
    import forum.reputation.badges.api  # noqa: F401 - badge routes on the api bp
    from forum.accounts.views import bp as accounts_bp
    from forum.admin.views import bp as admin_bp
    from forum.api.views import bp as api_bp
    from forum.categories.views import bp as categories_bp
    from forum.drafts.views import bp as drafts_bp
    from forum.moderation.review_views import bp as review_bp
    from forum.moderation.views import bp as moderation_bp
    from forum.topics.views import bp as topics_bp

    for blueprint in (topics_bp, categories_bp, accounts_bp, drafts_bp, admin_bp, api_bp,
                      moderation_bp, review_bp):
        app.register_blueprint(blueprint)
    from forum.following.views import bp as following_bp
    from forum.moderation.log_views import bp as staff_log_bp
    from forum.moderation.user_views import bp as sanctions_bp
    from forum.notifications.views import bp as notifications_bp
    from forum.pages.views import bp as pages_bp
    from forum.reputation.views import bp as reputation_bp
    from forum.search.views import bp as search_bp
    from forum.uploads.views import bp as uploads_bp

    for blueprint in (sanctions_bp, staff_log_bp, notifications_bp, pages_bp, reputation_bp,
                      search_bp, uploads_bp, following_bp):
        app.register_blueprint(blueprint)
    _register_chat(app)
    _register_reputation(app)
    from forum import library

    library.init_app(app)


def _register_chat(app: Flask) -> None:
    """The chat blueprint: its pages and moderation modules each add routes to it."""
    import forum.chat.moderation_views  # noqa: F401 - adds the moderation routes to the bp
    import forum.chat.views  # noqa: F401 - adds the chat pages to the bp
    from forum.chat.blueprint import bp as chat_bp

    if "chat" not in app.blueprints:
        app.register_blueprint(chat_bp)


def _register_reputation(app: Flask) -> None:
    """Trust levels (reading reports, admin routes, receivers), badges and the honour board."""
    from forum.honour.views import bp as honour_bp
    from forum.reputation import badges
    from forum.reputation.trust import register_receivers as register_trust_receivers
    from forum.reputation.trust_views import bp as trust_bp

    app.register_blueprint(trust_bp)
    app.register_blueprint(honour_bp)
    register_trust_receivers()
    badges.init_app(app)


def _register_sockets() -> None:
    from forum.chat.sockets import register_chat_namespace
    from forum.notifications.sockets import register_live_namespace

    register_live_namespace()
    register_chat_namespace()


def _register_cli(app: Flask) -> None:
    from forum.cli import forum_cli

    app.cli.add_command(forum_cli)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record) -> None:
    """SQLite: foreign keys on, WAL for concurrent readers, a busy timeout for writers, and a
    page cache of 1 MB per connection."""
    module = type(dbapi_connection).__module__
    if not module.startswith("sqlite3"):
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    # The default 2 MB is held by each pooled connection of each worker, inside its ~100 MB;
    # a page's reads touch a few hundred KB of indexes, and the OS caches the file anyway.
    cursor.execute("PRAGMA cache_size=-1024")
    cursor.close()
