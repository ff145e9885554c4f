"""iCalendar output: RFC 5545 line endings, folding, escaping, stable UIDs, UTC times."""

from datetime import datetime, timedelta

from forum_app.events import services
from forum_app.events.ics import build_calendar, escape_text, fold
from tests import factories


def unfold(body: str) -> list[str]:
    assert body.endswith("\r\n")
    assert "\n" not in body.replace("\r\n", "")  # every line ends in CRLF, no bare LF
    return body.replace("\r\n ", "").split("\r\n")[:-1]


def test_escaping_of_text_values():
    assert escape_text('a,b;c\\d\ne\r\nf') == "a\\,b\\;c\\\\d\\ne\\nf"


def test_folding_keeps_lines_within_75_octets_and_utf8_whole():
    line = "SUMMARY:" + "Дархан хотын форум, " * 10
    folded = fold(line)
    pieces = folded.split("\r\n")
    assert len(pieces) > 1
    assert all(len(piece.encode("utf-8")) <= 75 for piece in pieces)
    assert all(piece.startswith(" ") for piece in pieces[1:])
    assert "".join([pieces[0], *(p[1:] for p in pieces[1:])]) == line
    assert fold("SHORT:ok") == "SHORT:ok"


def test_calendar_of_one_event_in_the_readers_language(app):
    organiser = factories.user(roles=["organiser"])
    start = datetime(2030, 6, 1, 2, 0)
    event = factories.event(organiser, starts_at=start, ends_at=start + timedelta(days=2),
                            title_mn="Дархан хотын форум; өвөл", title_en="Forum, winter",
                            summary_en="Line one\nLine two", venue_name_en="Hall A",
                            venue_address_en="Darkhan, 3rd bag")
    lines = unfold(build_calendar([event], "en"))
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-1] == "END:VCALENDAR"
    assert "VERSION:2.0" in lines
    assert f"UID:event-{event.id}@forum.darkhan-uul.gov.mn" in lines
    assert "DTSTART:20300601T020000Z" in lines and "DTEND:20300603T020000Z" in lines
    assert "SUMMARY:Forum\\, winter" in lines
    assert "LOCATION:Hall A\\, Darkhan\\, 3rd bag" in lines
    assert any(line.startswith("DESCRIPTION:Line one\\nLine two\\n\\n") for line in lines)
    assert any(line.startswith("URL:http") and line.endswith(f"/events/{event.slug}")
               for line in lines)
    assert "STATUS:CONFIRMED" in lines
    mongolian = unfold(build_calendar([event], "mn"))
    assert "SUMMARY:Дархан хотын форум\\; өвөл" in mongolian
    # The UID does not change when the event is edited: calendars update, not duplicate.
    services.update_event(organiser, event, {"title_en": "Forum"})
    assert f"UID:event-{event.id}@forum.darkhan-uul.gov.mn" in unfold(
        build_calendar([event], "en"))


def test_cancelled_event_says_so(app):
    organiser = factories.user(roles=["organiser"])
    event = factories.event(organiser)
    services.cancel_event(organiser, event, "Storm warning")
    lines = unfold(build_calendar([event], "en"))
    assert "STATUS:CANCELLED" in lines
    assert any("Storm warning" in line for line in lines if line.startswith("DESCRIPTION:"))
