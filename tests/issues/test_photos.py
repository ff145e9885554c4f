"""Photos are checked by their content, re-encoded without metadata, and never trusted by
their name."""

import io

import pytest
from PIL import ExifTags, Image

from forum_app.errors import DomainError
from forum_app.issues.photos import (
    MAX_PHOTO_BYTES,
    MAX_SIDE,
    PhotoTooLarge,
    prepare_photo,
    prepare_photos,
)
from tests.issues.support import (
    PHP_AS_JPEG,
    big_png,
    gif,
    jpeg_with_gps,
    png_with_metadata,
    webp_with_gps,
)


def opened(photo) -> Image.Image:
    return Image.open(io.BytesIO(photo.data))


def test_the_test_jpeg_really_carries_a_gps_position():
    exif = Image.open(io.BytesIO(jpeg_with_gps())).getexif()
    assert exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitudeRef] == "N"


def test_a_jpeg_is_reencoded_as_jpeg_without_exif_or_gps(app):
    photo = prepare_photo(jpeg_with_gps(), "IMG_0001.jpg")
    image = opened(photo)
    assert (photo.content_type, photo.extension, image.format) == ("image/jpeg", "jpg", "JPEG")
    assert (photo.width, photo.height) == (64, 48) == image.size
    assert len(image.getexif()) == 0
    assert not {"exif", "icc_profile", "xmp"} & set(image.info)
    assert b"PhonePhone" not in photo.data and b"Exif" not in photo.data


def test_the_orientation_is_applied_before_the_metadata_goes(app):
    # Orientation 6: the camera held sideways; the picture must come out upright (portrait).
    photo = prepare_photo(jpeg_with_gps(size=(60, 30), orientation=6), "sideways.jpg")
    image = opened(photo).convert("RGB")
    assert image.size == (30, 60)
    assert len(image.getexif()) == 0
    # The blue corner was top-left; after turning 90° clockwise it is top-right.
    red, green, blue = image.getpixel((27, 3))
    assert blue > 150 and red < 100


def test_a_png_keeps_its_format_and_loses_icc_text_and_exif(app):
    photo = prepare_photo(png_with_metadata(), "screenshot.png")
    image = opened(photo)
    assert (photo.content_type, image.format, image.mode) == ("image/png", "PNG", "RGBA")
    assert not {"icc_profile", "exif", "Comment"} & set(image.info)
    assert b"home address" not in photo.data


def test_a_webp_stays_webp_without_exif(app):
    photo = prepare_photo(webp_with_gps(), "photo.webp")
    image = opened(photo)
    assert (photo.extension, image.format) == ("webp", "WEBP")
    assert "exif" not in image.info and len(image.getexif()) == 0


def test_a_huge_photo_is_scaled_down_for_slow_connections(app):
    out = io.BytesIO()
    Image.new("RGB", (4000, 1000), (1, 2, 3)).save(out, "JPEG")
    photo = prepare_photo(out.getvalue(), "panorama.jpg")
    assert (photo.width, photo.height) == (MAX_SIDE, MAX_SIDE // 4)


@pytest.mark.parametrize(("data", "name", "code"), [
    (PHP_AS_JPEG, "shell.jpg", "not_a_photo"),
    (b"", "empty.jpg", "empty_photo"),
    (gif(), "animation.gif", "not_a_photo"),
    (jpeg_with_gps()[:200], "cut-off.jpg", "not_a_photo"),
    (b"%PDF-1.4\n" + b"0" * 100, "scan.png", "not_a_photo"),
])
def test_files_that_are_not_photos_are_refused_with_their_name(app, data, name, code):
    with pytest.raises(DomainError) as error:
        prepare_photo(data, name)
    assert error.value.code == code and error.value.field == "photos"
    assert name in str(error.value.message)


def test_php_hidden_after_a_real_jpeg_does_not_survive(app):
    photo = prepare_photo(jpeg_with_gps() + PHP_AS_JPEG, "polyglot.jpg")
    assert b"<?php" not in photo.data


def test_over_five_megabytes_is_too_large(app):
    data = big_png()
    assert len(data) > MAX_PHOTO_BYTES
    with pytest.raises(PhotoTooLarge):
        prepare_photo(data, "big.png")


def test_at_most_three_photos(app):
    from werkzeug.datastructures import FileStorage

    files = [FileStorage(io.BytesIO(jpeg_with_gps()), f"{n}.jpg") for n in range(4)]
    with pytest.raises(DomainError) as error:
        prepare_photos(files)
    assert error.value.code == "too_many_photos"
    # The empty part a form sends when no file was chosen is not a photo.
    assert prepare_photos([FileStorage(io.BytesIO(b""), "")]) == []
