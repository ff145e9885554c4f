"""Each open data file is kept compressed beside itself (`issues.json.br`, `issues.json.gz`),
written once when the files are built, so a download is sent compressed without compressing it
again: the issues' JSON of 20,000 issues is 16 MB as it is and a tenth of that compressed.

The encoding is the one Flask-Compress would choose for the client's Accept-Encoding (one rule
for every answer, core/compression.py). Each encoding is its own representation: its own size
(Content-Length) and ETag (the content's tag with the encoding's name: a client holding the
gzip bytes does not get a 304 for the Brotli ones).
"""

import gzip
from pathlib import Path

import brotli

from ..core.compression import negotiated_encoding

SUFFIXES = {"br": ".br", "gzip": ".gz"}
CHUNK = 1 << 16
BROTLI_QUALITY = 5  # as Flask-Compress's answers (COMPRESS_BR_LEVEL): seconds, not minutes
GZIP_LEVEL = 6


def encoded_path(path: Path, encoding: str) -> Path:
    return path.with_name(path.name + SUFFIXES[encoding])


def write_encodings(path: Path) -> dict[str, int]:
    """Write the compressed copies of `path` beside it; {encoding: size in bytes}."""
    brotli_copy, gzip_copy = encoded_path(path, "br"), encoded_path(path, "gzip")
    compressor = brotli.Compressor(quality=BROTLI_QUALITY)
    with open(path, "rb") as source, open(brotli_copy, "wb") as as_brotli, \
            open(gzip_copy, "wb") as gzip_file, \
            gzip.GzipFile(filename="", mode="wb", fileobj=gzip_file, mtime=0,
                          compresslevel=GZIP_LEVEL) as as_gzip:
        while chunk := source.read(CHUNK):
            as_brotli.write(compressor.process(chunk))
            as_gzip.write(chunk)
        as_brotli.write(compressor.finish())
    return {"br": brotli_copy.stat().st_size, "gzip": gzip_copy.stat().st_size}


def chosen_encoding(accept_encoding: str, kept: dict[str, int]) -> str | None:
    """The encoding to send (None: the file as it is)."""
    encoding = negotiated_encoding(accept_encoding)
    return encoding if encoding in kept else None
