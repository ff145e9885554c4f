"""WTForms' own messages ("This field is required.", "Not a valid integer value.") in the
reader's language. WTForms ships no Mongolian catalogue, so forms take these texts from ours:
every form derives from core.forms.Form, whose Meta hands WTForms this translator."""

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ..i18n import page_translations


class CatalogueTranslations:
    """What WTForms asks of a translator; it formats the result itself, so no variables here."""

    def gettext(self, string: str) -> str:
        return page_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return page_translations().ungettext(singular, plural, n)


TRANSLATIONS = CatalogueTranslations()

# The messages of the WTForms validators and fields this app uses, so that extraction puts
# them in our catalogues. Listed, never shown from here.
MESSAGES = (
    _l("This field is required."), _l("Invalid input."), _l("Invalid email address."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."), _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid Choice: could not coerce."), _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("Not a valid datetime value."), _l("Not a valid date value."),
    _l("Not a valid time value."), _l("Not a valid integer value."),
    _l("Not a valid decimal value."), _l("Not a valid float value."),
    _l("Field must be equal to %(other_name)s."),
)


def _plural_messages():  # pragma: no cover - read by extraction only
    return (
        ngettext("Field must be at least %(min)d character long.",
                "Field must be at least %(min)d characters long.", 1),
        ngettext("Field cannot be longer than %(max)d character.",
                "Field cannot be longer than %(max)d characters.", 1),
        ngettext("Field must be exactly %(max)d character long.",
                "Field must be exactly %(max)d characters long.", 1),
        ngettext("'%(value)s' is not a valid choice for this field.",
                "'%(value)s' are not valid choices for this field.", 1),
    )
