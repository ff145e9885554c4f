"""The aggregate figures anyone may see: a breakdown's cell under 5 reads "<5", so that no
count singles a person out; totals stay exact."""

from .figures import Figures

SMALL = 5
HIDDEN = "<5"


def suppressed(count: int):
    return HIDDEN if count < SMALL else count


def suppressed_cells(breakdown: dict) -> dict:
    return {key: suppressed(count) for key, count in breakdown.items()}


def _slug(rows: dict, key) -> str:
    row = rows.get(key)
    return row.slug if row is not None else "none"


def stats(figures: Figures) -> dict:
    """The JSON of /api/v1/stats."""
    totals = figures.action_totals
    return {
        "from": figures.period.start.isoformat(),
        "to": figures.period.end.isoformat(),
        "kind": figures.period.kind,
        "events_held": figures.events_held,
        "registrations": figures.registrations,
        "checked_in": figures.checked_in,
        "no_show_rate": figures.no_show_rate,
        "issues": {
            "total": figures.issues_total,
            "by_status": suppressed_cells(figures.issues_by_status),
            "by_district": suppressed_cells({_slug(figures.districts, key): count
                                             for key, count in figures.issues_by_district.items()}),
        },
        "median_days_to_first_answer": figures.median_days_to_first_answer,
        "decisions": figures.decisions,
        "actions": {"done": totals.done, "on_time": totals.on_time, "overdue": totals.overdue},
    }
