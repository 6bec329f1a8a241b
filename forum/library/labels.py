"""Translated names of grade levels, material types, licences and review criteria."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

GRADE_LABELS = {"preschool": _l("Preschool"), **{str(n): _l("Grade %(n)d", n=n)
                                                 for n in range(1, 12)},
                "spo": _l("Vocational (SPO)")}
MATERIAL_TYPE_LABELS = {
    "lesson_plan": _l("Lesson plan"),
    "presentation": _l("Presentation"),
    "work_programme": _l("Work programme"),
    "assessment": _l("Assessment materials"),
    "extracurricular": _l("Extracurricular activity"),
    "video_lesson": _l("Video lesson"),
    "methodological": _l("Methodological guide"),
    "other": _l("Other"),
}
LICENCE_LABELS = {
    "cc-by-4.0": "CC BY 4.0",
    "cc-by-sa-4.0": "CC BY-SA 4.0",
    "cc-by-nc-4.0": "CC BY-NC 4.0",
    "cc-by-nc-sa-4.0": "CC BY-NC-SA 4.0",
    "cc0": "CC0",
    "all-rights-reserved": _l("All rights reserved"),
}
CRITERION_LABELS = {
    "relevance": _l("Relevance to the curriculum"),
    "methodology": _l("Methodological quality"),
    "clarity": _l("Clarity and design"),
    "completeness": _l("Completeness"),
}
SORT_LABELS = {"newest": _l("Newest"), "downloads": _l("Most downloaded"),
               "rating": _l("Best rated")}
