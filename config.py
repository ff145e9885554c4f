"""Configuration classes, every value overridable from the environment."""

import os
import secrets
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("FORUM_INSTANCE_PATH", BASE_DIR / "instance"))
DEFAULT_SECRET = "change-me"  # noqa: S105 - sentinel that production refuses


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def dev_secret_key() -> str:
    """Generate a secret once and keep it in instance/ so sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def host_list(value: str | None) -> list[str] | None:
    """'a.mn, b.mn' -> ['a.mn', 'b.mn']; unset -> None (any host)."""
    if value is None or not value.strip():
        return None
    return [host.strip() for host in value.split(",") if host.strip()]


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET)
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'forum_app.sqlite'}"
    )
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # SQLite: the longest a write waits for the writers' queue before a 503 (database.py).
    SQLITE_WRITERS_WAIT_SECONDS = float(os.environ.get("SQLITE_WRITERS_WAIT_SECONDS", "15"))
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024
    # Uploaded files (issue photos under <UPLOAD_FOLDER>/issues/); <instance_path>/uploads.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or str(INSTANCE_DIR / "uploads")

    # How long after publishing a comment its author may still edit or delete it.
    COMMENT_EDIT_MINUTES = int(os.environ.get("COMMENT_EDIT_MINUTES", "15"))

    BABEL_DEFAULT_LOCALE = "mn"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ulaanbaatar"
    LANGUAGES = ("mn", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = 8 * 3600

    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_DEFAULT_SENDER = os.environ.get(
        "MAIL_DEFAULT_SENDER", "Darkhan Forum <no-reply@forum.darkhan-uul.gov.mn>"
    )
    # "inline": deliver the outbox at the end of the request that filled it;
    # "worker": leave it to `flask send-mail --loop` (a separate process).
    MAIL_DELIVERY = os.environ.get("MAIL_DELIVERY", "inline")
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))

    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", True)
    # Redis when REDIS_URL is set (counters shared by every worker); else each worker counts
    # in its own memory (extensions.SweptMemoryStorage), so with N workers a client may get up
    # to N times a limit before every worker has refused it.
    RATELIMIT_STORAGE_URI = os.environ.get("REDIS_URL", "swept://")
    RATELIMIT_HEADERS_ENABLED = True
    # Failed sign-ins per (account, client address) pair, and per address over all accounts.
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "5 per 15 minutes")
    # One phone at a gate scans about one ticket a second; far more is a script guessing codes.
    SCAN_RATE_LIMIT = os.environ.get("SCAN_RATE_LIMIT", "120 per minute")
    # Registrations one network (IPv4 /24, IPv6 /64) may make for one event, form and API each.
    REGISTRATION_NETWORK_LIMIT = os.environ.get("REGISTRATION_NETWORK_LIMIT", "10 per hour")
    # A seat taken by someone whose e-mail is not proven is held this long for the link in
    # the mail to confirm it; then it goes back (SECURITY.md, "Fake registrations").
    REGISTRATION_HOLD_MINUTES = int(os.environ.get("REGISTRATION_HOLD_MINUTES", "30"))
    # How often one registration's confirmation mail may be sent again from its page.
    CONFIRMATION_RESEND_LIMIT = os.environ.get("CONFIRMATION_RESEND_LIMIT", "3 per hour")
    # "Lost your ticket?": how often the links may be asked for one address or phone number,
    # and from one network (IPv4 /24, IPv6 /64) over all addresses.
    LOST_TICKET_ADDRESS_LIMIT = os.environ.get("LOST_TICKET_ADDRESS_LIMIT", "3 per hour")
    LOST_TICKET_NETWORK_LIMIT = os.environ.get("LOST_TICKET_NETWORK_LIMIT", "10 per hour")
    LOGIN_ADDRESS_FAILURE_LIMIT = os.environ.get("LOGIN_ADDRESS_FAILURE_LIMIT",
                                                 "30 per 15 minutes")

    # The reports dashboard's figures of a period are counted at most once this often per
    # worker (aggregating a year of registrations and check-ins is the costly part); 0: always.
    REPORTS_CACHE_SECONDS = int(os.environ.get("REPORTS_CACHE_SECONDS", "60"))
    # Open data (/open-data): the files are kept here, rebuilt when the public record changed,
    # at most once every OPEN_DATA_SECONDS.
    OPEN_DATA_FOLDER = os.environ.get("OPEN_DATA_FOLDER") or str(INSTANCE_DIR / "open-data")
    OPEN_DATA_SECONDS = int(os.environ.get("OPEN_DATA_SECONDS", "300"))
    # "background": out-of-date files are rebuilt in a thread while the last ones are sent;
    # "request": in the request that finds them out of date (opendata/files.py).
    OPEN_DATA_REBUILD = os.environ.get("OPEN_DATA_REBUILD", "background")
    # A check-in device's token is looked up at most this often per worker; a revoked device
    # stops working within this time. 0: on every request.
    DEVICE_CACHE_SECONDS = float(os.environ.get("DEVICE_CACHE_SECONDS", "3"))

    # Public pages for visitors not signed in are served from a cache (core/page_cache.py) that
    # every write they may show drops at once; what they say relative to now ("registration
    # closed", "started") is at most this old. 0: no cache. Kept in Redis when REDIS_URL is
    # set, else in each worker, at most PAGE_CACHE_ENTRIES pages.
    PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "60"))
    PAGE_CACHE_ENTRIES = int(os.environ.get("PAGE_CACHE_ENTRIES", "500"))
    PAGE_CACHE_REDIS_URL = os.environ.get("REDIS_URL") or None

    ARGON2_PARAMS: dict = {}  # argon2-cffi's defaults (RFC 9106 low-memory profile)
    # Every link that leaves the request (mail, API answers, calendars, PDFs) is built on this
    # address, never on the request's Host header, which whoever sends the request chooses.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")
    # Requests naming another host get 400; production defaults to PUBLIC_BASE_URL's host.
    TRUSTED_HOSTS = host_list(os.environ.get("TRUSTED_HOSTS"))
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))  # nginx in front: 1
    HSTS = False
    TOKEN_MAX_AGE_VERIFY = 3 * 24 * 3600
    TOKEN_MAX_AGE_RESET = 3600
    # A new e-mail address takes effect once confirmed from the link sent to it; the old
    # address is told, with a link that undoes the change for a week.
    TOKEN_MAX_AGE_EMAIL_CHANGE = 3 * 24 * 3600
    TOKEN_MAX_AGE_EMAIL_UNDO = 7 * 24 * 3600
    # `flask purge-expired` erases the personal answers of registrations this many months
    # after their event ended (the privacy notice promises it); statistics stay.
    REGISTRATION_RETENTION_MONTHS = int(os.environ.get("REGISTRATION_RETENTION_MONTHS", "12"))

    # Compression of text answers (forum_app/core/compression.py, Flask-Compress): Brotli or
    # gzip, whichever the client prefers; never bodies under 500 bytes or streamed ones (the
    # exports stream so their first byte leaves at once); PNG, JPEG, PDF, XLSX are already
    # compressed. Static files come compressed from forum_app/core/static_files.py.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_BR_LEVEL = 5
    COMPRESS_LEVEL = 6
    COMPRESS_MIN_SIZE = 500
    COMPRESS_STREAMS = False
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "image/svg+xml", "text/plain", "text/csv",
                          "text/calendar", "application/xml", "application/manifest+json"]


class DevelopmentConfig(Config):
    # Filled by create_app() from instance/secret_key when SECRET_KEY is not set.
    SECRET_KEY = os.environ.get("SECRET_KEY")


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "testing-secret"  # noqa: S105
    WTF_CSRF_ENABLED = env_bool("WTF_CSRF_ENABLED", False)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", "sqlite://")
    RATELIMIT_ENABLED = env_bool("RATELIMIT_ENABLED", False)
    REPORTS_CACHE_SECONDS = 0  # every test sees the figures of what it just built
    DEVICE_CACHE_SECONDS = 0  # likewise a device revoked a moment ago (its own test sets it)
    OPEN_DATA_FOLDER = ""  # a temporary folder per app: each test's files are its own
    OPEN_DATA_REBUILD = "request"  # tests that follow a change read the new files at once
    MAIL_SERVER = ""
    PUBLIC_BASE_URL = "http://localhost"  # the test client's host
    MAIL_SUPPRESS_SEND = False  # tests deliver to a real SMTP server on loopback
    # Cheap hashing: the suite creates hundreds of accounts; strength is not under test.
    ARGON2_PARAMS = {"time_cost": 1, "memory_cost": 8, "parallelism": 1}
    # Test uploads stay out of the real instance folder.
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or str(
        Path(tempfile.gettempdir()) / "forum_app_test_uploads")


class ProductionConfig(Config):
    FORUM_ENV = "production"  # seed-demo refuses to run
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    REMEMBER_COOKIE_SECURE = True
    HSTS = True
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")  # required: create_app refuses ""
    MAIL_DELIVERY = os.environ.get("MAIL_DELIVERY", "worker")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None = None) -> type[Config]:
    return CONFIGS[name or os.environ.get("FORUM_ENV", "development")]
