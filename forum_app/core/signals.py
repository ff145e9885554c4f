"""News from the ground floor to the packages above it (blinker, as Flask uses)."""

from blinker import Namespace

signals = Namespace()

# A person chose a language with the switch (sender: the app; language=code). The accounts
# package keeps it on a signed-in person's profile.
language_chosen = signals.signal("language-chosen")

# `flask purge-expired` runs (sender: the app; older_than=timedelta). Each package that keeps
# rows only for a while deletes them and returns a line saying how many.
purge_requested = signals.signal("purge-requested")
