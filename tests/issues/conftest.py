import pytest

from tests import factories


@pytest.fixture
def upload_folder(tmp_path):
    return tmp_path / "uploads"


@pytest.fixture
def app(app_factory, upload_folder):
    """The usual app, with photos stored in this test's own folder."""
    app = app_factory(UPLOAD_FOLDER=str(upload_folder))
    with app.app_context():
        factories.seed_reference()
        yield app


@pytest.fixture
def citizen(app):
    """The citizen who signs in (auth.login()'s default e-mail) to raise issues."""
    return factories.user("citizen@example.mn", name="Болд Дорж")
