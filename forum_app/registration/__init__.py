from . import mail_attachments  # noqa: F401 - registers the attachment builders
