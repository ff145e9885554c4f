"""Builders for test data, through the services so the rules hold."""

import itertools

from sqlalchemy import select

from forum_app.accounts.services import register_user
from forum_app.core.demo import seed_reference as _seed_reference
from forum_app.core.models import Department, District
from forum_app.core.reference import PRIVACY_NOTICE_VERSION
from forum_app.extensions import db

PASSWORD = "darkhan-forum-test-77"  # noqa: S105
_counter = itertools.count(1)


def seed_reference():
    _seed_reference()
    from forum_app.issues.demo import seed_categories

    seed_categories()


def district(slug="darkhan-new") -> District:
    return db.session.scalar(select(District).where(District.slug == slug))


def department(slug="environment") -> Department:
    return db.session.scalar(select(Department).where(Department.slug == slug))


def user(email=None, *, roles=(), verified=True, name=None, language="mn", password=PASSWORD,
         department_slug=None, **values):
    n = next(_counter)
    values.setdefault("consent_version", PRIVACY_NOTICE_VERSION)  # accepted at sign-up
    created = register_user(email=email or f"person{n}@example.mn", password=password,
                            name=name or f"Тест Хэрэглэгч {n}", roles=tuple(roles),
                            verified=verified, language=language, **values)
    if department_slug:
        created.department = department(department_slug)
        db.session.commit()
    return created


# --- events (appended by the events part) ----------------------------------------------------

def event(organiser=None, *, publish=True, tags=(), days_ahead=14, hours=3, **values):
    """A published event (a draft with publish=False) made through the event services.
    Times default to `days_ahead` days from now; pass starts_at/ends_at (UTC) to override."""
    from datetime import timedelta

    from forum_app.events.services import create_event, publish_event
    from forum_app.i18n import utcnow

    organiser = organiser or user(roles=["organiser"])
    n = next(_counter)
    starts_at = values.pop("starts_at", None) or (utcnow() + timedelta(days=days_ahead)).replace(
        second=0, microsecond=0)
    defaults = dict(kind="city_forum", title_mn=f"Дархан хотын форум {n}",
                    title_en=f"Darkhan City Forum {n}", venue_name_mn="Дархан-Уул аймгийн ЗДТГ",
                    venue_name_en="Darkhan-Uul Governor's Office", capacity=100,
                    starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours),
                    tags=list(tags))
    created = create_event(organiser, defaults | values)
    if publish:
        publish_event(organiser, created)
    return created


# --- issues (appended by the issues-public part) ---------------------------------------------

def category(slug="waste-environment"):
    from forum_app.issues.models import Category

    return db.session.scalar(select(Category).where(Category.slug == slug))


def issue(author=None, *, title="Хогийн савыг ачихгүй байна", photos=(), **values):
    """A submitted issue made through submit_issue (author: a new citizen by default)."""
    from forum_app.issues.services import submit_issue

    author = author or user()
    defaults = dict(title=title, description="Манай хорооллын хогийн савыг долоо хоног ачаагүй.",
                    category_id=category(values.pop("category_slug", "waste-environment")).id,
                    district_id=None, sdgs=[11], anonymous=False, language="mn")
    return submit_issue(author, defaults | values, list(photos))
