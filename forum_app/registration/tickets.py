"""Ticket codes and their QR images.

A code is a versioned prefix and 128 random bits from the OS CSPRNG in RFC 4648 base32
(A-Z, 2-7), all characters of the QR alphanumeric mode, so the QR stays at version 3 or lower
at error correction M. The code identifies nothing by itself: no name, no event, no sequence.
"""

import base64
import io
import re
import secrets

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M

CODE_PREFIX = "DF1-"
CODE_RANDOM_BYTES = 16  # 128 bits; 26 base32 characters once the padding is dropped
CODE_PATTERN = re.compile(r"^DF1-[A-Z2-7]{26}$")


def new_ticket_code() -> str:
    random_part = base64.b32encode(secrets.token_bytes(CODE_RANDOM_BYTES)).decode().rstrip("=")
    return CODE_PREFIX + random_part


def normalise_code(raw: str) -> str:
    """What a scanner or a person typed, in canonical form (case and spaces forgiven)."""
    return re.sub(r"\s+", "", raw or "").upper()


def looks_like_code(code: str) -> bool:
    return bool(CODE_PATTERN.match(code))


def _qr(code: str) -> qrcode.QRCode:
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(qrcode.util.QRData(code, mode=qrcode.util.MODE_ALPHA_NUM))
    qr.make(fit=True)
    return qr


def qr_version(code: str) -> int:
    return _qr(code).version


def qr_png(code: str, box_size: int = 10) -> bytes:
    qr = _qr(code)
    qr.box_size = box_size
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(code: str) -> str:
    image = _qr(code).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")
