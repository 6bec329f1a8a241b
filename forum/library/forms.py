"""Library forms: describe a resource, review it, rate it, add a version, name an expert group.
They check shape only; the rules (lengths, choices, who may) are the services'."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SelectChoice, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.widgets import CheckboxInput, ListWidget

from forum.library.labels import (
    CRITERION_LABELS,
    GRADE_LABELS,
    LICENCE_LABELS,
    MATERIAL_TYPE_LABELS,
)
from forum.models import REVIEW_CRITERIA

SCORE_CHOICES = [SelectChoice("", "—")] + [SelectChoice(str(n), str(n)) for n in range(1, 6)]


def choices(labels: dict) -> list[SelectChoice]:
    return [SelectChoice(code, label) for code, label in labels.items()]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form):  # the service names the field at fault instead
        pass


class MetadataForm(FlaskForm):
    title = StringField(_l("Title"))
    description = TextAreaField(_l("Description"))
    subject = SelectField(_l("Subject"), coerce=str, validate_choice=False)
    grades = MultiCheckboxField(_l("Grade levels"), choices=choices(GRADE_LABELS))
    material_type = SelectField(_l("Material type"), choices=choices(MATERIAL_TYPE_LABELS),
                                validate_choice=False)
    tags = StringField(_l("Tags"))
    licence = SelectField(_l("Licence"), choices=choices(LICENCE_LABELS),
                          validate_choice=False)


def _score_field(criterion: str) -> SelectField:
    return SelectField(CRITERION_LABELS[criterion], choices=SCORE_CHOICES, validate_choice=False)


class ReviewForm(FlaskForm):
    relevance = _score_field("relevance")
    methodology = _score_field("methodology")
    clarity = _score_field("clarity")
    completeness = _score_field("completeness")
    comment = TextAreaField(_l("Comment"))

    def scores(self) -> dict[str, int | None]:
        return {c: _int_or_none(getattr(self, c).data) for c in REVIEW_CRITERIA}


class RatingForm(FlaskForm):
    stars = SelectField(_l("Your rating"),
                        choices=[SelectChoice(str(n), str(n)) for n in range(1, 6)],
                        validate_choice=False)


class VersionForm(FlaskForm):
    file = FileField(_l("New version of the file"))


class ExpertGroupForm(FlaskForm):
    subject = SelectField(_l("Subject"), coerce=str, validate_choice=False)
    group = SelectField(_l("Expert group"), coerce=str, validate_choice=False)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
