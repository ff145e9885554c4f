"""One reorder rule for every ordered list (registration questions, survey questions)."""

from flask_babel import lazy_gettext as _l

from ..errors import DomainError


def move_one(rows: list, row, direction: str) -> None:
    """Move `row` one place "up" or "down" among `rows` (in their shown order) and number
    their `position` 0, 1, 2... At either end the row stays where it is."""
    if direction not in ("up", "down"):
        raise DomainError(_l("Unknown direction."), "bad_direction")
    ordered = list(rows)
    index = ordered.index(row)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered):
        each.position = position
