"""Templates translate through i18n.page_translations (the catalogue kept for the request):
the words are those of the reader's language, and a mail written in another language in the
middle of a request (force_locale) gets its own, then the page goes on in the reader's."""

from contextlib import contextmanager

from flask import render_template_string
from flask_babel import force_locale, refresh

from forum_app.i18n import page_translations

from .. import factories

WORDS = ("{{ _('Sign in') }}|{{ ngettext('%(num)d person supports this issue', "
         "'%(num)d people support this issue', 2) }}")
MONGOLIAN = "Нэвтрэх|Энэ асуудлыг 2 хүн дэмжиж байна"
ENGLISH = "Sign in|2 people support this issue"


@contextmanager
def _request(app, language: str):
    """A request of its own (a fresh flask.g, as every real request has)."""
    with app.app_context(), app.test_request_context(
            "/", headers={"Cookie": f"lang={language}"}) as context:
        yield context


def test_the_readers_language_then_a_forced_one_then_the_readers_again(app):
    with _request(app, "mn"):
        assert render_template_string(WORDS) == MONGOLIAN
        with force_locale("en"):
            assert render_template_string(WORDS) == ENGLISH
        assert render_template_string(WORDS) == MONGOLIAN
    with _request(app, "en"):
        assert render_template_string(WORDS) == ENGLISH
        with force_locale("mn"):
            assert render_template_string(WORDS) == MONGOLIAN
        assert render_template_string(WORDS) == ENGLISH


def test_a_language_chosen_during_the_request_is_used_after_refresh(app):
    with _request(app, "mn") as context:
        assert render_template_string(WORDS) == MONGOLIAN
        context.request.cookies = {"lang": "en"}
        refresh()
        assert render_template_string(WORDS) == ENGLISH


def test_without_a_request_the_default_language(app):
    assert render_template_string(WORDS) == MONGOLIAN
    assert page_translations().ugettext("Sign in") == "Нэвтрэх"


def test_a_signed_in_persons_page_is_in_their_language(app, client):
    factories.user("reader@example.mn", language="en")
    client.post("/account/login", data={"email": "reader@example.mn",
                                         "password": factories.PASSWORD})
    page = client.get("/account/registrations", headers={"Cookie": "lang=mn"})
    assert "My registrations" in page.get_data(as_text=True)
    assert "Миний бүртгэлүүд" not in page.get_data(as_text=True)


def test_a_value_in_a_translated_text_is_escaped_on_a_page_and_kept_in_plain_text(app):
    said = "{{ _('%(name)s already runs this event.', name=who) }}"
    trans = "{% trans name=who %}{{ name }} already runs this event.{% endtrans %}"
    runs = " энэ арга хэмжээг аль хэдийн зохион байгуулж байна."
    with _request(app, "mn"):
        for template in (said, trans):
            assert render_template_string(template, who="<b>Бат</b>") == (
                "&lt;b&gt;Бат&lt;/b&gt;" + runs)
            assert render_template_string(
                "{% autoescape false %}" + template + "{% endautoescape %}",
                who="<b>Бат</b>") == "<b>Бат</b>" + runs
