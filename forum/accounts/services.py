"""Account writes: registration, sign-in, profiles, password resets, leaving, roles, API keys.

Services flush but never commit; the caller commits once.
"""

from __future__ import annotations

import functools
import hashlib
import re
import secrets
import unicodedata

from flask import current_app
from flask_babel import gettext as _
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from forum import markup, permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import ROLES, ApiKey, Draft, User, utcnow
from forum.moderation import audit, sanctions
from forum.text import fold

USERNAME_PATTERN = re.compile(r"^[\w.-]+$")
RESET_SALT = "password-reset"


@functools.cache
def _dummy_hash(method: str) -> str:
    """Checked when the account does not exist, so both answers cost the same time."""
    return generate_password_hash(secrets.token_hex(16), method)


def validate_username(username: str) -> str:
    """The username as stored, or DomainError: letters, digits, '_', '.', '-'; length per config."""
    # NFC: "й" pasted as "и" + combining breve is one letter, which the pattern accepts.
    username = unicodedata.normalize("NFC", username or "").strip()
    low, high = (current_app.config["USERNAME_MIN_LENGTH"],
                 current_app.config["USERNAME_MAX_LENGTH"])
    if not low <= len(username) <= high:
        raise DomainError(_("The username must be %(low)d to %(high)d characters long.",
                            low=low, high=high), field="username")
    if not USERNAME_PATTERN.match(username) or username.endswith("."):
        raise DomainError(_("The username may contain only letters, digits, '_', '.' and '-'."),
                          field="username")
    return username


def validate_password(password: str) -> None:
    minimum = current_app.config["PASSWORD_MIN_LENGTH"]
    if len(password or "") < minimum:
        raise DomainError(_("The password must be at least %(n)d characters long.", n=minimum),
                          field="password")


def find_user(login: str) -> User | None:
    """The account with this username or e-mail address (case-insensitive)."""
    key = fold(login)
    return db.session.scalar(
        select(User).where((User.username_lower == key) | (User.email_lower == key))
    )


def register(*, username: str, email: str, password: str, name: str = "",
             role: str = "member", locale: str | None = None) -> User:
    """Create an account; duplicate names and addresses are refused case-insensitively."""
    username = validate_username(username)
    validate_password(password)
    email = (email or "").strip()
    if "@" not in email or len(email) > 254:
        raise DomainError(_("Enter a valid e-mail address."), field="email")
    if role not in ROLES:
        raise DomainError(_("Unknown role."), field="role")
    if db.session.scalar(select(User.id).where(User.username_lower == fold(username))):
        raise DomainError(_("This username is already taken."), field="username")
    if db.session.scalar(select(User.id).where(User.email_lower == fold(email))):
        raise DomainError(_("An account with this e-mail address already exists."), field="email")
    user = User(username=username, username_lower=fold(username), email=email,
                email_lower=fold(email), name=(name or "").strip()[:100], role=role,
                locale=locale if locale in current_app.config["LANGUAGES"] else None)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(login: str, password: str) -> User | None:
    """The user these credentials belong to, or None; unknown users cost as much as bad ones.

    Right credentials of a suspended account raise a 403 DomainError saying why and until
    when: only after the password matched, so a guesser learns nothing.
    """
    user = find_user(login)
    if user is None or not (user.is_active or user.is_suspended):
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]),
                            password or "")
        return None
    if not user.check_password(password or ""):
        return None
    if user.is_suspended:
        raise DomainError(sanctions.suspension_refusal(user), status_code=403)
    return user


def update_profile(user: User, *, actor: User, name: str, organisation: str, subjects: str,
                   about: str, locale: str | None) -> User:
    """Change the public profile; the about text is cooked like a post."""
    permissions.require(permissions.can_edit_profile(actor, user))
    if len(about or "") > 3000:
        raise DomainError(_("The text about yourself is too long (at most 3000 characters)."),
                          field="about")
    user.name = (name or "").strip()[:100]
    user.organisation = (organisation or "").strip()[:200]
    user.subjects = (subjects or "").strip()[:200]
    user.about = (about or "").strip()
    user.about_cooked = str(markup.cook(user.about))
    user.locale = locale if locale in current_app.config["LANGUAGES"] else None
    db.session.flush()
    return user


