"""Admin forms: roles, blocking."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..accounts.models import Role
from ..core.forms import CheckboxList, Form, OptionalIdSelect, department_choices


class UserRolesForm(Form):
    roles = CheckboxList(_l("Roles"), choices=lambda: [
        (r.value, r.label) for r in Role if r is not Role.CITIZEN])
    department_id = OptionalIdSelect(_l("Department"), choices=department_choices)
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=500)])


class BlockUserForm(Form):
    block = BooleanField()
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class UserSearchForm(Form):
    class Meta:
        csrf = False

    q = StringField(_l("Search by name or e-mail"), validators=[Optional(), Length(max=100)])
    role = StringField(validators=[Optional(), Length(max=20)])


class ExportLogFilterForm(Form):
    """Filters of the export log: who downloaded, and which event's list."""

    class Meta:
        csrf = False

    person = OptionalIdSelect(_l("Downloaded by"), choices=[])
    event = OptionalIdSelect(_l("Event"), choices=[])
