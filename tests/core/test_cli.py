from sqlalchemy import func, select

from forum_app.accounts.models import LoginSession, User
from forum_app.core.models import Department
from forum_app.extensions import db


def test_create_user_reads_password_from_stdin(app):
    result = app.test_cli_runner().invoke(
        args=["create-user", "organiser@example.mn", "--role", "organiser"],
        input="blue-steppe-wind-9\n")
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "organiser@example.mn"))
    assert user.roles == {"citizen", "organiser"} and user.is_verified


def test_create_user_refuses_a_weak_password(app):
    result = app.test_cli_runner().invoke(args=["create-user", "x@example.mn"], input="123\n")
    assert result.exit_code != 0
    assert db.session.scalar(select(func.count(User.id))) == 0


def test_seed_demo_is_idempotent_and_has_every_role(app):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    counts = (db.session.scalar(select(func.count(User.id))),
              db.session.scalar(select(func.count(Department.id))))
    assert runner.invoke(args=["seed-demo"]).exit_code == 0
    assert counts == (db.session.scalar(select(func.count(User.id))),
                      db.session.scalar(select(func.count(Department.id))))
    roles = set().union(*(u.roles for u in db.session.scalars(select(User))))
    assert roles == {"citizen", "organiser", "moderator", "official", "admin"}


def test_purge_expired_keeps_active_sessions(app):
    result = app.test_cli_runner().invoke(args=["purge-expired"])
    assert result.exit_code == 0
    assert db.session.scalar(select(func.count(LoginSession.id))) == 0
