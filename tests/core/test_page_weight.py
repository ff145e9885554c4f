"""Citizen pages on the demo data weigh at most 50 kB each over the wire, compressed: the HTML
with every same-origin stylesheet, script and image it references (issue 13)."""

import gzip
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from forum_app.extensions import db
from forum_app.issues.models import Issue, IssuePhoto
from forum_app.registration.models import Registration
from forum_app.registration.services import manage_token
from tests.routes import EVENTS

LIMIT = 50 * 1024
REFERENCES = re.compile(
    r'<(?:link[^>]*\bhref|script[^>]*\bsrc|img[^>]*\bsrc)="(?P<url>[^"]+)"')


@pytest.fixture
def demo(app):
    assert app.test_cli_runner().invoke(args=["seed-demo"]).exit_code == 0
    return app


def _citizen_pages() -> dict[str, str]:
    event = EVENTS[0]
    public = select(Issue.id).where(Issue.hidden_at.is_(None))  # the demo hides one for moderation
    issue_id = db.session.scalar(public.join(IssuePhoto).order_by(IssuePhoto.id).limit(1)) \
        or db.session.scalar(public.order_by(Issue.id).limit(1))
    registration = db.session.scalars(select(Registration).where(
        Registration.state == "confirmed").order_by(Registration.id)).first()
    return {"home": "/", "events list": "/events/", "event page": f"/events/{event}",
            "issues list": "/issues/", "issue page": f"/issues/{issue_id}",
            "register form": f"/events/{event}/register",
            "ticket page": f"/r/{manage_token(registration)}"}


def _weight(client, url: str) -> tuple[int, dict[str, int]]:
    """Bytes on the wire for the page and for each asset it references."""
    headers = {"Accept-Encoding": "gzip"}
    page = client.get(url, headers=headers)
    assert page.status_code == 200 and page.headers["Content-Encoding"] == "gzip", url
    html = page.get_data()  # as sent: the test client does not decompress
    text = gzip.decompress(html).decode()
    assert "<main" in text and "</html>" in text, url
    assets = {}
    for match in REFERENCES.finditer(text):
        reference = match.group("url").replace("&amp;", "&")
        parts = urlsplit(reference)
        if parts.netloc or not parts.path.startswith("/") or reference in assets:
            continue
        answer = client.get(reference, headers=headers)
        assert answer.status_code == 200, reference
        assets[reference] = len(answer.get_data())
    return len(html), assets


def test_citizen_pages_weigh_at_most_50_kb_compressed(demo, client, capsys):
    weights, over = {}, []
    for name, url in _citizen_pages().items():
        html, assets = _weight(client, url)
        total = html + sum(assets.values())
        weights[name] = (html, total)
        assert any("/static/css/app." in asset for asset in assets), (name, assets)
        if total > LIMIT:
            over.append(f"{name} {url}: {total} bytes: page {html}, {assets}")
    with capsys.disabled():
        print("\npage weights, gzip (HTML / with assets):",
              ", ".join(f"{n} {h / 1024:.1f}/{t / 1024:.1f} kB" for n, (h, t) in weights.items()))
    assert len(weights) == 7 and not over, over
