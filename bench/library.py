"""Benchmark of the library: listing, filters and search on 20,000 generated resources
(target: p99 under 100 ms), in-process through the Flask test client.

    .venv/bin/python bench/library.py                        # PostgreSQL, seeds once
    .venv/bin/python bench/library.py --database-url sqlite:////tmp/kafedra-library.sqlite3
    .venv/bin/python bench/library.py --resources 5000 --requests 100

Seeds the forum dataset (`seed_benchmark_data`) when there are fewer posts than resources,
then one resource per post: an Upload row (no bytes: listing and search never read them), and
metadata, extracted text and stems generated from a teaching vocabulary, with download counts,
ratings and a share recommended by experts. Times each page as a guest and as a member, in an
app loaded the way wsgi.py loads it in every worker (start-up objects frozen out of the
garbage collector's walks: forum/gc_tuning.py).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

if sys.path and sys.path[0].rstrip("/").endswith("bench"):
    sys.path.pop(0)  # bench/http.py would shadow the standard library's `http`
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select  # noqa: E402

from forum import create_app  # noqa: E402
from forum.extensions import db  # noqa: E402
from forum.gc_tuning import freeze_startup_objects  # noqa: E402
from forum.library.search import index_text  # noqa: E402
from forum.models import (  # noqa: E402
    GRADE_LEVELS,
    LICENCES,
    MATERIAL_TYPES,
    Post,
    Resource,
    Topic,
    Upload,
    User,
    utcnow,
)

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/kafedra_library_bench"
WORDS = (
    "дроби", "дробями", "сложение", "вычитание", "уравнение", "уравнения", "функция",
    "график", "геометрия", "треугольник", "окружность", "площадь", "объём", "задача",
    "задачи", "контрольная", "работа", "урок", "конспект", "презентация", "олимпиада",
    "проект", "исследование", "опыт", "оптика", "механика", "электричество", "химия",
    "реакция", "кислота", "литература", "поэзия", "роман", "Пушкин", "Толстой", "сочинение",
    "диктант", "орфография", "пунктуация", "грамматика", "история", "реформа", "война",
    "революция", "география", "климат", "материк", "биология", "клетка", "растение",
    "животное", "экология", "информатика", "алгоритм", "программа", "Python", "английский",
    "grammar", "vocabulary", "reading", "listening", "lesson", "worksheet", "test", "quiz",
)


def main() -> None:
    args = parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": args.database_url, "SECRET_KEY": "bench",
                      "TESTING": False, "PAGE_CACHE_SECONDS": 0, "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False})
    freeze_startup_objects()  # as wsgi.py does in every worker
    with app.app_context():
        db.create_all()
        prepare(args.resources)
        member = db.session.scalar(select(User).where(User.role == "member").limit(1))
        total = db.session.scalar(select(func.count(Resource.id)))
        print(f"{total:,} resources on {db.engine.dialect.name}")
        subject = db.session.scalar(select(Resource.category_id).limit(1))
    pages = {
        "newest": "/library",
        "page 20": "/library?page=20",
        "most downloaded": "/library?sort=downloads",
        "best rated in a subject": f"/library?sort=rating&subject={subject}",
        "grade + type": "/library?grade=5&type=lesson_plan",
        "search дробями": "/library?q=дробями",
        "search 2 words": "/library?q=уравнения+график",
        "search rare word": "/library?q=Пушкин+диктант+орфография",
        "json search": "/library.json?q=конспект",
    }
    for who in ("guest", "member"):
        client = app.test_client()
        if who == "member":
            with client.session_transaction() as session:
                session["_user_id"] = str(member.id)
                session["_fresh"] = True
        for name, url in pages.items():
            p50, p99 = measure(client, url, args.requests)
            print(f"{who:6} {name:26} p50 {p50:6.1f} ms   p99 {p99:6.1f} ms")


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                                                                 DEFAULT_URL))
    parser.add_argument("--resources", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=200)
    return parser.parse_args()


def measure(client, url: str, requests: int) -> tuple[float, float]:
    for _ in range(5):  # warm up
        assert client.get(url).status_code == 200, url
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, url
    timings.sort()
    return statistics.median(timings), timings[min(len(timings) - 1, int(len(timings) * 0.99))]


def prepare(resources: int) -> None:
    if (db.session.scalar(select(func.count(Resource.id))) or 0) >= resources:
        return
    if (db.session.scalar(select(func.count(Post.id))) or 0) < resources:
        from forum.demo.bench import seed_benchmark_data

        seed_benchmark_data(posts=resources, topics=max(resources // 10, 1))
    started = time.perf_counter()
    rng = random.Random(11)
    posts = db.session.execute(
        select(Post.id, Post.user_id, Topic.category_id).join(Topic, Topic.id == Post.topic_id)
        .order_by(Post.id).limit(resources)).all()
    now = utcnow()
    uploads = [{"user_id": user_id, "sha256": f"{n:064x}", "original_filename": f"file{n}.pdf",
                "extension": "pdf", "content_type": "application/pdf", "kind": "file",
                "size": rng.randint(10_000, 5_000_000), "created_at": now}
               for n, (_post, user_id, _cat) in enumerate(posts)]
    for start in range(0, len(uploads), 5_000):
        db.session.execute(insert(Upload), uploads[start:start + 5_000])
    upload_ids = list(db.session.scalars(select(Upload.id).order_by(Upload.id)))[-len(posts):]
    rows = [_resource(rng, post, upload_id, now) for post, upload_id in zip(posts, upload_ids,
                                                                            strict=True)]
    for start in range(0, len(rows), 2_000):
        db.session.execute(insert(Resource), rows[start:start + 2_000])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("ANALYZE")
    print(f"{len(rows):,} resources generated in {time.perf_counter() - started:.1f} s")


def _resource(rng: random.Random, post, upload_id: int, now) -> dict:
    post_id, user_id, category_id = post
    title = " ".join(rng.sample(WORDS, 4)).capitalize()
    description = " ".join(rng.choices(WORDS, k=20))
    text = " ".join(rng.choices(WORDS, k=rng.randint(50, 400)))
    tags = rng.sample(WORDS, 3)
    grades = sorted(rng.sample(GRADE_LEVELS, rng.randint(1, 3)), key=GRADE_LEVELS.index)
    ratings = rng.randint(0, 20)
    stars = sum(rng.randint(2, 5) for _ in range(ratings))
    reviewed = rng.random() < 0.1
    average = rng.uniform(3, 5) if reviewed else 0.0
    return {
        "post_id": post_id, "source_upload_id": upload_id, "upload_id": upload_id,
        "user_id": user_id, "category_id": category_id, "title": title,
        "description": description, "grade_levels": f",{','.join(grades)},",
        "material_type": rng.choice(MATERIAL_TYPES), "tags": f",{','.join(tags)},",
        "licence": rng.choice(LICENCES), "extracted_text": text,
        "search_stems": index_text(title, description, " ".join(tags), text),
        "version_number": 1, "download_count": int(rng.paretovariate(1.5)) - 1,
        "rating_count": ratings, "rating_sum": stars,
        "rating_average": round(stars / ratings, 3) if ratings else 0.0,
        "review_count": 2 if reviewed else 0, "review_average": average,
        "is_recommended": reviewed and average >= 4, "created_at": now, "updated_at": now,
    }


if __name__ == "__main__":
    main()
