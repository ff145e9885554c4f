"""Markdown written by organisers, rendered to a small, safe subset of HTML."""

import re

import markdown as markdown_lib
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {"p", "br", "strong", "em", "ul", "ol", "li", "a", "h3", "h4", "blockquote",
                "code", "pre"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# The page already has its h1 and h2: an author's "# Heading" becomes an h3, deeper ones h4.
_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _demote(match: re.Match) -> str:
    level = int(match.group(2))
    return f"<{match.group(1)}h{3 if level <= 2 else 4}"


def render_markdown(text: str | None) -> Markup:
    if not text:
        return Markup("")
    html = markdown_lib.markdown(text, output_format="html")
    html = _HEADING.sub(_demote, html)
    cleaned = nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                        clean_content_tags={"script", "style"}, url_schemes=URL_SCHEMES,
                        link_rel="nofollow noopener")
    return Markup(cleaned)  # noqa: S704  # nosec B704  # sanitised by nh3 just above
