"""Queue e-mail in the caller's transaction; deliver it later, each message exactly once."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from email import policy as email_policy
from email.header import Header

from flask import current_app, g, render_template
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import and_, insert, or_, select, update

from ..database import begin_write
from ..extensions import db, mail
from ..i18n import utcnow
from .attachments import build_attachments
from .models import OutboxMessage

log = logging.getLogger(__name__)
CLAIM_SECONDS = 120


def queue_email(recipient: str, language: str, template: str, *,
                attachments: list[dict] | None = None, context: str | None = None,
                **payload) -> OutboxMessage:
    """Add the message `templates/email/<template>.{txt,html}` in the recipient's language to
    the session; the caller commits it together with the change that caused it.
    `attachments` are specs for notifications.attachments, built when the message is sent.

    Without `context` it is rendered now from `payload`. With `context` (a kind registered
    with @mail_context) nothing is rendered now: the row keeps the template and `payload`
    (plain JSON values) and is rendered when it is sent or shown (message_texts), so a write
    transaction that queues mail does not hold its lock while templates render."""
    message = OutboxMessage(**_message_values(recipient, language, template, attachments,
                                              context, payload))
    db.session.add(message)
    g.outbox_dirty = True
    return message


INSERT_MESSAGE = insert(OutboxMessage.__table__)


def insert_email(recipient: str, language: str, template: str, *,
                 attachments: list[dict] | None = None, context: str | None = None,
                 **payload) -> None:
    """queue_email's message written at once by one INSERT, with no ORM object to flush: for
    a hot write path whose own rows are plain statements too (a guest's registration). Still
    in the caller's transaction, committed with it."""
    db.session.connection().execute(INSERT_MESSAGE, _message_values(
        recipient, language, template, attachments, context, payload))
    g.outbox_dirty = True


def _message_values(recipient: str, language: str, template: str,
                    attachments: list[dict] | None, context: str | None,
                    payload: dict) -> dict:
    """The outbox row's columns (the others take their defaults)."""
    values = {"recipient": recipient, "language": language, "template": template,
              "attachments": attachments or []}
    if context is None:
        texts = _render(template, language, payload)
        return values | {"payload": {k: v for k, v in payload.items()
                                     if isinstance(v, str | int | float | bool)},
                         "subject": texts.subject, "body_text": texts.body_text,
                         "body_html": texts.body_html}
    return values | {"payload": {**payload, CONTEXT_KEY: context},
                     "subject": "", "body_text": ""}  # filled when sent


CONTEXT_KEY = "render_context"
_contexts: dict[str, Callable[[dict], dict]] = {}


def mail_context(kind: str):
    """Registers builder(payload) -> the templates' values, for messages queued with
    context=kind: it loads what the payload names (an event by id, ...)."""

    def decorator(builder: Callable[[dict], dict]):
        _contexts[kind] = builder
        return builder

    return decorator


@dataclass(frozen=True)
class MailTexts:
    subject: str
    body_text: str
    body_html: str | None


def _render(template: str, language: str, values: dict) -> MailTexts:
    with force_locale(language):
        return MailTexts(
            subject=render_template(f"email/{template}.subject.txt", **values).strip(),
            body_text=render_template(f"email/{template}.txt", **values),
            body_html=render_template(f"email/{template}.html", **values))


def message_texts(message: OutboxMessage) -> MailTexts:
    """The message's subject and bodies as they are (or will be) sent: a message queued with
    a context is rendered now, from its payload; nothing is written."""
    kind = (message.payload or {}).get(CONTEXT_KEY)
    if kind is None or message.subject:
        return MailTexts(message.subject, message.body_text, message.body_html)
    with db.session.no_autoflush:
        return _render(message.template, message.language, _contexts[kind](message.payload))


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _claim(message_id: int, now) -> bool:
    """Atomically take one message, so two senders never deliver it twice."""
    begin_write()
    result = db.session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
    )
    db.session.commit()
    return result.rowcount == 1


