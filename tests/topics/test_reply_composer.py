"""The reply form under a topic is kept for every member who may reply
(forum.topics.reply_composer): each page still carries its own reader's draft, reply-to
number, id and CSRF token, and a draft's text is escaped, never run."""

from __future__ import annotations

import re

from forum.drafts.services import save_draft
from forum.extensions import db
from forum.models import Post
from tests import factories


def _reply_form(html: str) -> str:
    start = html.index('id="reply"')
    return html[html.rindex("<form", 0, start):html.index("</form>", start)]


def _kept_forms(app) -> list:
    return [key for key in app.extensions["kept_html"].data if key[0] == "reply-form"]


def _sign_in(app, user):
    client = app.test_client()
    response = client.post("/login", data={"login": user.username, "password": factories.PASSWORD})
    assert response.status_code == 302
    return client


def test_members_share_one_kept_form_each_with_their_own_draft(
        app, member, other_member, topic):
    save_draft(member, f"topic_{topic.id}",
               {"raw": "Мой набросок <script>alert(1)</script> & ещё", "reply_to_post_number": 1})
    db.session.commit()
    url = f"/t/{topic.slug}/{topic.id}"

    mine = _reply_form(_sign_in(app, member).get(url).get_data(as_text=True))
    theirs = _reply_form(_sign_in(app, other_member).get(url).get_data(as_text=True))

    assert len(_kept_forms(app)) == 1
    assert "Мой набросок &lt;script&gt;alert(1)&lt;/script&gt; &amp; ещё</textarea>" in mine
    assert "<script>" not in mine
    assert re.search(r'name="reply_to_post_number" type="hidden" value="1"', mine)
    assert f'data-user-id="{member.id}"' in mine
    assert "Мой набросок" not in theirs
    assert re.search(r'name="reply_to_post_number" type="hidden" value=""', theirs)
    assert f'data-user-id="{other_member.id}"' in theirs
    assert "\x00" not in mine + theirs


def test_a_reply_sent_with_the_kept_forms_token_is_posted(app, member, other_member, topic):
    url = f"/t/{topic.slug}/{topic.id}"
    other, client = _sign_in(app, other_member), _sign_in(app, member)
    app.config["WTF_CSRF_ENABLED"] = True
    other.get(url)  # keeps the form, with a slot for each reader's token
    html = client.get(url).get_data(as_text=True)
    (token,) = re.findall(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"',
                          _reply_form(html))

    response = client.post(f"/t/{topic.id}/reply",
                           data={"csrf_token": token, "raw": "Ответ через общую форму."})

    assert response.status_code == 302
    assert db.session.query(Post).filter_by(topic_id=topic.id,
                                            raw="Ответ через общую форму.").count() == 1


def test_a_refused_reply_is_rendered_with_its_error_and_text_not_the_kept_form(
        app, login, member, topic):
    client = login(member)
    client.get(f"/t/{topic.slug}/{topic.id}")  # keeps the form

    too_long = "Очень длинный ответ. " * 2000
    response = client.post(f"/t/{topic.id}/reply", data={"raw": too_long})

    assert response.status_code == 422
    form = _reply_form(response.get_data(as_text=True))
    assert 'class="error"' in form and too_long.strip() in form


def test_a_head_request_gets_the_page_headers_for_guests_and_members(app, client, member, topic):
    url = f"/t/{topic.slug}/{topic.id}"

    assert client.head(url).status_code == 200
    assert _sign_in(app, member).head(url).status_code == 200
