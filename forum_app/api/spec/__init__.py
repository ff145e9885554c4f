"""The OpenAPI 3.1 document of /api/v1, kept beside the code: base.yaml holds the document's
head and the shared parts (the error shape, the common answers, the two kinds of token); every
other *.yaml here describes one area's paths (and its own components). They are merged into
one document, and tests/api/test_openapi_document.py checks it against the URL map."""

from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).parent
MERGED = ("paths", "components")


def _merge(into: dict, part: dict, source: str, trail: str = "") -> None:
    for key, value in part.items():
        if key not in into:
            into[key] = value
        elif isinstance(into[key], dict) and isinstance(value, dict) and trail.count("/") < 1:
            _merge(into[key], value, source, f"{trail}/{key}")
        else:
            raise ValueError(f"{source}: {trail}/{key} is described twice")


@cache
def document() -> dict:
    """The whole document: base.yaml, then each area's file in name order."""
    whole = yaml.safe_load((HERE / "base.yaml").read_text(encoding="utf-8"))
    whole.setdefault("paths", {})
    for path in sorted(HERE.glob("*.yaml")):
        if path.name == "base.yaml":
            continue
        part = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        unknown = set(part) - set(MERGED)
        if unknown:
            raise ValueError(f"{path.name}: only paths and components, not {sorted(unknown)}")
        for key in MERGED:
            _merge(whole.setdefault(key, {}), part.get(key, {}), path.name, key)
    return whole
