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

# Stored with each registration's consent; change it when templates/core/privacy.html changes.
PRIVACY_NOTICE_VERSION = "2026-11"
