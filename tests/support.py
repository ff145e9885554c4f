"""Helpers every test package shares."""

import html

from flask_babel import force_locale, gettext


def mn(message: str, **values) -> str:
    """`message` as a Mongolian reader sees it (the catalogue's text, or the msgid while the
    catalogue lacks it), so the assertions hold before and after the translation is merged."""
    with force_locale("mn"):
        return gettext(message, **values)


def text_of(response) -> str:
    """A response's page with the HTML entities read back into text."""
    return html.unescape(response.get_data(as_text=True))
