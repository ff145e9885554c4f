"""News from the calendar to the floors above it (blinker, as Flask uses). Events never import
the packages that hold registrations; they listen here instead."""

from blinker import Namespace

signals = Namespace()

# The event was cancelled (sender: the event; actor=, reason=). Receivers end what hangs on it
# in the same transaction: the sender commits after them.
event_cancelled = signals.signal("event-cancelled")

# The event has more seats than before (sender: the event; actor=), after the commit.
seats_added = signals.signal("seats-added")

# How many answers a registration question has (sender: the question). Each receiver returns
# a count; a question nobody answered can still change its kind or lose options.
question_answers = signals.signal("question-answers")


def answer_count(question) -> int:
    return sum(count or 0 for _receiver, count in question_answers.send(question))
