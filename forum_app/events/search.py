"""Free-text search of events: what a person types in the events list's search box (and the
API's ?q=) matched in titles, summaries, descriptions, venues and topic names, in both
languages, whatever the case (Cyrillic too: database.contains_folded)."""

from flask_babel import force_locale
from sqlalchemy import and_, select

from ..database import contains_folded
from ..i18n import supported_languages
from .labels import ALL_TAGS, tag_label
from .models import Event, EventTag

MAX_QUERY = 100  # characters: a search box, not a document
MAX_WORDS = 8

TEXT_COLUMNS = (Event.title_mn, Event.title_en, Event.summary_mn, Event.summary_en,
                Event.description_mn, Event.description_en, Event.venue_name_mn,
                Event.venue_name_en, Event.venue_address_mn, Event.venue_address_en)


def search_words(text: str | None) -> list[str]:
    """The distinct lower-case words of `text`, at most MAX_WORDS."""
    words = []
    for word in (text or "").lower().split():
        if word not in words:
            words.append(word)
    return words[:MAX_WORDS]


def _tags_named(word: str) -> list[str]:
    """The topics whose name in any language, or code ("sdg-11"), contains `word`."""
    names = {tag: {tag} for tag in ALL_TAGS}
    for language in supported_languages():
        with force_locale(language):
            for tag in ALL_TAGS:
                names[tag].add(tag_label(tag).lower())
    return [tag for tag, spellings in names.items() if any(word in name for name in spellings)]


def _word_matches(word: str):
    tags = _tags_named(word)
    text = contains_folded(TEXT_COLUMNS, word)
    if not tags:
        return text
    return text | Event.id.in_(select(EventTag.event_id).where(EventTag.tag.in_(tags)))


def matching(text: str | None):
    """A condition on Event: every word of `text` is found somewhere in the event (None: no
    words, so no condition)."""
    words = search_words(text)
    if not words:
        return None
    return and_(*(_word_matches(word) for word in words))
