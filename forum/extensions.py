"""Flask extensions, created unbound here and bound to an app in create_app().

Flask-Migrate is not among them: only the command line and the tests need Alembic, and
create_app() sets it up there (forum._init_migrations).
"""

import functools

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import bindparam, inspect, select

from forum.deferred_imports import deferred, hidden
from forum.models.base import Base

# Socket.IO's client transports, imported by the library but used only by clients; redis
# only with a queue (forum._socketio_queue hands it over).
with deferred("aiohttp", "requests", "websocket"), hidden("redis"):
    from flask_socketio import SocketIO

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
csrf = CSRFProtect()
socketio = SocketIO()
babel = Babel()
# Limits are declared where they apply (login, registration, posting); nothing by default.
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def dialect_insert(table):
    """An INSERT for the database in use, with its ON CONFLICT clauses (PostgreSQL or SQLite).

    The dialect is imported when first asked for: PostgreSQL's costs a SQLite worker 2 MB.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(table)


def load_by_id(model, ident: int, options: tuple = ()):
    """Session.get(model, ident, options=options), through a statement built once.

    Session.get builds a new statement on each call, and SQLAlchemy then works out that
    statement's cache key again: for what every page loads with options (the signed-in
    account, a topic with its category) that cost about as much as the rest of the load.
    The options must be the same objects on each call (module constants), which key the
    kept statement.
    """
    return db.session.scalars(_by_id_statement(model, options), {"ident": ident}).one_or_none()


@functools.cache
def _by_id_statement(model, options: tuple):
    return select(model).where(
        inspect(model).primary_key[0] == bindparam("ident", required=True)).options(*options)
