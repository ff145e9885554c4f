"""The issue page's progress bar (templates/issues/_progress.html)."""

from ..models import Issue
from ..progress import lifecycle_stages
from . import bp


@bp.app_template_global()
def issue_progress(issue: Issue):
    return lifecycle_stages(issue)
