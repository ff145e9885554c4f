"""Citizens' issues: submission, search, supports, follows, comments and their lifecycle."""

from . import (
    privacy,  # noqa: F401 - answers "My data" and erasure requests
    search,  # noqa: F401 - attaches the full-text DDL to the issues table
)
