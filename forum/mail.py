"""Outgoing mail. The "log" backend prints messages to the application log (development)."""

from __future__ import annotations

import logging
from email.message import EmailMessage

from flask import current_app

log = logging.getLogger("forum.mail")
# Messages "sent" in this process, newest last; tests read it.
outbox: list[EmailMessage] = []


def send_mail(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    if current_app.config["MAIL_BACKEND"] == "log":
        log.info("Mail to %s: %s\n%s", to, subject, body)
    outbox.append(message)
    del outbox[:-100]
    return message
