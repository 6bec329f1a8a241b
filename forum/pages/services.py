"""Site page writes: seed the code of conduct, edit a page (a revision and a log entry each)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from forum import markup, permissions
from forum.errors import DomainError
from forum.extensions import db
from forum.models import SitePage, SitePageRevision, User, utcnow
from forum.moderation import audit

GUIDELINES_SLUG = "guidelines"
GUIDELINES_TITLE = "Кодекс сетевого поведения"  # shown as "Code of conduct" to English readers
MAX_TITLE = 255
MAX_RAW = 100_000

# The community's starting rules, in its language; admins rewrite them on /guidelines/edit.
DEFAULT_GUIDELINES = """\
Это сообщество учителей. Мы приходим сюда, чтобы делиться опытом, помогать друг другу и \
спорить по существу. Эти правила помогают модераторам сохранять разговор полезным.

## Уважайте собеседников

- Обращайтесь к коллегам вежливо, даже когда не согласны. Критикуйте идеи, а не людей.
- Никаких оскорблений, угроз, травли и высмеивания — ни участников, ни учеников, ни родителей.
- Помните, что вас читают коллеги, ученики и родители: пишите так, как сказали бы вслух.

## Берегите личные данные

- Не публикуйте фамилии, фотографии, оценки и контакты учеников и их семей.
- Не пересказывайте конфиденциальные разговоры и служебные документы без разрешения.

## Пишите по теме

- Выбирайте подходящий раздел и понятный заголовок; ищите, нет ли уже такой темы.
- Не уводите обсуждение в сторону; для нового вопроса откройте новую тему.
- Реклама, спам и многократные одинаковые сообщения запрещены.

## Уважайте чужой труд

- Указывайте автора и источник материалов, которые публикуете.
- Не выкладывайте платные пособия и чужие разработки без согласия авторов.

## Модерация

- Предметные модераторы могут закрыть, перенести, скрыть или удалить сообщения и темы, \
нарушающие эти правила. Ничего не удаляется бесследно: все действия модераторов записываются \
в журнал.
- Если вы видите нарушение, отправьте жалобу на сообщение — модераторы её рассмотрят.
- За повторные нарушения участнику могут временно запретить писать или входить на форум; \
причину и срок он увидит сам.
- Несогласие с решением модератора обсуждайте спокойно с координатором сети, а не в теме.
"""


def guidelines_page() -> SitePage | None:
    return db.session.scalar(select(SitePage).where(SitePage.slug == GUIDELINES_SLUG))


def ensure_guidelines() -> SitePage:
    """Create the code of conduct with its default text (revision 1) when it is missing."""
    page = guidelines_page()
    if page is not None:
        return page
    now = utcnow()
    page = SitePage(slug=GUIDELINES_SLUG, title=GUIDELINES_TITLE, raw=DEFAULT_GUIDELINES,
                    cooked=str(markup.cook(DEFAULT_GUIDELINES)), version=1, updated_at=now)
    page.revisions.append(SitePageRevision(number=1, title=page.title, raw=page.raw,
                                           created_at=now))
    db.session.add(page)
    db.session.flush()
    return page


def edit_page(page: SitePage, *, actor: User, title: str, raw: str,
              edit_reason: str = "") -> bool:
    """Save a new version (a revision and a staff log entry); False when nothing changed."""
    if not permissions.can_edit_site_pages(actor):
        raise DomainError(_("Only administrators edit this page."), status_code=403)
    title, raw = _validate(title, raw)
    if title == page.title and raw == page.raw:
        return False
    before = {"version": page.version, "title": page.title}
    page.version += 1
    page.title, page.raw, page.cooked = title, raw, str(markup.cook(raw))
    page.updated_at, page.updated_by_id = utcnow(), actor.id
    db.session.add(SitePageRevision(page=page, number=page.version, title=title, raw=raw,
                                    user_id=actor.id, username=actor.username,
                                    edit_reason=(edit_reason or "").strip()[:255],
                                    created_at=page.updated_at))
    audit.record(audit.PAGE_EDIT, actor=actor, target=page, reason=(edit_reason or "").strip(),
                 before=before, after={"version": page.version, "title": title})
    db.session.flush()
    return True


def _validate(title: str, raw: str) -> tuple[str, str]:
    title, raw = (title or "").strip(), (raw or "").replace("\r\n", "\n").strip()
    if not 1 <= len(title) <= MAX_TITLE:
        raise DomainError(_("The title must be 1 to %(n)d characters long.", n=MAX_TITLE),
                          field="title")
    if not raw:
        raise DomainError(_("The page cannot be empty."), field="raw")
    if len(raw) > MAX_RAW:
        raise DomainError(_("The page is too long: at most %(n)d characters.", n=MAX_RAW),
                          field="raw")
    return title, raw + "\n"
