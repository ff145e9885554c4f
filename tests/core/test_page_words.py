"""Every page of the walk, in both languages, writes dates and times in the one format of its
language (forum_app/i18n.py, DATE_FORMATS) and a Mongolian page carries no English interface
word. On the demo data, as a visitor and as a person holding every staff role."""

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import JSON, String, Text, select

from forum_app.extensions import db
from forum_app.notifications.models import OutboxMessage
from forum_app.notifications.services import message_texts
from tests import factories
from tests.routes import REAL, route_urls

SKIPPED = ("static", "accounts.logout")
MONTHS_EN = ("January|February|March|April|June|July|August|September|October|November|"
             "December")
MONTHS_MN = ("нэгдүгээр|хоёрдугаар|гуравдугаар|дөрөвдүгээр|тавдугаар|зургадугаар|долдугаар|"
             "наймдугаар|есдүгээр|аравдугаар")
# Anything that looks like a date or a time but is not in the language's format.
OTHER_FORMATS = {
    "both": [r"\b\d{1,2}:\d{2}:\d{2}\b",  # seconds
             r"\b\d{4}-\d{2}-\d{2}\b",  # ISO dates meant for machines
             r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", r"\b[AP]M\b"],
    "mn": [r"\d{4} оны", r"\d{1,2}-р сар", r"сарын \d", rf"({MONTHS_MN}) сар",
           rf"\b({MONTHS_EN}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"],
    "en": [rf"\b({MONTHS_EN})\b", r"\b[A-Z][a-z]{2} \d{1,2}, \d{4}\b",
           r"\b\d{4}\.\d{2}\.\d{2}\b", r"оны|сарын"],
}
CHOSEN = {"mn": r"\b\d{4}\.\d{2}\.\d{2}\b", "en": r"\b\d{1,2} [A-Z][a-z]{2} \d{4}\b"}
# Common interface words that must not be left in English on a Mongolian page.
ENGLISH_WORDS = re.compile(
    r"\b(Save|Cancel|Submit|Delete|Edit|Search|Next|Previous|Sign in|Sign out|Register|"
    r"required|Back|Download|Yes|No|Open|Closed|Draft|Published|Status|Date|Name|Email|"
    r"Phone|Password|Event|Events|Issue|Issues|Ticket|Home|Menu|Language|Filter|Apply|"
    r"Reset|Show|Hide|Details|under[- ]\d+|and over|This field)\b")


HIDDEN = ("script", "style", "template", "textarea")  # a text area holds what people typed
# Text a page marks as English on purpose (lang="en": an API operation's summary, an HTTP
# header's name) is quoted, not an interface word left untranslated.
QUOTED = ("lang", "en")


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _strings(item)


def people_texts(but: tuple[str, ...] = ()) -> list[str]:
    """Every text the database holds: titles, comments, answers, options, mails. People's
    words (and the demo's Mongolian prose with its own dates) are not the interface."""
    texts = set()
    for table in db.metadata.sorted_tables:
        if table.name in but:
            continue
        columns = [c for c in table.columns if isinstance(c.type, String | Text | JSON)]
        for row in db.session.execute(select(*columns)) if columns else ():
            for value in row:
                texts.update(" ".join(line.split()) for text in _strings(value)
                             for line in text.splitlines())
    if OutboxMessage.__tablename__ not in but:  # a queued mail is rendered when sent or shown
        for message in db.session.scalars(select(OutboxMessage)):
            mail = message_texts(message)
            texts.update(" ".join(line.split()) for text in (mail.subject, mail.body_text)
                         for line in text.splitlines())
    return sorted((t for t in texts if len(t) >= 12), key=len, reverse=True)


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts, self._skip = [], 0
        self._quoted: list = []  # [tag, depth] of the element marked as English we are in

    def handle_starttag(self, tag, attrs):
        self._skip += tag in HIDDEN
        if self._quoted:
            self._quoted[1] += tag == self._quoted[0]
        elif QUOTED in attrs and tag in ("span", "code", "p", "li"):
            self._quoted = [tag, 1]

    def handle_endtag(self, tag):
        self._skip -= tag in HIDDEN and self._skip > 0
        if self._quoted and tag == self._quoted[0]:
            self._quoted[1] -= 1
            if not self._quoted[1]:
                self._quoted = []

    def handle_data(self, data):
        if not self._skip and not self._quoted:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


@pytest.fixture
def demo(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    return app


def _walk(client, urls, language: str, theirs: list[str]) -> tuple[int, int, list[str]]:
    patterns = [re.compile(p) for p in OTHER_FORMATS["both"] + OTHER_FORMATS[language]]
    seen, dated, failures = 0, 0, []
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        text = visible_text(response.get_data(as_text=True))
        for words in theirs:
            text = text.replace(words, " ")
        seen += 1
        dated += bool(re.search(CHOSEN[language], text))
        found = [(f"date/time in {language}", m) for p in patterns for m in p.finditer(text)]
        if language == "mn":
            found += [("English", m) for m in ENGLISH_WORDS.finditer(text)]
        failures += [f"{url}: {what} {m.group()!r} in "
                     f"…{text[max(0, m.start() - 40):m.end() + 20]}…" for what, m in found]
    return seen, dated, failures


@pytest.mark.parametrize("who", ["visitor", "every staff role"])
def test_pages_write_dates_one_way_and_no_english_on_mongolian_pages(demo, client, auth, who):
    walker = None
    if who != "visitor":
        walker = factories.user("walker@example.mn",
                                roles=["admin", "organiser", "moderator", "official"],
                                department_slug="environment")
        assert auth.login("walker@example.mn").status_code == 302
    urls = list(dict.fromkeys(url for rule, variant, url in route_urls(demo, SKIPPED)
                              if variant in REAL and "GET" in rule.methods))
    theirs = people_texts()
    for language in ("mn", "en"):
        client.set_cookie("lang", language)
        if walker:
            walker.language = language
            db.session.commit()
        seen, dated, failures = _walk(client, urls, language, theirs)
        assert seen >= (15 if who == "visitor" else 75) and dated >= 5, (language, seen, dated)
        assert not failures, "\n".join(dict.fromkeys(failures))


def test_mails_write_dates_one_way(demo):
    """The demo's mails (tickets, answers, reminders) in each reader's language."""

    failures, seen, dated = [], set(), 0
    theirs = people_texts(but=(OutboxMessage.__tablename__,))
    for message in db.session.scalars(select(OutboxMessage)):
        language = message.language if message.language in OTHER_FORMATS else "mn"
        seen.add(language)
        text = " ".join(message_texts(message).body_text.split())
        for words in theirs:
            text = text.replace(words, " ")
        dated += bool(re.search(CHOSEN[language], text))
        for pattern in OTHER_FORMATS["both"] + OTHER_FORMATS[language]:
            failures += [f"{message.template} ({language}): {match.group()!r}"
                         for match in re.finditer(pattern, text)]
    assert seen == {"mn", "en"} and dated >= 2
    assert not failures, "\n".join(dict.fromkeys(failures))
