"""Ticket codes and their QR images.

A code is a versioned prefix and 128 random bits from the OS CSPRNG in RFC 4648 base32
(A-Z, 2-7), all characters of the QR alphanumeric mode, so the QR stays at version 3 or lower
at error correction M. The code identifies nothing by itself: no name, no event, no sequence.
"""

import base64
import re
import secrets

from ..core import qr as core_qr
from ..core.qr import build_qr

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


def qr_version(code: str) -> int:
    return build_qr(code, alphanumeric=True).version


def qr_png(code: str, box_size: int = 10) -> bytes:
    return core_qr.qr_png(code, box_size, alphanumeric=True)


def ticket_qr_data_uri(code: str) -> str:
    return core_qr.qr_data_uri(code, alphanumeric=True)
