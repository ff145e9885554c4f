from . import privacy  # noqa: F401 - answers "My data" and erasure requests
