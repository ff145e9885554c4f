"""Test data for exhibitions: an exhibition event inserted directly, and application values."""

from datetime import timedelta

from forum_app.events.models import Event, EventStaff
from forum_app.extensions import db
from forum_app.i18n import utcnow


def make_exhibition(slug="made-in-darkhan", *, organiser=None, days_ahead=30, **values) -> Event:
    """A published "Made in Darkhan" exhibition; `organiser` is added to its staff."""
    now = utcnow()
    fields = dict(slug=slug, kind="exhibition", state="published",
                  title_mn="Дарханд үйлдвэрлэв", title_en="Made in Darkhan",
                  venue_name_mn="Дархан-Уул аймгийн Соёлын төв",
                  venue_name_en="Darkhan-Uul Culture Centre",
                  starts_at=now + timedelta(days=days_ahead),
                  ends_at=now + timedelta(days=days_ahead + 1)) | values
    event = Event(**fields)
    if organiser is not None:
        event.staff.append(EventStaff(user_id=organiser.id))
    db.session.add(event)
    db.session.commit()
    return event


def application(**overrides) -> dict:
    values = {
        "company_name": "Эко Ноос ХХК", "sector": "light-industry",
        "products_mn": "Угаасан ноос, эсгий, ноосон утас",
        "products_en": "Washed wool, felt and yarn", "website": "",
        "contact_name": "Мөнхзаяа Цэрэн", "contact_email": "munkhzaya@example.mn",
        "contact_phone": "99112233", "booth_needs": "Нэг ширээ, цахилгаан", "language": "mn",
    }
    return values | overrides
