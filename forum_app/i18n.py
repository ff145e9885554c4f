"""Language choice and bilingual content: one place for the rules."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from flask import current_app, g, has_app_context, has_request_context, request
from flask_babel import get_locale, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

LANG_COOKIE = "lang"


def set_language_cookie(response, language: str) -> None:
    """The one place the language cookie is written: Secure whenever the session cookie is
    (production), never readable by scripts."""
    response.set_cookie(LANG_COOKIE, language, max_age=365 * 24 * 3600, samesite="Lax",
                        httponly=True, secure=current_app.config["SESSION_COOKIE_SECURE"])
# Darkhan's clock: every time is stored in UTC and read and typed in this zone.
LOCAL_ZONE = ZoneInfo("Asia/Ulaanbaatar")


def supported_languages() -> tuple[str, ...]:
    return tuple(current_app.config["LANGUAGES"])


def select_locale() -> str:
    """The language a view fixed for its request (g.language: the API's ?lang=), else the
    signed-in user's choice, else the guest's cookie, else Mongolian."""
    languages = supported_languages()
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if g.get("language") in languages:
        return g.language
    if current_user and current_user.is_authenticated and current_user.language in languages:
        return current_user.language
    return visitor_language()


def asked_language() -> str:
    """The language a machine client asks for (the API's answers, errors too): ?lang=mn|en,
    else the Accept-Language header, else Mongolian."""
    languages = supported_languages()
    language = request.args.get("lang")
    if language in languages:
        return language
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"]


def visitor_language(cookies=None) -> str:
    """The language of someone not signed in: the guest's cookie, else Mongolian. `cookies`:
    a request's, read before Flask's request context (core/page_hits.py)."""
    cookie = (request.cookies if cookies is None else cookies).get(LANG_COOKIE)
    if cookie in supported_languages():
        return cookie
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def page_translations():
    """flask_babel.get_translations(), kept for the request beside the locale it is for.
    Templates ask for it once per string (a page has 30-100); Flask-Babel's own lookup walks
    flask.g, the domain and the locale each time. Keyed by the locale object itself, so
    force_locale (mail in the recipient's language) and refresh() get their own."""
    state = g.get("_flask_babel") if has_app_context() else None
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()
    kept = getattr(state, "forum_translations", None)
    if kept is None or kept[0] is not locale:
        kept = state.forum_translations = (locale, get_translations())
    return kept[1]


def install_template_gettext(app) -> None:
    """Jinja's _(), gettext, ngettext, pgettext and npgettext through page_translations
    (in place of Flask-Babel's, which do the same with the longer lookup)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
        newstyle=True)
    # _() and {% trans %} (the strings of every page) straight to the translation: Jinja's
    # own go through its `_` alias and newstyle wrapper, three context calls per string.
    app.jinja_env.globals["_"] = app.jinja_env.globals["gettext"] = template_gettext


@pass_eval_context
def template_gettext(eval_ctx, string: str, **variables) -> str:
    """Jinja's newstyle gettext: escaped values in an autoescaped template, and the text
    always a format string (a literal % is written %%)."""
    text = page_translations().ugettext(string)
    if eval_ctx.autoescape:
        text = Markup(text)  # noqa: S704  # nosec B704  # our catalogue's text, as Jinja's own
    return text % variables


def localized(obj, field: str, language: str | None = None) -> str:
    """The reader's language of a `<field>_mn` / `<field>_en` pair, falling back to the other."""
    language = language or current_language()
    other = "en" if language == "mn" else "mn"
    return getattr(obj, f"{field}_{language}", None) or getattr(obj, f"{field}_{other}", None) or ""


@dataclass(frozen=True)
class ReaderText:
    """A bilingual text as one reader gets it: their language, else the other one, marked."""

    text: str
    language: str | None  # None: not known (a text kept from before it had one per language)
    marked: bool = False  # not in the reader's language
    other: str | None = None  # the same in the other language, when there is one
    other_language: str | None = None


def for_reader(texts: dict[str, str | None], language: str) -> ReaderText | None:
    """`texts` ({"mn": ..., "en": ...}) in `language`, falling back to the other one."""
    other = "en" if language == "mn" else "mn"
    if texts.get(language):
        return ReaderText(texts[language], language, other=texts.get(other) or None,
                          other_language=other if texts.get(other) else None)
    if texts.get(other):
        return ReaderText(texts[other], other, marked=True)
    return None


def option_text(option, language: str | None = None) -> str:
    """A choice option {"mn": ..., "en": ...} in the reader's language, else the other one."""
    if not isinstance(option, dict):
        return str(option)
    language = language or current_language()
    other = "en" if language == "mn" else "mn"
    return option.get(language) or option.get(other) or ""


# Set only while the demo seeder records history that happened in the past (recorded_at).
_RECORDED_AT: ContextVar[datetime | None] = ContextVar("recorded_at", default=None)


def utcnow() -> datetime:
    """Naive UTC; every timestamp column stores UTC."""
    return _RECORDED_AT.get() or datetime.now(UTC).replace(tzinfo=None)


@contextmanager
def recorded_at(moment: datetime) -> Iterator[datetime]:
    """Within the block "now" is `moment` (naive UTC) for every service and column default,
    so demo history recorded through the real services carries the time it happened."""
    token = _RECORDED_AT.set(moment)
    try:
        yield moment
    finally:
        _RECORDED_AT.reset(token)


# One date, one date-time and one time format per language, on every page, mail and PDF.
# Mongolian writes dates as official papers do (2026.12.02); English as 2 Dec 2026; 24-hour.
DATE_FORMATS = {
    "mn": {"date": "y.MM.dd", "datetime": "y.MM.dd HH:mm", "time": "HH:mm"},
    "en": {"date": "d MMM y", "datetime": "d MMM y, HH:mm", "time": "HH:mm"},
}


def _pattern(kind: str, language: str | None) -> tuple[str, str]:
    language = language if language in DATE_FORMATS else current_language()
    return DATE_FORMATS.get(language, DATE_FORMATS["mn"])[kind], language


def local_datetime(value: datetime | None, kind: str = "datetime",
                   language: str | None = None) -> str:
    """A stored (naive UTC) time on Darkhan's clock: kind "datetime", "date" or "time"."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    pattern, language = _pattern(kind, language)
    return format_datetime(value, pattern, tzinfo=LOCAL_ZONE, locale=language)


def local_day(value: date | str | None, language: str | None = None) -> str:
    """A calendar date (a due date; or its ISO text from a history) in the date format."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    if not value:
        return ""
    pattern, language = _pattern("date", language)
    return format_date(value, pattern, locale=language)


def local_span(start: datetime, end: datetime, language: str | None = None) -> str:
    """From start to end; the end's date is left out when it is the same day."""
    same_day = local_date(start) == local_date(end)
    return (f"{local_datetime(start, language=language)} – "
            f"{local_datetime(end, 'time' if same_day else 'datetime', language)}")


def utc_to_local(value: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as naive Darkhan wall-clock time, e.g. for a form field."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).replace(tzinfo=None)


def local_to_utc(value: datetime | None) -> datetime | None:
    """Naive Darkhan wall-clock time (what a person typed) as the naive UTC we store."""
    if value is None:
        return None
    return value.replace(tzinfo=LOCAL_ZONE).astimezone(UTC).replace(tzinfo=None)


def local_date(moment: datetime) -> date:
    """The Darkhan calendar date of a stored (naive UTC) time."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).date()


def local_iso(moment: datetime) -> str:
    """A stored (naive UTC) time in ISO 8601 with the Asia/Ulaanbaatar offset."""
    return moment.replace(tzinfo=UTC).astimezone(LOCAL_ZONE).isoformat()
