from sqlalchemy import select

from forum_app.extensions import db
from forum_app.notifications.models import OutboxMessage
from forum_app.notifications.services import deliver_pending, queue_email
from tests.conftest import free_port


def _queue(address="saraa@example.mn", language="mn"):
    message = queue_email(address, language, "accounts/verify_email", name="Сараа",
                          link="http://localhost/account/verify/x")
    db.session.commit()
    return message


def test_each_message_is_delivered_exactly_once(app, mail_inbox):
    _queue()
    assert deliver_pending() == {"sent": 1, "failed": 0}
    assert deliver_pending() == {"sent": 0, "failed": 0}
    [message] = mail_inbox.to("saraa@example.mn")
    assert "Сараа" in message.get_body(("plain",)).get_content()
    assert message.get_body(("html",)) is not None


def test_smtp_failure_keeps_the_message_and_backs_off(app, mail_inbox):
    app.config["MAIL_PORT"] = free_port()
    app.extensions["mail"].port = app.config["MAIL_PORT"]
    message = _queue()
    assert deliver_pending() == {"sent": 0, "failed": 1}
    db.session.refresh(message)
    assert message.sent_at is None and message.attempts == 1 and message.last_error
    assert message.next_attempt_at > message.created_at
    assert deliver_pending() == {"sent": 0, "failed": 0}  # not due yet
    assert mail_inbox.messages == []


def test_without_smtp_messages_stay_in_the_outbox_for_admins(app_factory):
    app = app_factory(MAIL_SERVER="")
    with app.app_context():
        _queue()
        assert deliver_pending() == {"sent": 0, "failed": 0}
        assert db.session.scalar(select(OutboxMessage)).state == "queued"


def test_message_is_rendered_in_the_recipients_language(app):
    english = _queue("en@example.mn", "en")
    mongolian = _queue("mn@example.mn", "mn")
    assert english.subject == "Confirm your e-mail address"
    assert mongolian.subject != english.subject


def test_a_long_cyrillic_subject_arrives_with_its_spaces(app, mail_inbox):
    subject = "Танд суудал гарлаа: Тэг хаягдалтай Дархан — Ногоон Дархан 2032 ойн форум"
    message = _queue()
    message.subject = subject
    db.session.commit()
    deliver_pending()
    [received] = mail_inbox.to("saraa@example.mn")
    assert received["Subject"] == subject
