"""Imports every domain's models so the metadata (and Alembic) sees all tables."""

from .accounts.models import ApiToken, LoginSession, User, UserRole  # noqa: F401
from .audit.models import AuditEvent  # noqa: F401
from .checkin.models import CheckIn, Device  # noqa: F401
from .core.models import Department, District  # noqa: F401
from .core.page_version import PageVersion  # noqa: F401
from .deliberation.models import (  # noqa: F401
    Action,
    AgendaItem,
    AgendaItemIssue,
    Ballot,
    BallotReceipt,
    Contribution,
    Decision,
    DecisionOption,
    HandTally,
    LiveQuestion,
    ProgressPhoto,
    ProgressUpdate,
    QuestionReport,
    QuestionUpvote,
    SolutionOption,
)
from .events.models import Event, EventSession, EventStaff, EventTag, Question  # noqa: F401
from .exhibitions.models import Exhibitor  # noqa: F401
from .feedback.models import (  # noqa: F401
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from .issues.models import (  # noqa: F401
    Category,
    Comment,
    Flag,
    Follow,
    Issue,
    IssuePhoto,
    IssueSdg,
    OfficialAnswer,
    Support,
)
from .moderation.models import Appeal  # noqa: F401
from .notifications.models import (  # noqa: F401
    Notification,
    NotificationPreference,
    OutboxMessage,  # noqa: F401
)
from .registration.models import Answer, Registration, Ticket  # noqa: F401
