"""The issue list shows each issue's first photo as a small square thumbnail: made once on
upload (or on first request for older photos, or by `flask make-thumbnails`), stored beside
the photo, drawn at a fixed size so the list does not jump, and kept by browsers."""

import io

from PIL import Image
from sqlalchemy import select

from forum_app.extensions import db
from forum_app.i18n import utcnow
from forum_app.issues.models import Issue
from forum_app.issues.photos import THUMBNAIL_SIDE, prepare_photo, thumbnail_path
from tests import factories
from tests.issues.support import (
    issue_form,
    jpeg_with_gps,
    png_with_metadata,
    stored_files,
    upload,
)
from tests.support import mn, text_of


def thumbnail_url(issue) -> str:
    return f"/issues/{issue.id}/photos/{issue.photos[0].filename}/thumbnail"


def test_a_photo_uploaded_with_an_issue_gets_its_thumbnail_beside_it(
        client, auth, citizen, upload_folder):
    auth.login()
    response = client.post("/issues/new", data=issue_form(
        photos=[upload(jpeg_with_gps(size=(300, 120)), "IMG_1.jpg")]))
    assert response.status_code == 302
    [photo] = db.session.scalars(select(Issue)).one().photos
    stem = photo.filename.rpartition(".")[0]
    assert [p.name for p in stored_files(upload_folder)] == sorted(
        [photo.filename, f"{stem}.thumb.jpg"])


def test_the_list_draws_the_first_photo_small_lazy_with_alt_text_and_fixed_size(client):
    issue = factories.issue(title="Гудамжны гэрэл асахгүй",
                            photos=[prepare_photo(jpeg_with_gps(), "a.jpg"),
                                    prepare_photo(png_with_metadata(), "b.png")])
    plain = factories.issue(title="Зургүй асуудал")
    page = text_of(client.get("/issues/"))
    expected = (f'<img class="issue-card__thumb" src="{thumbnail_url(issue)}" width="80" '
                f'height="80" loading="lazy" decoding="async" alt="'
                + mn("Photo of the issue “%(title)s”", title="Гудамжны гэрэл асахгүй") + '">')
    assert expected in page
    assert page.count('class="issue-card__thumb"') == 1  # one per issue with photos
    assert f"/issues/{plain.id}/photos" not in page

    served = client.get(thumbnail_url(issue))
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"] == "private, max-age=31536000, immutable"
    image = Image.open(io.BytesIO(served.data))
    assert image.size == (THUMBNAIL_SIDE, THUMBNAIL_SIDE)
    assert len(image.getexif()) == 0
    assert len(served.data) < len(client.get(f"/issues/{issue.id}/photos/"
                                             f"{issue.photos[0].filename}").data) * 4


def test_an_older_photo_without_a_thumbnail_gets_one_on_first_request(client, upload_folder):
    issue = factories.issue(photos=[prepare_photo(png_with_metadata(), "old.png")])
    path = thumbnail_path(issue.photos[0].filename)
    path.unlink()  # as stored before thumbnails existed
    served = client.get(thumbnail_url(issue))
    assert served.status_code == 200 and path.is_file()
    image = Image.open(io.BytesIO(served.data))
    assert (image.format, image.mode) == ("JPEG", "RGB")  # transparency laid on white


def test_the_command_makes_every_missing_thumbnail(app, upload_folder):
    issues = [factories.issue(photos=[prepare_photo(jpeg_with_gps(), f"{n}.jpg")])
              for n in range(2)]
    paths = [thumbnail_path(issue.photos[0].filename) for issue in issues]
    for path in paths:
        path.unlink()
    result = app.test_cli_runner().invoke(args=["make-thumbnails"])
    assert result.exit_code == 0 and "2 photos have a thumbnail" in result.output
    assert all(path.is_file() for path in paths)


def test_a_hidden_issues_thumbnail_is_for_its_author_and_staff_only_and_never_kept(
        client, auth, citizen):
    issue = factories.issue(citizen, photos=[prepare_photo(jpeg_with_gps(), "a.jpg")])
    issue.hidden_at, issue.hidden_reason = utcnow(), "flagged"
    db.session.commit()
    assert client.get(thumbnail_url(issue)).status_code == 404
    auth.login()
    served = client.get(thumbnail_url(issue))
    assert served.status_code == 200 and served.headers["Cache-Control"] == "private, no-store"


def test_a_thumbnail_url_names_only_that_issues_photos(client):
    issue = factories.issue(photos=[prepare_photo(jpeg_with_gps(), "a.jpg")])
    other = factories.issue(photos=[prepare_photo(jpeg_with_gps(), "b.jpg")])
    assert client.get(f"/issues/{issue.id}/photos/{other.photos[0].filename}/thumbnail"
                      ).status_code == 404
    stem = issue.photos[0].filename.rpartition(".")[0]
    assert client.get(f"/issues/{issue.id}/photos/{stem}.thumb.jpg").status_code == 404
