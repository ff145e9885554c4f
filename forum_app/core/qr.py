"""QR images: one way to draw them, at error correction M (readable on a cracked screen)."""

import base64
import io

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def build_qr(data: str, *, alphanumeric: bool = False) -> qrcode.QRCode:
    """`alphanumeric`: one segment in the QR alphanumeric mode (A-Z, 0-9, space $%*+-./:),
    the smallest QR for a ticket code."""
    qr = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=10, border=4)
    qr.add_data(qrcode.util.QRData(data, mode=qrcode.util.MODE_ALPHA_NUM) if alphanumeric
                else data)
    qr.make(fit=True)
    return qr


def qr_png(data: str, box_size: int = 10, *, alphanumeric: bool = False) -> bytes:
    qr = build_qr(data, alphanumeric=alphanumeric)
    qr.box_size = box_size
    buffer = io.BytesIO()
    qr.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


def qr_svg(data: str, *, alphanumeric: bool = False) -> str:
    image = build_qr(data, alphanumeric=alphanumeric).make_image(
        image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def qr_data_uri(data: str, *, alphanumeric: bool = False) -> str:
    """An SVG QR to put straight into an <img src>."""
    svg = qr_svg(data, alphanumeric=alphanumeric)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()
