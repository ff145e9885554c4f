"""Redirect targets that cannot leave the site, and links that leave the request."""

from urllib.parse import urlsplit

from flask import current_app, request, url_for


def safe_next(target: str | None, default_endpoint: str = "home.index") -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//") and "\\" not in target:
            return target
    return url_for(default_endpoint)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mail, API answers, calendars and PDFs: always on the configured
    PUBLIC_BASE_URL, never on the request's Host, which the sender of the request chooses."""
    parts = urlsplit(current_app.config["PUBLIC_BASE_URL"])
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def canonical_url() -> str:
    """The link of the page being shown, on PUBLIC_BASE_URL and without its query string:
    what "Share" and "copy the link" give (templates/_share.html)."""
    return external_url(request.endpoint, **(request.view_args or {}))
