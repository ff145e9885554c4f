"""News from the ground floor to the packages above it (blinker, as Flask uses)."""

from blinker import Namespace

signals = Namespace()

# A person chose a language with the switch (sender: the app; language=code). The accounts
# package keeps it on a signed-in person's profile.
language_chosen = signals.signal("language-chosen")
