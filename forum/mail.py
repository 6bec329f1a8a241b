"""Outgoing mail. The "log" backend prints messages to the application log (development);
"smtp" hands them to the configured SMTP server."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("forum.mail")
# Messages "sent" in this process, newest last; tests read it.
outbox: list[EmailMessage] = []


def send_mail(to: str, subject: str, body: str, *, html: str | None = None,
              headers: dict[str, str] | None = None) -> EmailMessage:
    """Send a plain-text message (with an HTML alternative when given); raises on SMTP errors
    so a caller's job can be retried."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    backend = current_app.config["MAIL_BACKEND"]
    if backend == "log":
        log.info("Mail to %s: %s\n%s", to, subject, body)
    elif backend == "smtp":
        _send_smtp(message)
    outbox.append(message)
    del outbox[:-100]
    return message


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=30) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)
