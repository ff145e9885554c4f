"""The notification preferences form."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, RadioField
from wtforms.validators import InputRequired

from ..core.forms import Form
from .inbox import EMAIL_CHOICES


class PreferencesForm(Form):
    email = RadioField(_l("E-mail about issues I submitted or follow"),
                       choices=list(EMAIL_CHOICES.items()),
                       validators=[InputRequired(_l("Please choose how often to receive e-mail."))])
    in_app = BooleanField(_l("Show updates on my notifications page in the app"))


class MarkReadForm(Form):
    pass