def change_password(user: User, *, current: str, new: str) -> None:
    if not user.check_password(current):
        raise DomainError(_("The current password is wrong."), field="current_password")
    validate_password(new)
    user.set_password(new)


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=RESET_SALT)


def _password_fingerprint(user: User) -> str:
    # Changes whenever the password does, which makes each token single-use.
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def password_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"id": user.id, "fp": _password_fingerprint(user)})


def user_for_reset_token(token: str) -> User | None:
    """The user a valid, unexpired, unused token was made for, else None."""
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config[
            "PASSWORD_RESET_MAX_AGE"])
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), int):
        return None
    user = db.session.get(User, data["id"])
    if user is None or not user.is_active or data.get("fp") != _password_fingerprint(user):
        return None
    return user


def reset_password(token: str, new_password: str) -> User:
    user = user_for_reset_token(token)
    if user is None:
        raise DomainError(_("This password reset link is invalid or has expired. "
                            "Ask for a new one."), field="token")
    validate_password(new_password)
    user.set_password(new_password)
    db.session.flush()
    return user


def delete_account(user: User, *, actor: User) -> None:
    """Leave the community: the person's data goes, their posts stay under an anonymous name."""
    permissions.require(permissions.can_delete_account(actor, user))
    if user.is_admin and _admin_count() <= 1:
        raise DomainError(_("The last administrator cannot be deleted."))
    if actor.id != user.id:  # an admin's removal is a staff action; leaving is not
        audit.record(audit.USER_DELETE, actor=actor, target=user,
                     before={"username": user.username}, after={"username": f"anon{user.id}"})
    anonymous = f"anon{user.id}"
    user.username = anonymous
    user.username_lower = anonymous
    user.email = f"{anonymous}@deleted.invalid"
    user.email_lower = user.email
    user.name = ""
    user.organisation = user.subjects = user.about = user.about_cooked = ""
    user.password_hash = ""
    user.groups = []
    user.deleted_at = utcnow()
    db.session.execute(Draft.__table__.delete().where(Draft.user_id == user.id))
    for key in db.session.scalars(select(ApiKey).where(ApiKey.user_id == user.id)):
        key.revoked_at = utcnow()
    db.session.flush()


def _admin_count() -> int:
    return len(db.session.scalars(
        select(User.id).where(User.role == "admin", User.deleted_at.is_(None))).all())


def set_role(user: User, *, actor: User, role: str) -> None:
    """Admins change roles; the last admin keeps theirs."""
    permissions.require(permissions.can_administer(actor))
    if role not in ROLES:
        raise DomainError(_("Unknown role."), field="role")
    if user.is_admin and role != "admin" and _admin_count() <= 1:
        raise DomainError(_("The last administrator cannot be demoted."))
    if role == user.role:
        return
    audit.record(audit.USER_ROLE, actor=actor, target=user, before={"role": user.role},
                 after={"role": role})
    user.role = role
    permissions.forget_cached_groups(user)
    db.session.flush()


def create_api_key(*, actor: User | None, user: User | None, description: str = "") -> str:
    """Make a key (for one user, or for all users when user is None); returns it once, in clear."""
    if actor is not None:
        permissions.require(permissions.can_administer(actor))
    key = secrets.token_hex(32)
    db.session.add(ApiKey(key_digest=ApiKey.digest(key), truncated_key=key[:4],
                          user_id=user.id if user else None, description=description[:200],
                          created_by_id=actor.id if actor else None))
    db.session.flush()
    return key


def revoke_api_key(api_key: ApiKey, *, actor: User) -> None:
    permissions.require(permissions.can_administer(actor))
    api_key.revoked_at = utcnow()
    db.session.flush()
