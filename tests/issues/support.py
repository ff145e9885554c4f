"""Helpers for the issue tests: real images made with Pillow, and reading pages."""

import io
import os

from PIL import ExifTags, Image

GPS_LATITUDE = ((49, 1), (28, 1), (0, 1))






def exif_with_gps(orientation: int | None = None) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhonePhone"
    exif[ExifTags.Base.Model] = "Cheap Android 7"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (49.0, 28.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (105.0, 57.0, 0.0)
    return exif


def jpeg_with_gps(size=(64, 48), orientation: int | None = None) -> bytes:
    """A real small JPEG from a phone: EXIF with GPS position, camera model, orientation."""
    image = Image.new("RGB", size, (200, 40, 30))
    image.paste((20, 90, 200), (0, 0, size[0] // 2, size[1] // 3))  # a blue top-left corner
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, exif=exif_with_gps(orientation).tobytes())
    return out.getvalue()


def png_with_metadata() -> bytes:
    from PIL import ImageCms, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address: 5th khoroo, building 12")
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    Image.new("RGBA", (40, 30), (0, 128, 0, 128)).save(
        out, "PNG", pnginfo=info, icc_profile=profile, exif=exif_with_gps().tobytes())
    return out.getvalue()


def webp_with_gps() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (50, 40), (10, 10, 10)).save(out, "WEBP",
                                                  exif=exif_with_gps().tobytes())
    return out.getvalue()


def gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (10, 10)).save(out, "GIF")
    return out.getvalue()


def big_png(min_bytes: int = 6 * 1024 * 1024) -> bytes:
    """A real PNG of noise, which does not compress: just over `min_bytes`."""
    side = int((min_bytes / 3) ** 0.5) + 16
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=1)
    data = out.getvalue()
    assert len(data) > min_bytes
    return data


PHP_AS_JPEG = b"<?php echo shell_exec($_GET['cmd']); ?>\n"


def upload(data: bytes, filename: str, content_type: str = "image/jpeg"):
    return (io.BytesIO(data), filename, content_type)


def stored_files(folder) -> list:
    issues = folder / "issues"
    return sorted(p for p in issues.iterdir()) if issues.exists() else []


def issue_form(**overrides) -> dict:
    """What the "Raise an issue" form sends, filled in; `overrides` change or add fields."""
    from tests import factories

    return {"title": "Хогийн цэг дүүрсэн байна", "description": "Гурав хоног ачаагүй, "
            "үнэртэж байна.", "category_id": str(factories.category().id), "district_id": "",
            "place_description": "", "action": "submit"} | overrides
