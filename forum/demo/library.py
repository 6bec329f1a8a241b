"""The demo's library: a few materials attached to demo posts, described, with subject expert
groups and reviews, so the library and "recommended by experts" have something to show."""

from __future__ import annotations

import io

from sqlalchemy import select

from forum import domain_events
from forum.extensions import db
from forum.groups import services as groups
from forum.library import experts, reviews, services
from forum.models import UPLOAD_FILE, Category, Post, PostUpload, Topic, Upload, User
from forum.uploads.storage import storage

EXPERT_GROUPS = {"matematika": ("experts-matematika", "Эксперты: математика",
                                ["krylov_math", "ershova_math", "belova_nach"])}
# (category slug, file name, title, text of its one page, material type, grades, tags, the
# scores the subject's experts give — the first experts who are not the author)
MATERIALS = [
    ("matematika", "Сложение дробей.pdf", "Сложение дробей: рабочий лист",
     "Сложение и вычитание дробей с одинаковыми знаменателями. Задачи для 5 класса.",
     "lesson_plan", ["5"], "дроби, рабочий лист", [5, 4]),
    ("matematika", "Проценты.pdf", "Проценты в задачах ОГЭ",
     "Задачи на проценты: скидки, вклады, смеси. Подготовка к ОГЭ.",
     "assessment", ["9"], "проценты, ОГЭ", []),
]


def load_demo_library(users: dict[str, User], categories: dict[str, Category]) -> int:
    """Expert groups, materials and reviews; returns how many materials were made."""
    for slug, (name, full_name, members) in EXPERT_GROUPS.items():
        group = groups.group_by_name(name) or groups.create_group(actor=None, name=name,
                                                                  full_name=full_name)
        for username in members:
            if users[username] not in group.members:
                groups.add_member(group, users[username], actor=None)
        experts.set_expert_group(categories[slug], group, actor=None)
    made = 0
    for slug, filename, title, text, kind, grades, tags, scores in MATERIALS:
        post = db.session.scalar(
            select(Post).join(Topic, Topic.id == Post.topic_id)
            .where(Topic.category_id == categories[slug].id, Post.post_number == 1)
            .order_by(Topic.id).offset(made).limit(1))
        if post is None or post.user is None:
            continue
        resource = _attach(post, filename, simple_pdf(text))
        services.update_metadata(resource, actor=post.user, title=title, description=text,
                                 category_id=categories[slug].id, grade_levels=grades,
                                 material_type=kind, tags=tags, licence="cc-by-4.0")
        reviewers = [users[name] for name in EXPERT_GROUPS[slug][2]
                     if users[name].id != post.user_id]
        for reviewer, score in zip(reviewers, scores, strict=False):
            reviews.save_review(resource, reviewer=reviewer, comment="",
                                scores=dict.fromkeys(("relevance", "methodology", "clarity",
                                                      "completeness"), score))
        made += 1
    return made


def _attach(post: Post, filename: str, data: bytes):
    """What the uploads service does when a post references a file."""
    sha256, size = storage().put(io.BytesIO(data))
    upload = Upload(user_id=post.user_id, sha256=sha256, original_filename=filename,
                    extension="pdf", content_type="application/pdf", kind=UPLOAD_FILE,
                    size=size)
    db.session.add(upload)
    db.session.flush()
    link = PostUpload(post_id=post.id, upload_id=upload.id)
    db.session.add(link)
    db.session.flush()
    domain_events.upload_attached.send(link)
    from forum.models import Resource

    return db.session.scalar(select(Resource).where(Resource.post_id == post.id,
                                                    Resource.source_upload_id == upload.id))


def simple_pdf(text: str) -> bytes:
    """A one-page PDF whose text layer holds `text` in any script: each distinct character
    gets a one-byte code, and the font's ToUnicode map says which character it is."""
    chars = list(dict.fromkeys(text))[:250]
    codes = {c: i + 1 for i, c in enumerate(chars)}
    shown = "".join(f"{codes[c]:02X}" for c in text if c in codes)
    # A coloured band and frame, so the rendered preview shows something even where a viewer
    # lacks the font; the text layer is what search reads.
    stream = ("0.08 0.4 0.75 rg 40 780 515 30 re f 0.5 G 2 w 40 60 515 700 re S "
              f"0 g BT /F1 14 Tf 50 740 Td <{shown}> Tj ET").encode()
    entries = "".join(f"<{codes[c]:02X}> <{ord(c):04X}>\n" for c in chars)
    cmap = ("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
            "/CMapName /Kafedra def 1 begincodespacerange <00> <FF> endcodespacerange\n"
            f"{len(chars)} beginbfchar\n{entries}endbfchar\n"
            "endcmap CMapName currentdict /CMap defineresource pop end end").encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()
