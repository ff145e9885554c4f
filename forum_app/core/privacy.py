"""The privacy notice's versions. Every consent stores the version accepted; each past
version's text stays readable at /privacy/<version>."""

from dataclasses import dataclass
from datetime import date

from .reference import PRIVACY_NOTICE_VERSION


@dataclass(frozen=True)
class NoticeVersion:
    version: str
    published: date
    # A material change (new purposes, new recipients, longer keeping): people who accepted
    # an earlier version are told once, when they next sign in.
    material: bool

    @property
    def template(self) -> str:
        return f"core/privacy/{self.version}.html"


# Oldest first; the last one is PRIVACY_NOTICE_VERSION. Add a version (and its template)
# whenever the text changes; never edit a published one.
NOTICE_VERSIONS = (
    NoticeVersion("2026-11", date(2026, 11, 1), material=True),
    NoticeVersion("2026-12", date(2026, 12, 1), material=True),
)
assert NOTICE_VERSIONS[-1].version == PRIVACY_NOTICE_VERSION  # noqa: S101  # nosec B101


def notice_version(version: str) -> NoticeVersion | None:
    return next((v for v in NOTICE_VERSIONS if v.version == version), None)


def current_notice() -> NoticeVersion:
    return NOTICE_VERSIONS[-1]


def last_material_version() -> str:
    return [v for v in NOTICE_VERSIONS if v.material][-1].version


def needs_notice_of_change(accepted_version: str | None) -> bool:
    """True when the person accepted (or acknowledged) a version older than the last
    material change, or none at all."""
    return (accepted_version or "") < last_material_version()
