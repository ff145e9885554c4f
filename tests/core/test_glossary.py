"""The Mongolian catalogue keeps to the glossary (forum_app/translations/glossary.toml): one
term for one thing, so that the door's "already checked in" is never read as "registered"."""

import re
import tomllib

import pytest

from forum_app.checkin.models import RESULT_LABELS, CheckInResult
from tests.core.test_translations import TRANSLATIONS, _catalog, _pairs

GLOSSARY = tomllib.loads((TRANSLATIONS / "glossary.toml").read_text(encoding="utf-8"))["term"]
# A case suffix glued to a placeholder or a quotation cannot follow the vowel harmony of what
# is put there ("%(capacity)d-аас" is wrong for 20 and right for 30): rephrase instead.
GLUED_SUFFIX = re.compile(r"%\(\w+\)[sd]-?[а-яёөү]|[”»\"]-[а-яёөү]", re.IGNORECASE)


@pytest.fixture(scope="module")
def pairs():
    return [pair for message in _catalog("mn") if message.id for pair in _pairs(message)
            if pair[1]]


@pytest.mark.parametrize("term", GLOSSARY, ids=[term["en"] for term in GLOSSARY])
def test_no_wrong_variant_of_a_glossary_term(pairs, term):
    source = re.compile(term["source"], re.IGNORECASE)
    wrong = [re.compile(pattern, re.IGNORECASE) for pattern in term["wrong"]]
    offending = [f"{english!r} → {text!r}" for english, text in pairs
                 if source.search(english) and any(p.search(text) for p in wrong)]
    assert not offending, (f"use {term['mn']!r} for {term['en']!r} ({term['why']}):\n"
                           + "\n".join(offending))


def test_the_glossary_matches_real_messages(pairs):
    """A term whose source pattern matches nothing guards nothing: a typo would pass silently."""
    idle = [term["en"] for term in GLOSSARY
            if term["source"] and not any(re.search(term["source"], english, re.IGNORECASE)
                                          for english, _ in pairs)]
    assert not idle


def test_no_case_suffix_glued_to_a_placeholder(pairs):
    glued = [text for _, text in pairs if GLUED_SUFFIX.search(text)]
    assert not glued, glued


def test_the_door_words_cannot_be_read_as_each_other(app):
    with app.test_request_context(headers={"Accept-Language": "mn"}):
        app.extensions["babel"].locale_selector = lambda: "mn"
        words = {result: str(label).lower() for result, label in RESULT_LABELS.items()}
    assert len(set(words.values())) == len(words), words
    admitted, already = words[CheckInResult.ADMITTED], words[CheckInResult.ALREADY]
    assert "ирц" in already and "аль хэдийн" in already
    assert "аль хэдийн" not in admitted and "бүртг" not in admitted
    # "registered" (бүртгүүлсэн) is true of every ticket holder: no door word may say it.
    assert not any("бүртгүүлсэн" in word for word in words.values())
