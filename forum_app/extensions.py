"""Flask extensions, created unbound; create_app() binds them."""

import time

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from limits.storage import MemoryStorage
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
mail = Mail()
csrf = CSRFProtect()
babel = Babel()


class ViewLimiter(Limiter):
    """Flask-Limiter, with every limit declared on its view (a decorator, evaluated when the
    view is called). Flask-Limiter also runs a pass before every request for the limits that
    are not on a view (application-wide, default, per-blueprint and meta limits); this app
    declares none, so that pass evaluated nothing and cost every request, pages and scans
    alike, about a tenth of a door scan's CPU. It runs again as soon as any such limit is
    configured (RATELIMIT_DEFAULT, RATELIMIT_APPLICATION, RATELIMIT_META, a limited
    blueprint) or the in-memory fallback is on."""

    def _check_request_limit(self, callable_name: str | None = None,
                             in_middleware: bool = True) -> None:
        if in_middleware and not self._limits_beside_views():
            return
        super()._check_request_limit(callable_name, in_middleware)

    def _limits_beside_views(self) -> bool:
        manager = self.limit_manager
        return bool(manager._application_limits or manager._default_limits  # noqa: SLF001
                    or manager._blueprint_limits or self._meta_limits  # noqa: SLF001
                    or self._in_memory_fallback_enabled)


limiter = ViewLimiter(key_func=get_remote_address)


class SweptMemoryStorage(MemoryStorage):
    """The rate limits' counters in the worker's memory (RATELIMIT_STORAGE_URI "swept://",
    the default without Redis), with the expired ones swept out inline at most once a second.
    limits' own memory storage starts a timer thread for that on every hit that comes 10 ms
    after the last sweep: Thread.start() waits until the new thread runs, so under load each
    rate-limited request (every registration, every scan) waited for the scheduler; profiled,
    that was a tenth of a registration. A counter past its window is never read anyway
    (MemoryStorage.get drops it)."""

    STORAGE_SCHEME = ["swept"]
    SWEEP_SECONDS = 1.0
    _swept_at = 0.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # noqa: N802 - the name it replaces
        now = time.monotonic()
        if now - self._swept_at >= self.SWEEP_SECONDS:
            self._swept_at = now
            self._MemoryStorage__expire_events()
