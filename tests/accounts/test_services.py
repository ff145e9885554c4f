import pytest
from sqlalchemy import select

from forum_app.accounts import services, tokens
from forum_app.accounts.models import LoginSession, Role, User
from forum_app.audit.models import AuditEvent
from forum_app.errors import DomainError
from forum_app.extensions import db
from forum_app.notifications.models import OutboxMessage
from tests import factories


def test_register_hashes_password_and_queues_verification_in_the_same_commit(app):
    user = services.register_user(email="  Saraa@Example.MN ", password="ulaan-tsetseg-91",
                                  name="Сараа", language="en")
    assert user.email == "saraa@example.mn"
    assert user.password_hash.startswith("$argon2")
    assert "ulaan-tsetseg-91" not in user.password_hash
    assert not user.is_verified
    queued = db.session.scalars(select(OutboxMessage)).all()
    assert [m.recipient for m in queued] == ["saraa@example.mn"]
    assert queued[0].language == "en" and "/account/verify/" in queued[0].body_text


@pytest.mark.parametrize("password, code", [
    ("short7!", "password_too_short"),
    ("password123", "password_common"),
    ("12345678901", "password_common"),
    ("bat-erdene-1990", "password_personal"),
])
def test_weak_passwords_are_refused_and_nothing_is_stored(app, password, code):
    with pytest.raises(DomainError) as error:
        services.register_user(email="bat-erdene@example.mn", password=password, name="Бат")
    assert error.value.code == code
    assert db.session.scalar(select(User)) is None
    assert db.session.scalar(select(OutboxMessage)) is None


def test_same_email_cannot_register_twice_in_any_case(app):
    factories.user("dorj@example.mn")
    with pytest.raises(DomainError) as error:
        factories.user("DORJ@example.mn")
    assert error.value.code == "email_taken"


def test_unknown_district_or_stakeholder_is_refused(app):
    with pytest.raises(DomainError):
        factories.user(district_id=99999)
    with pytest.raises(DomainError):
        factories.user(stakeholder_kind="alien")


def test_authenticate_gives_one_message_for_unknown_email_and_wrong_password(app):
    factories.user("tuya@example.mn")
    with pytest.raises(DomainError) as unknown:
        services.authenticate("nobody@example.mn", factories.PASSWORD)
    with pytest.raises(DomainError) as wrong:
        services.authenticate("tuya@example.mn", "wrong-password-1")
    assert str(unknown.value.message) == str(wrong.value.message)
    assert services.authenticate("TUYA@example.mn", factories.PASSWORD).email == "tuya@example.mn"


def test_blocked_user_cannot_authenticate(app):
    admin = factories.user(roles=[Role.ADMIN])
    user = factories.user("blocked@example.mn")
    services.set_blocked(admin, user, True, "spam")
    with pytest.raises(DomainError) as error:
        services.authenticate("blocked@example.mn", factories.PASSWORD)
    assert error.value.code == "blocked"


def test_verification_token_confirms_once_and_rejects_tampering(app):
    user = factories.user(verified=False)
    token = tokens.make_token(tokens.VERIFY_SALT, {"uid": user.id, "email": user.email})
    assert services.verify_email(token).is_verified
    assert services.verify_email(token).is_verified  # following it again is harmless
    with pytest.raises(DomainError):
        services.verify_email(token[:-2] + "xx")


def test_reset_token_is_single_use_and_ends_every_session(app):
    user = factories.user("reset@example.mn")
    services.start_login_session(user)
    services.request_password_reset("reset@example.mn")
    link = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id.desc())).first()
    token = link.body_text.split("/account/password/reset/")[1].split()[0]
    services.reset_password(token, "new-steppe-wind-42")
    assert services.authenticate("reset@example.mn", "new-steppe-wind-42")
    with pytest.raises(DomainError) as error:
        services.reset_password(token, "another-steppe-wind-43")
    assert error.value.code == "token_invalid"
    assert db.session.scalar(select(LoginSession).where(LoginSession.revoked_at.is_(None))) is None


def test_reset_request_for_unknown_email_queues_nothing(app):
    services.request_password_reset("ghost@example.mn")
    assert db.session.scalar(select(OutboxMessage)) is None


def test_official_needs_a_department_and_role_changes_are_audited(app):
    admin = factories.user(roles=[Role.ADMIN])
    user = factories.user()
    with pytest.raises(DomainError) as error:
        services.set_roles(admin, user, {"official"}, None)
    assert error.value.code == "department_required"
    services.set_roles(admin, user, {"official", "organiser"}, factories.department().id,
                       reason="joined the secretariat")
    assert user.roles == {"citizen", "official", "organiser"}
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "user.roles_changed")).one()
    assert event.actor_id == admin.id and event.reason == "joined the secretariat"
    assert event.before["roles"] == ["citizen"]
    assert event.after["roles"] == ["citizen", "official", "organiser"]


def test_admin_cannot_remove_own_admin_role(app):
    admin = factories.user(roles=[Role.ADMIN])
    with pytest.raises(DomainError):
        services.set_roles(admin, admin, set(), None)
    assert admin.has_role("admin")


def test_audit_events_cannot_be_changed(app):
    factories.user()
    event = db.session.scalars(select(AuditEvent)).first()
    event.reason = "rewritten"
    with pytest.raises(RuntimeError):
        db.session.commit()
    db.session.rollback()
