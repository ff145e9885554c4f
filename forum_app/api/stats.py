"""GET /api/v1/stats: the public aggregate figures of a period (reports.public)."""

from flask import request

from ..extensions import limiter
from ..reports.figures import figures_for
from ..reports.periods import requested_period
from ..reports.public import stats
from .caching import public_json
from .common import bp, invalid


@bp.get("/stats")
@limiter.limit("60 per minute")  # each answer aggregates the whole record of the period
def stats_of_period():
    period, errors, today = requested_period(request.args)
    if errors:
        raise invalid(errors)
    return public_json(stats(figures_for(period, today)))
