"""Citizens' issues: submission, search, supports, follows, comments and their lifecycle."""

from . import search  # noqa: F401 - attaches the full-text DDL to the issues table
