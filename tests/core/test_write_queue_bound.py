"""The wait in the SQLite writers' queue is bounded (database.QueuedConnection): when another
process holds the queue longer than SQLITE_WRITERS_WAIT_SECONDS, a writing request is answered
503 with Retry-After and "the service is busy" in the person's language (a page, or the API's
error shape), and nothing is saved; once the queue is free again the same request goes through.
The holder is a real second process that takes the lock with flock(), as a worker would."""

import pytest
from sqlalchemy import func, select

from forum_app.database import RETRY_AFTER_SECONDS, WritersBusy, begin_write
from forum_app.extensions import db
from forum_app.i18n import LANG_COOKIE
from forum_app.issues.models import Issue
from forum_app.registration.models import Registration
from tests import factories
from tests.api.personal_support import bearer, token
from tests.core.test_write_queue import _queue_is_taken
from tests.registration.support import guest
from tests.support import LockHolder, mn, text_of


def _queue() -> str:
    return db.engine.url.database + "-writers"


@pytest.fixture
def busy_app(app_factory):
    app = app_factory(SQLITE_WRITERS_WAIT_SECONDS=0.3)
    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        pytest.skip("the writers' queue is for a SQLite file")
    with app.app_context():
        factories.seed_reference()
        yield app


@pytest.fixture
def holder(busy_app):
    held = LockHolder(_queue())
    yield held
    held.release()


def _count(model) -> int:
    db.session.commit()
    return db.session.scalar(select(func.count(model.id)))


@pytest.mark.parametrize("language", ["mn", "en"])
def test_a_registration_waiting_too_long_is_told_the_service_is_busy(busy_app, holder,
                                                                     language):
    event = factories.event(capacity=10)
    client = busy_app.test_client()
    client.set_cookie(LANG_COOKIE, language)
    url = f"/events/{event.slug}/register"
    response = client.post(url, data=guest(language=language))
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    page = text_of(response)
    busy = "The service is busy"
    assert (mn(busy) if language == "mn" else busy) in page
    assert _count(Registration) == 0

    holder.release()
    assert client.post(url, data=guest(language=language)).status_code == 302
    assert _count(Registration) == 1
    assert LockHolder.takes_lock(_queue())  # the helper that gave up let it go when it got it


def test_the_api_answers_busy_in_its_error_shape_and_saves_nothing(busy_app, holder):
    person = factories.user("citizen@example.mn")
    headers = bearer(token(person, ["read", "issues:write"]))
    new = {"title": "Гудамжны гэрэл асахгүй байна", "category_id": factories.category().id,
           "description": "Манай гудамжны гэрэл гурван долоо хоног асахгүй байгаа тул орой "
                          "аюултай."}
    client = busy_app.test_client()
    response = client.post("/api/v1/issues?lang=mn", headers=headers, json=new)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    answer = response.get_json()
    assert answer["code"] == "busy" and answer["fields"] == {}
    assert answer["error"] == mn("The service is busy; nothing was saved. Please try again in "
                                 "the seconds the Retry-After header gives.")
    assert _count(Issue) == 0

    holder.release()
    assert client.post("/api/v1/issues?lang=mn", headers=headers, json=new).status_code == 201
    assert _count(Issue) == 1


def test_a_writer_gives_up_after_the_bound_and_the_queue_works_on(busy_app, holder):
    begin_write()
    with pytest.raises(WritersBusy):
        db.session.execute(select(1))
    db.session.rollback()
    assert _queue_is_taken()  # still the other process's
    holder.release()
    begin_write()
    db.session.execute(select(1))
    assert _queue_is_taken()  # now ours
    db.session.commit()
    assert LockHolder.takes_lock(_queue())
