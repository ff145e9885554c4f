"""GET /api/v1/stats: the public aggregate figures of a period (reports.public)."""

from flask import jsonify, request

from ..i18n import local_date, utcnow
from ..reports.figures import figures_for
from ..reports.periods import parse_period
from ..reports.public import stats
from .common import bp, invalid


@bp.get("/stats")
def stats_of_period():
    today = local_date(utcnow())
    period, errors = parse_period(request.args, today)
    if errors:
        raise invalid(errors)
    return jsonify(stats(figures_for(period, today)))
