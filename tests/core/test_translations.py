"""The catalogues are complete: every message has a Mongolian and an English text."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "forum_app" / "translations"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _catalog(language):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle)


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """Messages extracted from the code now, so a new string without a translation fails."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
                    str(ROOT / "babel.cfg"), "-k", "_l", "-k", "lazy_gettext", "-o", str(pot),
                    "--no-location", "."], cwd=ROOT, check=True, capture_output=True)
    with open(pot, "rb") as handle:
        return {message.id for message in read_po(handle) if message.id}


@pytest.mark.parametrize("language", ["mn", "en"])
def test_every_message_is_translated(extracted, language):
    catalog = _catalog(language)
    translated = {m.id for m in catalog if m.id and not m.fuzzy and all(
        [m.string] if isinstance(m.string, str) else m.string)}
    missing = sorted(str(m) for m in extracted - translated)
    assert not missing, f"{len(missing)} messages lack a {language} translation: {missing[:10]}"


def _pairs(message) -> list[tuple[str, str]]:
    """(source, translation) pairs; each plural form is checked against the plural source."""
    if isinstance(message.id, tuple):
        return [(message.id[-1], text) for text in message.string]
    return [(message.id, message.string)]


def test_mongolian_is_cyrillic_and_keeps_placeholders():
    for message in _catalog("mn"):
        if not message.id:
            continue
        for source, text in _pairs(message):
            if not text:
                continue  # missing ones fail test_every_message_is_translated
            assert set(PLACEHOLDER.findall(source)) == set(PLACEHOLDER.findall(text)), source
            letters = re.sub(PLACEHOLDER, "", text)
            if re.search(r"[A-Za-z]{4,}", source) and not re.search(r"[А-Яа-яӨөҮүЁё]", letters):
                raise AssertionError(f"not Mongolian: {source!r}")
