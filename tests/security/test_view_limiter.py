"""The app's limiter skips Flask-Limiter's before-request pass, which only evaluates limits
that are not on a view, while none is configured (extensions.ViewLimiter): each case here is
a limit that must still refuse the request after its allowance, on a Flask app of its own so
that the app's one limiter keeps its configuration."""

import pytest
from flask import Blueprint, Flask
from flask_limiter.util import get_remote_address

from forum_app.extensions import ViewLimiter


def _app(**limiter_options) -> tuple[Flask, ViewLimiter]:
    app = Flask(__name__)
    limiter = ViewLimiter(key_func=get_remote_address, storage_uri="memory://",
                          **limiter_options)
    return app, limiter


def _statuses(app: Flask, path: str, times: int = 3) -> list[int]:
    client = app.test_client()
    return [client.get(path).status_code for _ in range(times)]


def test_a_default_limit_still_refuses_a_view_without_its_own():
    app, limiter = _app(default_limits=["2 per minute"])
    app.add_url_rule("/plain", "plain", lambda: "ok")
    limiter.init_app(app)
    assert _statuses(app, "/plain") == [200, 200, 429]


def test_an_application_limit_still_refuses():
    app, limiter = _app(application_limits=["2 per minute"])
    app.add_url_rule("/plain", "plain", lambda: "ok")
    limiter.init_app(app)
    assert _statuses(app, "/plain") == [200, 200, 429]


def test_a_blueprints_limit_still_refuses():
    app, limiter = _app()
    pages = Blueprint("pages", __name__)
    pages.add_url_rule("/in-blueprint", "inside", lambda: "ok")
    limiter.limit("2 per minute")(pages)
    app.register_blueprint(pages)
    limiter.init_app(app)
    assert _statuses(app, "/in-blueprint") == [200, 200, 429]


@pytest.mark.parametrize("limited", [True, False])
def test_a_views_own_limit_refuses_and_an_unlimited_view_never(limited):
    app, limiter = _app()

    def view():
        return "ok"

    app.add_url_rule("/view", "view", limiter.limit("2 per minute")(view) if limited else view)
    limiter.init_app(app)
    assert _statuses(app, "/view") == ([200, 200, 429] if limited else [200, 200, 200])
    assert not limiter._limits_beside_views()  # noqa: SLF001 - the pass was skipped
