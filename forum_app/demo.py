"""Every domain's demo data, in dependency order."""

from .core.demo import DEMO_PASSWORD, seed_reference, seed_users


def seed_all() -> list[str]:
    lines = []
    seed_reference()
    lines.append("reference data: districts and departments ready")
    created = seed_users()
    lines.append(f"demo users created: {len(created)} (password for all: {DEMO_PASSWORD})")
    return lines
