"""Check-in at the door: scanning, undo, walk-ins, search and live figures.

The UI's routes, the API and the tests all call these; see scan.py for how "exactly once"
holds under concurrency.
"""

from .figures import live_figures, search_attendees
from .outcome import HELD_AT_THE_DOOR, CheckInOutcome
from .scan import annul_check_in, check_in, walk_in

__all__ = ["HELD_AT_THE_DOOR", "CheckInOutcome", "annul_check_in", "check_in", "live_figures",
           "search_attendees", "walk_in"]
