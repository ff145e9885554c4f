"""Shapes of the moderation forms; the services have the final say."""

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import Form
from ..issues.models import FLAG_REASONS
from .models import MAX_APPEAL


class FlagForm(Form):
    reason = RadioField(_l("Why should the moderators look at this?"),
                        choices=lambda: list(FLAG_REASONS.items()),
                        validators=[DataRequired(_l("Please choose why you report this."))])
    note = StringField(_l("Details (optional)"), validators=[Optional(), Length(max=500)])
    next = HiddenField()


class DecisionForm(Form):
    """Hide or restore: the reason is recorded and sent to the author."""

    reason = TextAreaField(_l("Reason (recorded and sent to the author)"),
                           validators=[DataRequired(_l("Please give a reason.")),
                                       Length(max=1000)])


class BlockForm(Form):
    """Used with prefix="block", beside the decision form on the same page."""

    reason = TextAreaField(_l("Reason for blocking (recorded and sent to the person)"),
                           validators=[DataRequired(_l("Please give a reason.")),
                                       Length(max=1000)])


class AppealForm(Form):
    """The author's one short text asking the moderators to show their content again."""

    text = TextAreaField(_l("Why should it be shown again?"),
                         validators=[DataRequired(_l("Please tell the moderators why it should "
                                                     "be shown.")),
                                     Length(max=MAX_APPEAL)])
