"""Issue photos: checked by content, re-encoded without metadata, stored under random names.

A photo is read whole (at most 5 MB), opened and verified by Pillow, then opened again,
turned upright from its EXIF orientation and saved afresh in the same format family. Only the
pixels survive: EXIF (with GPS), XMP, ICC profiles and text chunks are all dropped.

Each stored photo has a small square thumbnail beside it (`<name>.thumb.jpg`, for the issue
list), made once from the cleaned photo: on upload, or on the first request for a photo stored
before thumbnails existed (or by `flask make-thumbnails`).
"""

import io
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import DomainError

MAX_PHOTOS = 3
MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a 40-megapixel phone photo is the biggest we accept
MAX_SIDE = 2048  # stored photos are scaled down to this, for slow mobile connections
JPEG_QUALITY = 85
THUMBNAIL_SIDE = 160  # pixels of the stored square; drawn at half that for sharp phone screens
THUMBNAIL_SUFFIX = ".thumb.jpg"
FORMATS = {  # Pillow format -> (content type, file extension)
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
CONTENT_TYPES = {ext: content_type for content_type, ext in FORMATS.values()}


class PhotoTooLarge(DomainError):
    """A photo over MAX_PHOTO_BYTES: the request is answered with 413."""


@dataclass(frozen=True)
class PreparedPhoto:
    """A cleaned photo, ready to be written to disk."""

    data: bytes
    content_type: str
    extension: str
    width: int
    height: int

    @property
    def size(self) -> int:
        return len(self.data)


def upload_dir() -> Path:
    root = current_app.config.get("UPLOAD_FOLDER") or Path(current_app.instance_path) / "uploads"
    return Path(root) / "issues"


def photo_path(filename: str) -> Path:
    return upload_dir() / filename


def _stream_size(stream) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _read_limited(upload) -> bytes:
    """The upload's bytes; PhotoTooLarge without reading more than the limit."""
    stream = upload.stream
    try:
        size = _stream_size(stream)
    except (AttributeError, OSError):
        size = None
    if size is not None and size > MAX_PHOTO_BYTES:
        raise _too_large(upload.filename)
    data = stream.read(MAX_PHOTO_BYTES + 1)
    if len(data) > MAX_PHOTO_BYTES:
        raise _too_large(upload.filename)
    return data


def _too_large(filename: str | None) -> PhotoTooLarge:
    return PhotoTooLarge(_l("The photo %(name)s is larger than 5 MB. Please choose a smaller "
                            "photo.", name=filename or ""), "photo_too_large", "photos")


def _not_a_photo(filename: str | None) -> DomainError:
    return DomainError(_l("The file %(name)s is not a JPEG, PNG or WebP photo. Nothing was "
                          "saved.", name=filename or ""), "not_a_photo", "photos")


def chosen_files(uploads) -> list:
    """The file parts a person really chose (a form with no file sends one empty part)."""
    return [upload for upload in uploads or [] if upload is not None and upload.filename]


def prepare_photos(uploads) -> list[PreparedPhoto]:
    """Check and clean every chosen file; DomainError (field "photos") at the first bad one."""
    files = chosen_files(uploads)
    if len(files) > MAX_PHOTOS:
        raise DomainError(_l("You can add at most %(n)d photos.", n=MAX_PHOTOS),
                          "too_many_photos", "photos")
    return [prepare_photo(_read_limited(upload), upload.filename) for upload in files]


def prepare_photo(data: bytes, filename: str | None = None) -> PreparedPhoto:
    if not data:
        raise DomainError(_l("The file %(name)s is empty. Nothing was saved.",
                             name=filename or ""), "empty_photo", "photos")
    if len(data) > MAX_PHOTO_BYTES:
        raise _too_large(filename)
    try:
        # Only the three decoders we accept ever see the bytes.
        with Image.open(io.BytesIO(data), formats=list(FORMATS)) as probe:
            image_format = probe.format
            width, height = probe.size
            probe.verify()
        if width * height > MAX_PIXELS:
            raise DomainError(_l("The photo %(name)s has too many pixels. Please send a "
                                 "smaller photo.", name=filename or ""), "photo_pixels",
                              "photos")
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            return _reencode(image, image_format)
    except DomainError:
        raise
    except UnidentifiedImageError as error:
        raise _not_a_photo(filename) from error
    except Exception as error:  # noqa: BLE001 - a broken file can fail anywhere in a decoder
        current_app.logger.info("Rejected photo %r: %s", filename, error)
        raise _not_a_photo(filename) from error


def _reencode(image: Image.Image, image_format: str) -> PreparedPhoto:
    upright = ImageOps.exif_transpose(image)  # applies the orientation, then drops the tag
    upright.load()
    transparency = upright.info.get("transparency")
    upright.thumbnail((MAX_SIDE, MAX_SIDE))
    upright.info = {}  # Pillow re-writes ICC profiles (PNG) from info: keep nothing
    options: dict = {}
    if image_format == "JPEG":
        if upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        options = {"quality": JPEG_QUALITY, "optimize": True}
    elif image_format == "WEBP":
        if upright.mode not in ("RGB", "RGBA"):
            upright = upright.convert("RGBA" if "A" in upright.getbands() or transparency
                                      is not None else "RGB")
        options = {"quality": JPEG_QUALITY}
    else:
        if upright.mode not in ("1", "L", "LA", "P", "RGB", "RGBA"):
            upright = upright.convert("RGBA")
        if transparency is not None and upright.mode in ("P", "L", "RGB"):
            options = {"transparency": transparency}
        options["optimize"] = True
    out = io.BytesIO()
    upright.save(out, image_format, **options)
    content_type, extension = FORMATS[image_format]
    return PreparedPhoto(out.getvalue(), content_type, extension, *upright.size)


def store_photo(photo: PreparedPhoto) -> str:
    """Write the photo under a new random name; returns the name."""
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    filename = f"{secrets.token_hex(16)}.{photo.extension}"
    temporary = folder / f".{filename}.part"
    temporary.write_bytes(photo.data)
    os.replace(temporary, folder / filename)
    return filename


def thumbnail_path(filename: str) -> Path:
    return upload_dir() / (filename.rpartition(".")[0] + THUMBNAIL_SUFFIX)


def ensure_thumbnail(filename: str) -> Path | None:
    """The thumbnail of a stored photo, made now if it is not there yet; None when the photo
    itself is missing or cannot be read."""
    target = thumbnail_path(filename)
    if target.is_file():
        return target
    source = photo_path(filename)
    if not source.is_file():
        return None
    try:
        with Image.open(source, formats=list(FORMATS)) as image:
            image.load()
            square = ImageOps.fit(_on_white(image), (THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    except (OSError, ValueError) as error:  # a stored photo was re-encoded by us: rare
        current_app.logger.warning("No thumbnail for photo %s: %s", filename, error)
        return None
    out = io.BytesIO()
    square.save(out, "JPEG", quality=80, optimize=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(4)}.part")
    temporary.write_bytes(out.getvalue())
    os.replace(temporary, target)  # two first requests at once: the last one wins, same bytes
    return target


def _on_white(image: Image.Image) -> Image.Image:
    """An RGB copy; a transparent PNG or WebP is laid on white, as a page would show it."""
    if image.mode in ("RGB", "L"):
        return image.convert("RGB")
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def remove_photo_files(filenames) -> None:
    for filename in filenames:
        for path in (photo_path(filename), thumbnail_path(filename)):
            try:
                path.unlink(missing_ok=True)
            except OSError:
                current_app.logger.warning("Could not remove photo file %s", path.name)
