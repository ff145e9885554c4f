"""Demo accounts for `flask seed-demo`. Idempotent: matched by e-mail."""

from datetime import datetime

from sqlalchemy import select

from ..core.models import Department, District
from ..core.reference import PRIVACY_NOTICE_VERSION
from ..extensions import db
from ..i18n import recorded_at
from .models import Role
from .services import find_user_by_email, register_user

DEMO_PASSWORD = "forum-demo-2026"  # noqa: S105  # nosec B105  # demo only; seed-demo refuses production

# The demo's people joined before the programme's first forum (February 2023), so everything
# they did in the demo's history happened after their account existed.
DEMO_ACCOUNTS_SINCE = datetime(2022, 12, 1, 2)  # naive UTC: 1 December 2022, 10:00 in Darkhan

DEMO_USERS = [
    ("admin@demo.forum.mn", "Батболд Админ", (Role.ADMIN,), "government", None),
    ("organiser@demo.forum.mn", "Сарангэрэл Зохион байгуулагч", (Role.ORGANISER,), "ngo", None),
    ("moderator@demo.forum.mn", "Ганбат Модератор", (Role.MODERATOR,), "citizen", None),
    ("official@demo.forum.mn", "Оюунчимэг Албан тушаалтан", (Role.OFFICIAL,), "government",
     "environment"),
    ("citizen@demo.forum.mn", "Тэмүүлэн Иргэн", (), "citizen", None),
]


def seed_users() -> list[str]:
    created = []
    district = db.session.scalar(select(District).where(District.slug == "darkhan-new"))
    for email, name, roles, kind, department_slug in DEMO_USERS:
        if find_user_by_email(email):
            continue
        with recorded_at(DEMO_ACCOUNTS_SINCE):
            user = register_user(email=email, password=DEMO_PASSWORD, name=name, roles=roles,
                                 stakeholder_kind=kind, district_id=district.id,
                                 verified=True, consent_version=PRIVACY_NOTICE_VERSION,
                                 organisation="Darkhan City Forum" if kind != "citizen"
                                 else None)
        if department_slug:
            user.department = db.session.scalar(
                select(Department).where(Department.slug == department_slug))
            db.session.commit()
        created.append(email)
    return created
