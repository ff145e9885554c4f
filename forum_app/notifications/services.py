"""Queue e-mail in the caller's transaction; deliver it later, each message exactly once."""

import logging
from datetime import timedelta
from email import policy as email_policy
from email.header import Header

from flask import current_app, g, render_template
from flask_babel import force_locale
from flask_mail import Message
from sqlalchemy import and_, or_, select, update

from ..extensions import db, mail
from ..i18n import utcnow
from .attachments import build_attachments
from .models import OutboxMessage

log = logging.getLogger(__name__)
CLAIM_SECONDS = 120


def queue_email(recipient: str, language: str, template: str, *,
                attachments: list[dict] | None = None, **payload) -> OutboxMessage:
    """Render `templates/email/<template>.{txt,html}` in the recipient's language and add the
    message to the session. The caller commits it together with the change that caused it.
    `attachments` are specs for notifications.attachments, built when the message is sent."""
    with force_locale(language):
        subject = render_template(f"email/{template}.subject.txt", **payload).strip()
        body_text = render_template(f"email/{template}.txt", **payload)
        body_html = render_template(f"email/{template}.html", **payload)
    message = OutboxMessage(
        recipient=recipient,
        language=language,
        template=template,
        payload={k: v for k, v in payload.items() if isinstance(v, str | int | float | bool)},
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        attachments=attachments or [],
    )
    db.session.add(message)
    g.outbox_dirty = True
    return message


def mail_configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def _claim(message_id: int, now) -> bool:
    """Atomically take one message, so two senders never deliver it twice."""
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


def _mail_message(message: OutboxMessage) -> Message:
    mail_message = _Message(subject=message.subject, recipients=[message.recipient],
                           body=message.body_text, html=message.body_html)
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
        try:
            mail.send(_mail_message(message))
        except Exception as error:  # noqa: BLE001 - any SMTP or socket failure is retried
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:1000]
            message.next_attempt_at = utcnow() + _backoff(message.attempts)
            message.claimed_until = None
            counts["failed"] += 1
            log.warning("mail %s to %s failed: %s", message.id, message.recipient, error)
        else:
            message.attempts += 1
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
