"""A kept page, ready to send to any visitor in any encoding without compressing it again.

The page differs between visitors only by their CSRF token, so it is kept as the parts
between the tokens, and, for gzip and Brotli, as compressed pieces between which each
visitor's token goes as an uncompressed block of its own:
- gzip: each piece ends with a full flush (byte-aligned, history reset), so a stored deflate
  block can sit between two; the trailer's CRC-32 is computed per visitor (microseconds);
- Brotli: a stream cannot be reset, so the pieces are compressed in one stream in which a
  stand-in of the token's length (control bytes: nothing in a page can match them) and the two
  bytes after it were compressed and then left out; the token and those two bytes go in an
  uncompressed meta-block instead, so every later distance and literal context is the same.
  Each Brotli page is checked once, when kept, by decompressing it with a made-up token; a page
  that fails (a page with control bytes in its text) is compressed per visitor, as before.
"""

import base64
import os
import struct
import zlib
from dataclasses import dataclass, field

import brotli

# Stands for the visitor's CSRF token in the kept bytes; NUL never reaches a page (security.py
# refuses it in input), so no content can contain it.
TOKEN_MARKER = b"\x00csrf-token\x00"
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time, unknown OS
# Control bytes no two of which follow each other twice: the Brotli stand-in for a token.
_CONTROL = bytes([*range(1, 9), 11, 12, *range(14, 32)])


def _de_bruijn(symbols: bytes) -> bytes:
    """Every pair of `symbols` exactly once (a de Bruijn sequence of order 2)."""
    k, a, out = len(symbols), [0] * 3, []

    def walk(t: int, p: int) -> None:
        if t > 2:
            if 2 % p == 0:
                out.extend(a[1:p + 1])
            return
        a[t] = a[t - p]
        walk(t + 1, p)
        for j in range(a[t - p] + 1, k):
            a[t] = j
            walk(t + 1, t)

    walk(1, 1)
    return bytes(symbols[i] for i in out)


STAND_IN = _de_bruijn(_CONTROL)  # 729 bytes, no pair twice: 8 tokens of 91 (Flask-WTF's)


@dataclass(frozen=True)
class KeptPage:
    parts: tuple[bytes, ...]  # the page split at its CSRF tokens
    token_length: int  # the length of every visitor's token (Brotli pieces assume it)
    encoded: dict[str, tuple[bytes, ...]] = field(default_factory=dict)  # "gzip", "br"

    @classmethod
    def of(cls, body: bytes, token_length: int, compression: dict) -> "KeptPage":
        """`compression`: Flask-Compress's settings (level, Brotli mode, quality, window)."""
        parts = tuple(body.split(TOKEN_MARKER))
        page = cls(parts, token_length)
        page.encoded["gzip"] = _gzip_pieces(parts, compression["COMPRESS_LEVEL"])
        pieces = _brotli_pieces(parts, token_length, compression)
        if pieces is not None:
            page.encoded["br"] = pieces
        return page

    def body(self, token: bytes) -> bytes:
        return token.join(self.parts)

    def encoded_body(self, encoding: str, token: bytes) -> bytes | None:
        """The page for one visitor in `encoding`; None if it was not kept so."""
        pieces = self.encoded.get(encoding)
        if pieces is None or (encoding == "br" and len(token) != self.token_length):
            return None
        if encoding == "gzip":
            return _gzip_join(self.parts, pieces, token)
        return _brotli_join(self.parts, pieces, token)

    # Redis keeps bytes: the parts and pieces, each with its length in front.
    def dump(self) -> bytes:
        groups = [self.parts, *(self.encoded.get(name, ()) for name in ("gzip", "br"))]
        head = struct.pack("!I", self.token_length) + b"".join(
            struct.pack("!I", len(group)) for group in groups)
        return head + b"".join(struct.pack("!I", len(chunk)) + chunk
                               for group in groups for chunk in group)

    @classmethod
    def load(cls, data: bytes) -> "KeptPage":
        token_length, *counts = struct.unpack_from("!IIII", data)
        offset, groups = 16, []
        for count in counts:
            group = []
            for _ in range(count):
                (size,) = struct.unpack_from("!I", data, offset)
                group.append(data[offset + 4:offset + 4 + size])
                offset += 4 + size
            groups.append(tuple(group))
        encoded = {name: pieces for name, pieces in zip(("gzip", "br"), groups[1:], strict=True)
                   if pieces}
        return cls(groups[0], token_length, encoded)


def _gzip_pieces(parts: tuple[bytes, ...], level: int) -> tuple[bytes, ...]:
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    last = len(parts) - 1
    return tuple(compressor.compress(part)
                 + compressor.flush(zlib.Z_FINISH if n == last else zlib.Z_FULL_FLUSH)
                 for n, part in enumerate(parts))


def _stored_deflate_block(data: bytes) -> bytes:
    return b"\x00" + struct.pack("<HH", len(data), 0xFFFF ^ len(data)) + data


def _gzip_join(parts: tuple[bytes, ...], pieces: tuple[bytes, ...], token: bytes) -> bytes:
    crc, stored = 0, _stored_deflate_block(token)
    for n, part in enumerate(parts):
        crc = zlib.crc32(part, zlib.crc32(token, crc) if n else crc)
    size = sum(map(len, parts)) + len(token) * (len(parts) - 1)
    return (GZIP_HEADER + stored.join(pieces)
            + struct.pack("<II", crc, size & 0xFFFFFFFF))


def _brotli_pieces(parts: tuple[bytes, ...], token_length: int,
                   compression: dict) -> tuple[bytes, ...] | None:
    if any(len(part) < 2 for part in parts[1:]) or token_length * len(parts) > len(STAND_IN):
        return None
    compressor = brotli.Compressor(mode=compression["COMPRESS_BR_MODE"],
                                   quality=compression["COMPRESS_BR_LEVEL"],
                                   lgwin=compression["COMPRESS_BR_WINDOW"],
                                   lgblock=compression["COMPRESS_BR_BLOCK"])
    pieces, last = [], len(parts) - 1
    for n, part in enumerate(parts):
        if n:  # a stand-in of its own: matching an earlier one would change the distances
            compressor.process(STAND_IN[n * token_length:(n + 1) * token_length] + part[:2])
            compressor.flush()  # left out: the token and these two bytes go uncompressed
            part = part[2:]
        pieces.append(compressor.process(part)
                      + (compressor.finish() if n == last else compressor.flush()))
    pieces = tuple(pieces)
    trial = base64.urlsafe_b64encode(os.urandom(token_length))[:token_length]
    try:
        if brotli.decompress(_brotli_join(parts, pieces, trial)) == trial.join(parts):
            return pieces
    except brotli.error:
        pass
    return None


def _uncompressed_meta_block(data: bytes) -> bytes:
    # ISLAST 0, MNIBBLES 4 (code 0), MLEN - 1 in 16 bits, ISUNCOMPRESSED 1, then byte-aligned.
    return ((len(data) - 1) << 3 | 1 << 19).to_bytes(3, "little") + data


def _brotli_join(parts: tuple[bytes, ...], pieces: tuple[bytes, ...], token: bytes) -> bytes:
    out = [pieces[0]]
    for part, piece in zip(parts[1:], pieces[1:], strict=True):
        out += [_uncompressed_meta_block(token + part[:2]), piece]
    return b"".join(out)

