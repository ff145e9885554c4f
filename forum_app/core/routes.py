"""Home page, language switch, privacy notice and the health check."""

from flask import Blueprint, flash, jsonify, redirect, render_template
from flask_login import current_user
from sqlalchemy import select, text

from ..accounts.services import set_language
from ..errors import DomainError
from ..events.models import Event, EventState
from ..extensions import db
from ..i18n import LANG_COOKIE, utcnow
from .forms import LanguageForm
from .reference import PRIVACY_NOTICE_VERSION
from .urls import safe_next

bp = Blueprint("core", __name__)


@bp.route("/")
def home():
    upcoming = db.session.scalars(
        select(Event).where(Event.state == EventState.PUBLISHED, Event.ends_at >= utcnow())
        .order_by(Event.starts_at).limit(4)).all()
    return render_template("core/home.html", upcoming=upcoming)


@bp.route("/privacy")
def privacy():
    return render_template("core/privacy.html", version=PRIVACY_NOTICE_VERSION)


@bp.route("/language", methods=["POST"])
def switch_language():
    form = LanguageForm()
    target = safe_next(form.next.data)
    if not form.validate_on_submit():
        return redirect(target)
    try:
        set_language(current_user if current_user.is_authenticated else None, form.language.data)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(target)
    response = redirect(target)
    response.set_cookie(LANG_COOKIE, form.language.data, max_age=365 * 24 * 3600,
                        samesite="Lax", httponly=True)
    return response


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")

