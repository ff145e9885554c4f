"""Reference values shared by every domain."""

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class StakeholderKind(StrEnum):
    CITIZEN = "citizen"
    GOVERNMENT = "government"
    BUSINESS = "business"
    NGO = "ngo"
    ACADEMIA = "academia"
    MEDIA = "media"
    INTERNATIONAL = "international"

    @property
    def label(self):
        return STAKEHOLDER_LABELS[self]


STAKEHOLDER_LABELS = {
    StakeholderKind.CITIZEN: _l("Citizen"),
    StakeholderKind.GOVERNMENT: _l("Government official"),
    StakeholderKind.BUSINESS: _l("Business"),
    StakeholderKind.NGO: _l("NGO / civil society"),
    StakeholderKind.ACADEMIA: _l("Academia"),
    StakeholderKind.MEDIA: _l("Media"),
    StakeholderKind.INTERNATIONAL: _l("International partner"),
}


def stakeholder_choices() -> list[tuple[str, str]]:
    return [(kind.value, kind.label) for kind in StakeholderKind]


LANGUAGE_LABELS = {"mn": "Монгол", "en": "English"}

# Stored with each consent; the versions and their texts are in core/privacy.py.
PRIVACY_NOTICE_VERSION = "2026-12"

# How an erased person (a deleted account, a guest who deleted their registration) is named
# wherever their public contributions are shown.
FORMER_PARTICIPANT = _l("former participant")
