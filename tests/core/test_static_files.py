"""Static files under content-hashed names with a year's cache, the plain names still
answering, and text answers compressed (gzip, Brotli) when the client accepts it."""

import gzip
import hashlib
import re
from pathlib import Path

import brotli

from forum_app.core.static_files import StaticFiles
from tests import factories
from tests.registration.support import confirm_in_browser, guest

STATIC = Path(__file__).resolve().parents[2] / "static"
YEAR = "public, max-age=31536000, immutable"


def _stylesheet(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'<link rel="stylesheet" href="(/static/css/app\.[0-9a-f]{10}\.css)"',
                     page).group(1)


def test_pages_name_the_stylesheet_by_its_content_and_it_is_kept_a_year(client):
    url = _stylesheet(client)
    content = (STATIC / "css" / "app.css").read_bytes()
    assert url == f"/static/css/app.{hashlib.sha256(content).hexdigest()[:10]}.css"
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/css"
    assert response.headers["Cache-Control"] == YEAR
    assert response.data == content
    again = client.get(url, headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and not again.data


def test_the_plain_name_still_answers_with_a_short_cache(client):
    response = client.get("/static/css/app.css")
    assert response.status_code == 200
    assert response.data == (STATIC / "css" / "app.css").read_bytes()
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert client.get("/static/img/favicon.svg").status_code == 200
    assert client.get("/static/fonts/LICENSE-DejaVu.txt").status_code == 200


def test_a_wrong_hash_or_a_path_outside_static_is_not_found(client):
    assert client.get("/static/css/app.0123456789.css").status_code == 404
    assert client.get("/static/../config.py").status_code == 404
    assert client.get("/static/css/missing.css").status_code == 404


def test_a_changed_file_gets_a_new_name(tmp_path):
    (tmp_path / "js").mkdir()
    script = tmp_path / "js" / "a.js"
    script.write_text("var a = 1;\n" * 100)
    before = StaticFiles(str(tmp_path)).by_name["js/a.js"].hashed
    script.write_text("var a = 2;\n" * 100)
    after = StaticFiles(str(tmp_path)).by_name["js/a.js"].hashed
    assert re.fullmatch(r"js/a\.[0-9a-f]{10}\.js", before) and before != after


def test_static_text_comes_gzip_or_brotli_compressed_when_asked(client):
    url = _stylesheet(client)
    content = (STATIC / "css" / "app.css").read_bytes()
    zipped = client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert len(zipped.data) < len(content) / 3 and gzip.decompress(zipped.data) == content
    squeezed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert squeezed.headers["Content-Encoding"] == "br"
    assert brotli.decompress(squeezed.data) == content
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.data == content


def test_pages_and_json_come_compressed_and_decompress_to_the_same_bytes(client, app):
    factories.event(title_en="Clean water for Darkhan")
    plain = client.get("/api/v1/events?lang=en")
    zipped = client.get("/api/v1/events?lang=en", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers and b"Clean water" in plain.data
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    page = client.get("/events/", headers={"Accept-Encoding": "gzip"})
    assert page.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in page.headers["Vary"]
    assert "</html>" in gzip.decompress(page.data).decode()


def test_images_and_tiny_bodies_are_not_compressed(client, app):
    event = factories.event()
    client.post(f"/events/{event.slug}/register", data=guest())
    ticket = confirm_in_browser(client, guest()["email"]).headers["Location"]
    png = client.get(f"{ticket}/qr.png", headers={"Accept-Encoding": "gzip, br"})
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert "Content-Encoding" not in png.headers and png.data.startswith(b"\x89PNG")
    tiny = client.get("/static/img/favicon.svg", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in tiny.headers and tiny.data.startswith(b"<svg")


def test_the_service_worker_keeps_its_etag_and_304_when_compressed(client):
    plain = client.get("/ticket-sw.js")
    zipped = client.get("/ticket-sw.js", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == plain.data
    assert zipped.headers["ETag"] == plain.headers["ETag"]
    unchanged = client.get("/ticket-sw.js", headers={
        "Accept-Encoding": "gzip", "If-None-Match": zipped.headers["ETag"]})
    assert unchanged.status_code == 304 and not unchanged.data
