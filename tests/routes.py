"""Every route of the app with its URL filled in from the demo data (`flask seed-demo`), for
the tests that walk them all: variant 0 and 1 name real objects (today's forum, an upcoming
one, an exhibition open for applications...), variant 2 names nothing that could exist."""

from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter

from forum_app.extensions import db
from forum_app.registration.models import Registration
from forum_app.registration.services import manage_token

HUGE_ID = 2**63 + 7  # beyond int4 and int8 alike
LONG_TEXT = "ё" * 300
VARIANTS = range(3)
REAL = (0, 1)


def _demo_values() -> dict[str, list]:
    registration = db.session.scalars(select(Registration).order_by(Registration.id)).first()
    return {
        "slug": ["dcf-clean-water-today", "dcf-heating-air-quality", LONG_TEXT],
        "event_slug": ["made-in-darkhan-next", "made-in-darkhan-2023", LONG_TEXT],
        "kind": ["departments", "categories", LONG_TEXT],
        "token": [manage_token(registration) if registration else "x", "x" * 500, "../etc"],
        "filename": ["photo.jpg", "../../etc/passwd", LONG_TEXT],
    }


def _values(rule, demo: dict[str, list], variant: int) -> dict:
    values = {}
    for argument, converter in rule._converters.items():
        if isinstance(converter, AnyConverter):
            values[argument] = sorted(converter.items)[variant % len(converter.items)]
        elif isinstance(converter, IntegerConverter):
            values[argument] = [1, 3, HUGE_ID][variant]
        else:
            values[argument] = demo.get(argument, ["x", "unknown", LONG_TEXT])[variant]
    return values


def route_urls(app, skipped=("static",)) -> list[tuple[object, int, str]]:
    """(rule, variant, url) for every rule but `skipped` endpoints, in path order. Needs an
    app context on the demo data."""
    demo = _demo_values()
    adapter = app.url_map.bind("localhost")
    urls = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.endpoint in skipped:
            continue
        for variant in VARIANTS:
            urls.append((rule, variant, adapter.build(rule.endpoint, _values(rule, demo, variant))))
    return urls
