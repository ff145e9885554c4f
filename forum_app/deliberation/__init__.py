"""The forum record: how each discussion moved from a problem to a solution and on to
its implementation."""
from . import privacy  # noqa: F401 - answers "My data" and erasure requests
