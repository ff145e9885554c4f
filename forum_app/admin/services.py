"""Managing the reference tables."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..audit.services import record_event
from ..core.models import Department, District
from ..core.text import clean_text
from ..errors import DomainError
from ..extensions import db
from ..issues.models import Category

TEXT_LIMITS = {"slug": 60, "email": 254}  # names: 200, as the forms say
REFERENCE_FIELDS = {Department: ("slug", "name_mn", "name_en", "email"),
                    District: ("slug", "name_mn", "name_en"),
                    Category: ("slug", "name_mn", "name_en", "position", "active")}


def _clean(key: str, value):
    if isinstance(value, str):
        return clean_text(value, key, TEXT_LIMITS.get(key, 200))
    return value


def save_reference(actor, model: type, values: dict, obj=None):
    """Create (obj is None) or update a Department, District or Category; slugs stay unique."""
    fields = REFERENCE_FIELDS[model]
    values = {k: _clean(k, values.get(k)) for k in fields}
    if "position" in values:
        values["position"] = values["position"] or 0
    if "active" in values:
        values["active"] = values["active"] is not False
    if not values["slug"] or not values["name_mn"] or not values["name_en"]:
        raise DomainError(_l("Please fill in the code and both names."), "required")
    values["slug"] = values["slug"].lower()
    clash = db.session.scalar(select(model).where(model.slug == values["slug"]))
    if clash is not None and clash is not obj:
        raise DomainError(_l("This short code is already used."), "slug_taken", "slug")
    before = {k: getattr(obj, k) for k in fields} if obj else None
    if obj is None:
        obj = model()
        db.session.add(obj)
    for key, value in values.items():
        setattr(obj, key, value)
    db.session.flush()
    record_event(actor, obj, "reference.saved", before=before, after=values)
    db.session.commit()
    return obj
