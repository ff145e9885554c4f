"""forum_app: registration, check-in and engagement for the public events of Darkhan-Uul."""

import os
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, session
from flask_wtf.csrf import generate_csrf
from werkzeug.middleware.proxy_fix import ProxyFix

from config import DEFAULT_SECRET, INSTANCE_DIR, Config, config_for, dev_secret_key

from . import models  # noqa: F401 - registers every table with the metadata
from .accounts.data_routes import bp as my_data_bp
from .accounts.models import ROLE_LABELS
from .accounts.routes import SESSION_TOKEN_KEY
from .accounts.routes import bp as accounts_bp
from .accounts.services import signed_in_user
from .accounts.token_routes import bp as api_tokens_bp
from .admin.routes import bp as admin_bp
from .api.routes import bp as api_bp
from .checkin.routes import bp as checkin_bp
from .cli import register_cli
from .core.compression import register_compression
from .core.forms import LanguageForm
from .core.markdown import render_markdown
from .core.page_cache import register_page_cache
from .core.page_hits import register_page_hits
from .core.reference import LANGUAGE_LABELS, STAKEHOLDER_LABELS
from .core.routes import bp as core_bp
from .core.static_files import register_static_files
from .core.text import initials
from .core.urls import canonical_url
from .database import IdConverter, engine_options, ping_after_rest, register_request_transactions
from .deliberation.routes import bp as deliberation_bp
from .errors import register_error_handlers
from .events.routes import bp as events_bp
from .events.routes.home import bp as home_bp
from .exhibitions.routes import bp as exhibitions_bp
from .extensions import babel, csrf, db, limiter, login_manager, mail, migrate
from .feedback.routes import bp as feedback_bp
from .i18n import (
    current_language,
    install_template_gettext,
    local_datetime,
    local_day,
    local_span,
    localized,
    option_text,
    select_locale,
)
from .issues.routes import bp as issues_bp
from .moderation.routes import bp as moderation_bp
from .notifications.routes import bp as notifications_bp
from .notifications.services import deliver_after_request
from .opendata.routes import bp as opendata_bp
from .registration.routes import bp as registration_bp
from .registration.routes import organiser_bp
from .reports.routes import bp as reports_bp
from .security import CookieSessions, register_input_guard, register_security_headers

# Every blueprint, in the order its routes are matched and its hooks run.
BLUEPRINTS = (core_bp, home_bp, accounts_bp, admin_bp, events_bp, registration_bp,
              exhibitions_bp, api_bp, organiser_bp, checkin_bp, issues_bp, moderation_bp,
              deliberation_bp, feedback_bp, reports_bp, opendata_bp, notifications_bp, my_data_bp,
              api_tokens_bp)


def create_app(config: type[Config] | str | None = None, **overrides) -> Flask:
    app = Flask(__name__, template_folder="../templates", static_folder="../static",
                instance_path=str(INSTANCE_DIR), instance_relative_config=True)
    config_class = config if isinstance(config, type) else config_for(config)
    app.config.from_object(config_class)
    app.config.update(overrides)
    _check_secret_key(app, config_class)
    _check_public_address(app, config_class)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)

    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.session_interface = CookieSessions()
    register_compression(app)  # first: its after-request hook runs last, on the final body
    register_static_files(app)
    _init_extensions(app)
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    _register_template_helpers(app)
    register_error_handlers(app)
    register_request_transactions(app)
    register_security_headers(app)
    register_input_guard(app)
    register_cli(app)
    app.after_request(deliver_after_request)
    register_page_cache(app)  # last: its after-request hook runs first, on the view's page
    register_page_hits(app)  # kept pages answered before Flask's request machinery
    if app.config.get("TRUSTED_PROXIES"):
        # Behind nginx: take the client address from X-Forwarded-For, for rate limits. Not
        # X-Forwarded-Host: nginx passes the Host itself, and links never follow it anyway.
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app


def _check_secret_key(app: Flask, config_class: type[Config]) -> None:
    if config_class.__name__ == "ProductionConfig":
        if app.config["SECRET_KEY"] in (None, "", DEFAULT_SECRET) or len(
                app.config["SECRET_KEY"]) < 32:
            raise RuntimeError("Set SECRET_KEY (at least 32 random characters) in production.")
    elif not app.config.get("SECRET_KEY") or app.config["SECRET_KEY"] == DEFAULT_SECRET:
        app.config["SECRET_KEY"] = os.environ.get("SECRET_KEY") or dev_secret_key()


def _check_public_address(app: Flask, config_class: type[Config]) -> None:
    """Links in mail carry reset and ticket tokens: they must point at the real site."""
    parts = urlsplit(app.config.get("PUBLIC_BASE_URL") or "")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RuntimeError("Set PUBLIC_BASE_URL to the site's address, e.g. https://forum.mn")
    if config_class.__name__ == "ProductionConfig" and app.config["TRUSTED_HOSTS"] is None:
        app.config["TRUSTED_HOSTS"] = [parts.hostname]


def _init_extensions(app: Flask) -> None:
    engine_options(app)
    db.init_app(app)
    ping_after_rest(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"),
                     render_as_batch=True, compare_type=True)
    mail.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(app.root_path) / "translations"))
    install_template_gettext(app)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str):
        user = signed_in_user(int(user_id), session.get(SESSION_TOKEN_KEY))
        return user if user is not None and user.is_active else None


def _register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        localized=localized,
        option_text=option_text,
        current_language=current_language,
        language_labels=LANGUAGE_LABELS,
        stakeholder_labels=STAKEHOLDER_LABELS,
        language_form=LanguageForm,
        csrf_token=generate_csrf,
        canonical_url=canonical_url,
    )
    app.jinja_env.filters["local_dt"] = local_datetime
    app.jinja_env.filters["local_day"] = local_day
    app.jinja_env.filters["local_span"] = local_span
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["initials"] = initials
    app.jinja_env.filters["role_label"] = lambda role: ROLE_LABELS.get(role, role)
