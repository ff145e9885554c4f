"""The issue page's progress bar (templates/issues/_progress.html)."""

from ..models import Issue
from ..progress import lifecycle_stages, reached_statuses
from . import bp


@bp.app_template_global()
def issue_progress(issue: Issue, journey: list):
    """The stages, from the statuses of the page's timeline (no query of their own)."""
    return lifecycle_stages(issue, reached_statuses(issue, journey))
