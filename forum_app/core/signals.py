"""News from the ground floor to the packages above it (blinker, as Flask uses)."""

from blinker import Namespace

signals = Namespace()

# A person chose a language with the switch (sender: the app; language=code). The accounts
# package keeps it on a signed-in person's profile.
language_chosen = signals.signal("language-chosen")

# `flask purge-expired` runs (sender: the app; older_than=timedelta). Each package that keeps
# rows only for a while deletes them and returns a line saying how many.
purge_requested = signals.signal("purge-requested")

# Someone asked what is held about them ("My data"; sender: the app; user=User). Each package
# returns (section, value): a section name and a JSON-ready value of what it holds on them.
personal_data_requested = signals.signal("personal-data-requested")

# Personal data is being erased (sender: the app; user=User or None, registrations=list of
# Registration rows already erased, traces=set of the texts that identified the person: name,
# e-mail, phone). Each package erases or redacts what it holds on them in the current
# transaction, never commits (the sender commits once), and returns (section, count).
personal_data_erasing = signals.signal("personal-data-erasing")
