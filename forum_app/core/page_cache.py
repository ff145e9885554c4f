"""Public pages for visitors who are not signed in, served from a cache.

A page marked `@public_page` is the same for every visitor, so its rendered bytes are kept and
served again until what it shows changes. The key holds everything that changes the bytes:
- the version of the public data (core/page_version.py): raised in the transaction of any
  write a public page may show, read once per request, so each worker sees a change on its
  very next request;
- the time, in steps of PAGE_CACHE_SECONDS: what a page says relative to now (registration
  open or closed, "started", "ended", the coming events) changes without a write, so no copy
  is older than that;
- the language, the scheme, host, path and query string exactly as the page echoes them (the
  language switch's `next=`), and the static files' hashed names.
What differs per visitor stays out of the kept bytes: each CSRF token is kept as a marker and
filled in per request with the visitor's own. A visitor with anything else in their session
(signed in, a message waiting to be shown) or a remember-me cookie gets a page rendered for
them, and such a page is never kept; nor is an answer that is not a plain 200 HTML page, or
one that sets a cookie or its own caching.

Answers carry a weak ETag (the key and the visitor's CSRF secret) and `private, no-cache`: the
browser keeps the page and asks again each time, and a matching If-None-Match gets 304.
In process by default (bounded, one generation of version and time step); in Redis, shared
by the workers, when REDIS_URL is set. Off in debug mode (templates change on disk).

Here a page is rendered by Flask and kept (with its gzip and Brotli bytes, core/
page_encodings.py); a kept page is served by a WSGI middleware before Flask's request
machinery (session, limiter, babel, hooks) starts: core/page_hits.py.
"""

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from typing import NamedTuple

import redis
from flask import Flask, current_app, g, request, session
from flask_login import current_user
from flask_login.config import COOKIE_NAME

from ..i18n import visitor_language
from .page_encodings import TOKEN_MARKER, KeptPage
from .page_version import current_version
from .static_files import static_files

log = logging.getLogger(__name__)

CACHED_HEADERS = {"Cache-Control": "private, no-cache"}
CSRF_KEY = "csrf_token"  # Flask-WTF's name in the session and in g
SESSION_KEYS_AFTER_RENDER = frozenset({CSRF_KEY, "_remember"})  # Flask-Login's own note


def public_page(view):
    """Mark a GET view whose page is the same for every visitor who is not signed in."""
    view.public_page = True
    return view


class PageKey(NamedTuple):
    version: int
    step: int
    language: str
    url: str
    assets: str

    def text(self) -> str:
        return "|".join(map(str, self))

    def etag(self, csrf_secret: str) -> str:
        return hashlib.sha256(f"{self.text()}|{csrf_secret}".encode()).hexdigest()[:32]


class MemoryStore:
    """One worker's pages of the newest version and time step, the least recently used
    dropped beyond `max_entries` (a flood of made-up query strings cannot fill the memory)."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self.generation: tuple[int, int] | None = None
        self.pages: OrderedDict[PageKey, KeptPage] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: PageKey) -> KeptPage | None:
        with self.lock:
            body = self.pages.get(key)
            if body is not None:
                self.pages.move_to_end(key)
            return body

    def put(self, key: PageKey, page: KeptPage) -> None:
        with self.lock:
            if (key.version, key.step) != self.generation:
                self.pages.clear()
                self.generation = (key.version, key.step)
            self.pages[key] = page
            while len(self.pages) > self.max_entries:
                self.pages.popitem(last=False)


class RedisStore:
    """Pages shared by every worker; each expires with its time step. Redis being away only
    means pages are rendered, never an error."""

    def __init__(self, url: str, seconds: int):
        self.client = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self.seconds = seconds

    @staticmethod
    def _name(key: PageKey) -> str:
        return "forum:page:" + hashlib.sha256(key.text().encode()).hexdigest()

    def get(self, key: PageKey) -> KeptPage | None:
        try:
            kept = self.client.get(self._name(key))
        except redis.RedisError:
            log.warning("page cache: Redis unreachable; rendering", exc_info=True)
            return None
        return KeptPage.load(kept) if kept is not None else None

    def put(self, key: PageKey, page: KeptPage) -> None:
        try:
            self.client.set(self._name(key), page.dump(), ex=self.seconds)
        except redis.RedisError:
            log.warning("page cache: Redis unreachable; not kept", exc_info=True)


def register_page_cache(app: Flask) -> None:
    seconds = app.config["PAGE_CACHE_SECONDS"]
    if seconds <= 0 or app.debug:
        return
    redis_url = app.config.get("PAGE_CACHE_REDIS_URL")
    app.extensions["page_cache"] = (RedisStore(redis_url, seconds) if redis_url
                                    else MemoryStore(app.config["PAGE_CACHE_ENTRIES"]))
    # First of all before-request hooks: notes the key of a page to keep.
    app.before_request_funcs.setdefault(None, []).insert(0, _note_page_key)
    app.after_request(_keep_rendered_page)


def anonymous(session_keys, cookies, config) -> bool:
    """Nobody signed in and nothing of theirs waiting (a message): at most a CSRF secret."""
    return (set(session_keys) <= {CSRF_KEY}
            and config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) not in cookies)


def page_key(view, scheme: str, host: str, full_path: str, cookies) -> PageKey | None:
    """The key of a GET of `view` by an anonymous visitor, in an application context; None if
    the view's page is not kept or the version cannot be read."""
    if not getattr(view, "public_page", False):
        return None
    version = current_version()
    if version is None:
        return None
    seconds = current_app.config["PAGE_CACHE_SECONDS"]
    return PageKey(version, int(time.time() // seconds), visitor_language(cookies),
                   f"{scheme}://{host}{full_path}", static_files().fingerprint)


def _note_page_key():
    if request.method == "GET" and anonymous(session, request.cookies, current_app.config):
        g.page_key = page_key(current_app.view_functions.get(request.endpoint), request.scheme,
                              request.host, request.full_path, request.cookies)


def _keep_rendered_page(response):
    key = g.pop("page_key", None)
    if key is None or not _keepable(response):
        return response
    body = response.get_data()
    token = g.get(CSRF_KEY)
    current_app.extensions["page_cache"].put(key, KeptPage.of(
        body.replace(token.encode(), TOKEN_MARKER) if token else body,
        len(token) if token else 0, current_app.config))
    etag = key.etag(session.get(CSRF_KEY, ""))
    if request.if_none_match.contains_weak(etag):
        return _validated(current_app.response_class(status=304), etag, "miss")
    return _validated(response, etag, "miss")


def _keepable(response) -> bool:
    return (response.status_code == 200 and response.mimetype == "text/html"
            and not response.is_streamed and not response.direct_passthrough
            and "Set-Cookie" not in response.headers and "Cache-Control" not in response.headers
            and set(session) <= SESSION_KEYS_AFTER_RENDER
            and not current_user.is_authenticated)


def _validated(response, etag: str, source: str):
    response.set_etag(etag, weak=True)
    response.headers.update(CACHED_HEADERS)
    response.headers["X-Page-Cache"] = source
    response.vary.add("Cookie")
    return response
