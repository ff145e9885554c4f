from . import (
    mail_attachments,  # noqa: F401 - registers the attachment builders
    privacy,  # noqa: F401 - answers "My data" and erasure requests
)
