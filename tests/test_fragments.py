"""forum.fragments: the HTML pieces pages build in Python escape what they print."""

from __future__ import annotations

from forum.extensions import db
from forum.fragments import page_links
from tests import factories


def test_page_links_link_every_page_but_the_current_one():
    html = str(page_links("/t/drobi/7?page=", 4, 2))
    assert html.count("<a ") == 3
    assert '<span aria-current="page">2</span>' in html
    assert '<a href="/t/drobi/7?page=4">4</a>' in html
    assert '<a href="/t/drobi/7?page=1">1</a>' in html


def test_page_links_escape_the_address():
    html = str(page_links('/t/"><script>x</script>?page=', 2, 1))
    assert "<script>" not in html
    assert "&#34;&gt;&lt;script&gt;" in html


def test_a_topic_page_links_its_other_pages(client, topic):
    for n in range(45):
        factories.make_post(topic, raw=f"Ответ номер {n}.")
    db.session.commit()
    html = client.get(f"/t/{topic.slug}/{topic.id}?page=2").get_data(as_text=True)
    base = f"/t/{topic.slug}/{topic.id}?page="
    assert f'<a href="{base}1">1</a>' in html and f'<a href="{base}3">3</a>' in html
    assert '<span aria-current="page">2</span>' in html
