"""The site page editor's form; lengths and emptiness are the service's rules."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField


class PageForm(FlaskForm):
    title = StringField(_l("Title"))
    raw = TextAreaField(_l("Text (Markdown)"), render_kw={"rows": 24})
    edit_reason = StringField(_l("What changed and why (optional)"))
