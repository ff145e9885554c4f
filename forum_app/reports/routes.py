"""The outcomes dashboard (/reports/): public aggregate figures, exact for staff; each table
as CSV or XLSX; "waiting for me" (/reports/waiting) for officials and organisers."""

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import role_required
from ..accounts.models import Role
from ..events.models import EVENT_KIND_LABELS
from ..i18n import local_date, utcnow
from . import services
from .periods import parse_period
from .waiting import waiting_for

bp = Blueprint("reports", __name__, url_prefix="/reports")

MIMETYPES = {"csv": "text/csv; charset=utf-8",
             "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


@bp.get("/")
def dashboard():
    today = local_date(utcnow())
    period, errors = parse_period(request.args, today)
    exact = services.sees_exact_figures(current_user)
    return render_template(
        "reports/dashboard.html", period=period, errors=errors, exact=exact,
        report=services.report(period, today, exact), kinds=EVENT_KIND_LABELS,
        args=request.args), 422 if errors else 200


@bp.get("/<slug>.<any(csv, xlsx):file_format>")
def export(slug: str, file_format: str):
    today = local_date(utcnow())
    period, errors = parse_period(request.args, today)
    if errors:
        return Response(_("Please correct the period: %(fields)s",
                          fields="; ".join(map(str, errors.values()))),
                        status=422, mimetype="text/plain")
    exported = services.export_table(period, today, services.sees_exact_figures(current_user),
                                     slug[:40], file_format)
    if exported is None:
        abort(404)
    body, filename = exported
    response = Response(body, mimetype=MIMETYPES[file_format])
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/waiting")
@role_required(Role.OFFICIAL.value, Role.ORGANISER.value)
def waiting():
    now = utcnow()
    today = local_date(now)
    return render_template("reports/waiting.html", today=today,
                           waiting=waiting_for(current_user, today, now))
