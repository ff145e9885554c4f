"""Attachments are described in the outbox row and built when the message is sent.

A domain registers a builder for a kind: builder(spec: dict) -> list[Attachment]. An inline
attachment has a content id that the HTML body references as "cid:<content_id>".
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes
    content_id: str | None = None  # set: shown inline in the HTML body


_builders: dict[str, Callable[[dict], list[Attachment]]] = {}


def register_attachment(kind: str):
    def decorator(builder: Callable[[dict], list[Attachment]]):
        _builders[kind] = builder
        return builder

    return decorator


def build_attachments(specs: list[dict]) -> list[Attachment]:
    built: list[Attachment] = []
    for spec in specs or []:
        builder = _builders.get(spec.get("kind"))
        if builder is None:
            raise LookupError(f"no attachment builder for {spec.get('kind')!r}")
        built.extend(builder(spec))
    return built