class _Message(Message):
    """Flask-Mail's message, but a long Cyrillic subject keeps its spaces: the SMTP policy
    folds between two encoded words and drops the space there (CPython's folder), so the
    subject is folded by the compat32 Header instead, which splits inside encoded words."""

    def _message(self):
        msg = super()._message()
        msg.policy = email_policy.compat32.clone(linesep="\r\n")
        if self.subject:
            del msg["Subject"]
            msg["Subject"] = Header(self.subject, "utf-8")
        return msg


def _mail_message(message: OutboxMessage, texts: MailTexts) -> Message:
    mail_message = _Message(subject=texts.subject, recipients=[message.recipient],
                           body=texts.body_text, html=texts.body_html)
    for attachment in build_attachments(message.attachments):
        inline = attachment.content_id is not None
        mail_message.attach(
            attachment.filename, attachment.content_type, attachment.data,
            disposition="inline" if inline else "attachment",
            headers={"Content-ID": f"<{attachment.content_id}>"} if inline else None)
    return mail_message


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), 6 * 3600))


def deliver_pending(limit: int = 100) -> dict[str, int]:
    """Send what is due. Returns counts; never raises for an SMTP failure."""
    counts = {"sent": 0, "failed": 0}
    if not mail_configured():
        return counts
    now = utcnow()
    max_attempts = current_app.config["MAIL_MAX_ATTEMPTS"]
    due_ids = db.session.scalars(
        select(OutboxMessage.id)
        .where(
            and_(
                OutboxMessage.sent_at.is_(None),
                OutboxMessage.next_attempt_at <= now,
                OutboxMessage.attempts < max_attempts,
            )
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    for message_id in due_ids:
        if not _claim(message_id, now):
            continue
        message = db.session.get(OutboxMessage, message_id)
        failure = None
        try:
            texts = message_texts(message)
            mail.send(_mail_message(message, texts))
        except Exception as error:  # noqa: BLE001 - any SMTP or socket failure is retried
            failure = error
            log.warning("mail %s to %s failed: %s", message.id, message.recipient, error)
        begin_write()  # the outcome, in a short write transaction of its own
        message = db.session.get(OutboxMessage, message_id)
        message.attempts += 1
        if failure is not None:
            message.last_error = f"{type(failure).__name__}: {failure}"[:1000]
            message.next_attempt_at = utcnow() + _backoff(message.attempts)
            message.claimed_until = None
            counts["failed"] += 1
        else:
            # The outbox keeps each mail as it was sent.
            message.subject, message.body_text = texts.subject, texts.body_text
            message.body_html = texts.body_html
            message.sent_at = utcnow()
            message.last_error = None
            counts["sent"] += 1
        db.session.commit()
    return counts


def deliver_after_request(response):
    """With MAIL_DELIVERY=inline, send what this request queued before answering."""
    if (
        g.pop("outbox_dirty", False)
        and current_app.config["MAIL_DELIVERY"] == "inline"
        and mail_configured()
        and response.status_code < 500
    ):
        try:
            deliver_pending(limit=20)
        except Exception:  # noqa: BLE001 - the outbox keeps it; the sender retries
            db.session.rollback()
            log.exception("inline mail delivery failed")
    return response


def deliver_after_answer(response):
    """Send what this request queued only once its answer has gone out (MAIL_DELIVERY=inline),
    so how long the answer took says nothing about whether mail was sent: for pages that must
    not disclose whether an address is known (a lost ticket). The worker sends it otherwise."""
    g.pop("outbox_dirty", None)  # not before the answer (deliver_after_request)
    if current_app.config["MAIL_DELIVERY"] != "inline" or not mail_configured():
        return response
    app = current_app._get_current_object()

    def deliver():
        with app.app_context():
            try:
                deliver_pending(limit=20)
            except Exception:  # noqa: BLE001 - the outbox keeps it; the sender retries
                db.session.rollback()
                log.exception("mail delivery after the answer failed")

    response.call_on_close(deliver)
    return response
