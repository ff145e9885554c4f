"""A fake camera for headless Chromium: a YUV4MPEG2 (.y4m) file that Chromium plays, looping,
as the webcam when started with --use-file-for-fake-video-capture=<file>."""

import io
from pathlib import Path

from PIL import Image

from forum_app.registration.tickets import qr_png

WIDTH, HEIGHT, FPS = 640, 480, 10


def fake_camera_args(path: Path) -> list[str]:
    return ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={path}"]


def ticket_frame(code: str) -> Image.Image:
    """The ticket's QR, as a phone shows it, held up in the middle of a white frame."""
    qr = Image.open(io.BytesIO(qr_png(code))).convert("L")
    frame = Image.new("L", (WIDTH, HEIGHT), 255)
    frame.paste(qr, ((WIDTH - qr.width) // 2, (HEIGHT - qr.height) // 2))
    return frame


def blank_frame() -> Image.Image:
    return Image.new("L", (WIDTH, HEIGHT), 255)


def _yuv420(frame: Image.Image) -> bytes:
    """A grey picture in 4:2:0: the luma plane as is, both chroma planes neutral."""
    luma = frame.convert("L").tobytes()
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    return luma + chroma + chroma


def write_y4m(path: Path, frames: list[Image.Image], fps: int = FPS) -> Path:
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame in frames:
            out.write(b"FRAME\n")
            out.write(_yuv420(frame))
    return path
