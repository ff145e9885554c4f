"""Redirect targets that cannot leave the site."""

from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for


def safe_next(target: str | None, default_endpoint: str = "core.home") -> str:
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") \
                and not target.startswith("//") and "\\" not in target:
            return target
    return url_for(default_endpoint)


def external_url(endpoint: str, **values) -> str:
    """An absolute link for e-mail, also from the CLI or a worker where no request exists."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base_url = current_app.config.get("PUBLIC_BASE_URL") or "http://localhost:5000"
    with current_app.test_request_context(base_url=base_url):
        return url_for(endpoint, _external=True, **values)
