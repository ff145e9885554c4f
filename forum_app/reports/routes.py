"""The outcomes dashboard (/reports/): public aggregate figures, exact for staff; each table
as CSV or XLSX; "waiting for me" (/reports/waiting) for officials and organisers."""

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from ..accounts.access import role_required
from ..accounts.models import Role
from ..events.models import EVENT_KIND_LABELS
from ..i18n import local_date, utcnow
from ..security import CSV, XLSX, private_download
from . import services
from .pdf import build_report_pdf
from .periods import requested_period
from .waiting import waiting_for

bp = Blueprint("reports", __name__, url_prefix="/reports")

MIMETYPES = {"csv": CSV, "xlsx": XLSX}


def _bad_period(errors: dict) -> Response:
    return Response(_("Please correct the period: %(fields)s",
                      fields="; ".join(map(str, errors.values()))),
                    status=422, mimetype="text/plain")


@bp.get("/")
def dashboard():
    period, errors, today = requested_period(request.args)
    exact = services.sees_exact_figures(current_user)
    return render_template(
        "reports/dashboard.html", period=period, errors=errors, exact=exact,
        report=services.report(period, today, exact), kinds=EVENT_KIND_LABELS,
        args=request.args), 422 if errors else 200


@bp.get("/<slug>.<any(csv, xlsx):file_format>")
def export(slug: str, file_format: str):
    period, errors, today = requested_period(request.args)
    if errors:
        return _bad_period(errors)
    exported = services.export_table(period, today, services.sees_exact_figures(current_user),
                                     slug[:40], file_format)
    if exported is None:
        abort(404)
    body, filename = exported
    return private_download(body, MIMETYPES[file_format], filename)


@bp.get("/waiting")
@role_required(Role.OFFICIAL.value, Role.ORGANISER.value)
def waiting():
    now = utcnow()
    today = local_date(now)
    return render_template("reports/waiting.html", today=today,
                           waiting=waiting_for(current_user, today, now))


@bp.get("/report.pdf")
def report_pdf():
    period, errors, today = requested_period(request.args)
    if errors:
        return _bad_period(errors)
    body = build_report_pdf(period, today, services.sees_exact_figures(current_user))
    return private_download(body, "application/pdf",
                     f"forum-report-{period.start.isoformat()}-{period.end.isoformat()}.pdf")
