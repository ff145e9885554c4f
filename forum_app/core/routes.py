"""Language switch, privacy notice and the health check."""

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template
from flask_babel import gettext as _
from sqlalchemy import text

from ..extensions import db
from ..i18n import set_language_cookie, supported_languages
from .forms import LanguageForm
from .privacy import NOTICE_VERSIONS, current_notice, notice_version
from .signals import language_chosen
from .urls import safe_next

bp = Blueprint("core", __name__)


def _notice_page(notice):
    return render_template("core/privacy.html", notice=notice, current=current_notice(),
                           versions=NOTICE_VERSIONS,
                           retention_months=current_app.config["REGISTRATION_RETENTION_MONTHS"])


@bp.route("/privacy")
def privacy():
    return _notice_page(current_notice())


@bp.route("/privacy/<version>")
def privacy_version(version: str):
    """A past (or the current) version's text, as the people who accepted it read it."""
    notice = notice_version(version)
    if notice is None:
        abort(404)
    return _notice_page(notice)


@bp.route("/language", methods=["POST"])
def switch_language():
    form = LanguageForm()
    target = safe_next(form.next.data)
    if not form.validate_on_submit():
        return redirect(target)
    if form.language.data not in supported_languages():
        flash(_("This language is not available."), "error")
        return redirect(target)
    language_chosen.send(current_app._get_current_object(), language=form.language.data)
    response = redirect(target)
    set_language_cookie(response, form.language.data)
    return response


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")
