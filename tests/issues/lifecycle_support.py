"""Issues made by inserting rows, for the lifecycle and notification tests (they exercise the
status moves and answers, not submission)."""

import itertools
from datetime import timedelta

from sqlalchemy import select

from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.issues.models import Category, Follow, Issue
from tests import factories

_numbers = itertools.count(1)


def category(slug="waste") -> Category:
    found = db.session.scalar(select(Category).where(Category.slug == slug))
    if found is None:
        found = Category(slug=slug, name_mn="Хог хаягдал, байгаль орчин",
                         name_en="Waste and environment")
        db.session.add(found)
        db.session.commit()
    return found


def issue(author=None, *, status="submitted", age_days=0, **values) -> Issue:
    n = next(_numbers)
    created = utcnow() - timedelta(days=age_days)
    row = Issue(title=values.pop("title", f"Хогийн цэг дүүрсэн {n}"),
                description=values.pop("description", "Хороололд хог ачигдахгүй байна."),
                category_id=category().id, status=status,
                author_id=author.id if author else None, created_at=created, updated_at=created,
                **values)
    db.session.add(row)
    db.session.commit()
    return row


def follow(user, issue_row) -> None:
    db.session.add(Follow(issue_id=issue_row.id, user_id=user.id))
    db.session.commit()


def organiser(**values):
    return factories.user(roles=["organiser"], name=values.pop("name", "Сарангэрэл Зохион"),
                          **values)


def official(department_slug="environment", **values):
    return factories.user(roles=["official"], department_slug=department_slug,
                          name=values.pop("name", "Оюунчимэг Алба"), **values)
