"""One token hash: what the database keeps instead of a secret token (manage links, survey
links, device tokens, ticket codes in an offline pack)."""

import hashlib


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
