"""WTForms' own messages speak the reader's language: WTForms has no Mongolian catalogue, so
every form of the app takes them from ours (core.forms.Form)."""

import importlib
import pkgutil

from flask_wtf import FlaskForm

import forum_app
from forum_app.core.forms import Form
from tests import factories
from tests.support import mn


def _app_forms():
    for module in pkgutil.walk_packages(forum_app.__path__, "forum_app."):
        importlib.import_module(module.name)
    stack, found = [FlaskForm], set()
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("forum_app."):
                found.add(sub)
    return found


def test_every_form_of_the_app_takes_its_messages_from_our_catalogues():
    forms = _app_forms()
    assert len(forms) > 40  # the walk found the app's forms
    assert not sorted(f"{f.__module__}.{f.__name__}" for f in forms if not issubclass(f, Form))


def test_a_required_field_left_empty_is_explained_in_mongolian(client, auth):
    factories.user("organiser@example.mn", roles=["organiser"])
    auth.login("organiser@example.mn")
    page = client.post("/events/new", data={}).get_data(as_text=True)
    assert mn("This field is required.") in page
    assert "This field is required." not in page
    assert "error-summary" in page  # and the errors are listed at the top, linked to fields
