"""Names shown for event states and tags (the 17 SDGs and the programme's pillars)."""

from flask_babel import lazy_gettext as _l

from .models import PILLAR_TAGS, SDG_TAGS, EventState

EVENT_STATE_LABELS = {
    EventState.DRAFT: _l("Draft"),
    EventState.PUBLISHED: _l("Published"),
    EventState.CANCELLED: _l("Cancelled"),
}

SDG_NAMES = [
    _l("No poverty"), _l("Zero hunger"), _l("Good health and well-being"),
    _l("Quality education"), _l("Gender equality"), _l("Clean water and sanitation"),
    _l("Affordable and clean energy"), _l("Decent work and economic growth"),
    _l("Industry, innovation and infrastructure"), _l("Reduced inequalities"),
    _l("Sustainable cities and communities"), _l("Responsible consumption and production"),
    _l("Climate action"), _l("Life below water"), _l("Life on land"),
    _l("Peace, justice and strong institutions"), _l("Partnerships for the goals"),
]
ALL_TAGS = [*SDG_TAGS, *PILLAR_TAGS]


def tag_label(tag: str) -> str:
    if tag in PILLAR_TAGS:
        return str(PILLAR_TAGS[tag])
    if tag in SDG_TAGS:
        number = int(tag.removeprefix("sdg-"))
        return str(_l("SDG %(number)d: %(name)s", number=number, name=SDG_NAMES[number - 1]))
    return tag


def tag_choices() -> list[tuple[str, str]]:
    return [(tag, tag_label(tag)) for tag in ALL_TAGS]
