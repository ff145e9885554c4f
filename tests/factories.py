"""Builders for test data, through the services so the rules hold."""

import itertools

from sqlalchemy import select

from forum_app.accounts.services import register_user
from forum_app.core.demo import seed_reference as _seed_reference
from forum_app.core.models import Department, District
from forum_app.extensions import db

PASSWORD = "darkhan-forum-test-77"  # noqa: S105
_counter = itertools.count(1)


def seed_reference():
    _seed_reference()


def district(slug="darkhan-new") -> District:
    return db.session.scalar(select(District).where(District.slug == slug))


def department(slug="environment") -> Department:
    return db.session.scalar(select(Department).where(Department.slug == slug))


def user(email=None, *, roles=(), verified=True, name=None, language="mn", password=PASSWORD,
         department_slug=None, **values):
    n = next(_counter)
    created = register_user(email=email or f"person{n}@example.mn", password=password,
                            name=name or f"Тест Хэрэглэгч {n}", roles=tuple(roles),
                            verified=verified, language=language, **values)
    if department_slug:
        created.department = department(department_slug)
        db.session.commit()
    return created
