"""Request parameters as Discourse clients send them: form fields with bracket keys, or JSON.

`post[raw]=…` in a form and `{"post": {"raw": …}}` in JSON read the same; `post_ids[]=1`
in a query string becomes a list. Type errors answer 400/422 with a translated message.
"""

from __future__ import annotations

import json
import re

from flask import request
from flask_babel import gettext as _
from werkzeug.datastructures import MultiDict

from forum.errors import DomainError

# The largest id the database holds; bigger numbers would overflow the driver (a 500, not a 404).
MAX_INTEGER = 2**31 - 1
# One level of nesting is all the Discourse endpoints we serve use: post[raw], post[edit_reason].
_BRACKET_KEY = re.compile(r"([^\[\]]+)\[([^\[\]]+)\]")


def body_params() -> dict:
    """The request body as a dict: a JSON object, or form fields with bracket keys nested."""
    if request.is_json:
        return _json_body()
    return nest(request.form)


def nest(fields: MultiDict) -> dict:
    """`a[b]=1` → {"a": {"b": "1"}}, `ids[]=1&ids[]=2` → {"ids": ["1", "2"]}, else last value."""
    result: dict = {}
    for key in fields:
        if key.endswith("[]"):
            result[key[:-2]] = fields.getlist(key)
            continue
        match = _BRACKET_KEY.fullmatch(key)
        if match is None:
            result[key] = fields.getlist(key)[-1]
        elif isinstance(section := result.setdefault(match[1], {}), dict):
            section[match[2]] = fields.getlist(key)[-1]
    return result


def section(params: dict, name: str) -> dict:
    """A nested group such as `post` (empty when absent or not an object)."""
    value = params.get(name)
    return value if isinstance(value, dict) else {}


def text(params: dict, key: str, default: str | None = "") -> str | None:
    """A text parameter; absent or null reads as the default, other non-text is refused."""
    value = params.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise DomainError(_("The parameter %(name)s must be text.", name=key), field=key)
    return value


def integer(params: dict, key: str) -> int | None:
    """A whole-number parameter (JSON number or digits), or None when absent or empty."""
    value = params.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str) and value.strip().isdecimal():
        number = int(value.strip())
    else:
        raise DomainError(_("The parameter %(name)s must be a whole number.", name=key),
                          field=key)
    if not 0 <= number <= MAX_INTEGER:
        raise DomainError(_("The parameter %(name)s is out of range.", name=key), field=key)
    return number


def integer_list(values: list, key: str, *, limit: int) -> list[int]:
    """Whole numbers from a repeated parameter, at most `limit` of them."""
    if len(values) > limit:
        raise DomainError(_("Ask for at most %(n)d items at a time.", n=limit), field=key)
    return [n for v in values if (n := integer({key: v}, key)) is not None]


def _json_body() -> dict:
    raw = request.get_data(cache=True)
    if not raw.strip():
        return {}
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):  # RecursionError: absurdly deep nesting
        raise DomainError(_("The request body is not valid JSON."), status_code=400) from None
    if not isinstance(data, dict):
        raise DomainError(_("The request body must be a JSON object."), status_code=400)
    return data
