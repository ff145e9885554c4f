"""What people and moderators can do: flag once, hide at three flags from confirmed accounts
(unless the issue has an official answer or many supports), hide or restore with a
reason, block a user. Every decision is an audit event and the author is told. The author
may appeal a hiding once: the appeal waits in the queue until a moderator restores the
content or keeps it hidden, with a reason.

flag_count counts the open flags (not yet decided by a moderator); a decision resolves them,
so content that was restored needs three new flags to be hidden again.
"""

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from ..accounts.models import Role, User
from ..accounts.services import set_blocked
from ..audit.services import record_event
from ..core.text import clean_text
from ..database import MAX_ID, begin_write
from ..errors import DomainError
from ..extensions import db
from ..i18n import utcnow
from ..issues.models import FLAG_REASONS, HIDE_AT_FLAGS, Comment, Flag, Issue
from ..issues.services import recount_comments
from .models import KEPT, MAX_APPEAL, RESTORED, Appeal
from .notices import tell_author, tell_blocked

TARGET_MODELS: dict[str, type[Issue] | type[Comment]] = {"issue": Issue, "comment": Comment}
FLAGGED = "flagged"  # hidden_reason of content hidden by flags, pending review
MAX_NOTE = 500
MAX_REASON = 1000
KEEP_VISIBLE_AT_SUPPORTS = 10


def target_type_of(target: Issue | Comment) -> str:
    return "issue" if isinstance(target, Issue) else "comment"


def load_target(target_type: str, target_id: int) -> Issue | Comment | None:
    model = TARGET_MODELS.get(target_type)
    if model is None or not 0 < target_id <= MAX_ID:
        return None  # an id no column can hold is simply not found
    return db.session.get(model, target_id)


def is_pending(target: Issue | Comment) -> bool:
    """Waiting for a moderator: flagged and not yet decided."""
    return target.flag_count > 0


# --- flags -----------------------------------------------------------------------------------

def flag_content(user: User, target_type: str, target_id: int, reason: str,
                 note: str | None = None, now: datetime | None = None) -> Flag:
    """`user` reports an issue or a comment, once. The third open flag hides it."""
    now = now or utcnow()
    model = TARGET_MODELS.get(target_type)
    if model is None:
        raise DomainError(_l("Only issues and comments can be reported."), "bad_target")
    if reason not in FLAG_REASONS:
        raise DomainError(_l("Please choose why you report this."), "bad_reason", "reason")
    note = clean_text(note, "note", MAX_NOTE, single_line=True)
    target = load_target(target_type, target_id)
    if target is None:
        raise DomainError(_l("This no longer exists."), "not_found")
    if target.author_id == user.id:
        raise DomainError(_l("You cannot report what you wrote yourself."), "own_content")
    if target.hidden_at is not None:
        raise DomainError(_l("This is already hidden while the moderators look at it."),
                          "already_hidden")
    if _flag_of(user, target_type, target_id) is not None:
        raise DomainError(_l("You have already reported this. The moderators will look at it."),
                          "already_flagged")
    user_id = user.id
    begin_write()
    flag = Flag(target_type=target_type, target_id=target_id, user_id=user_id, reason=reason,
                note=note, created_at=now)
    db.session.add(flag)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(_l("You have already reported this. The moderators will look at it."),
                          "already_flagged") from None
    db.session.execute(update(model).where(model.id == target_id)
                       .values(flag_count=model.flag_count + 1)
                       .execution_options(synchronize_session=False))
    target = db.session.get(model, target_id)
    db.session.refresh(target)
    if _hides_on_its_own(target):
        _hide_pending_review(target, now)
    db.session.commit()
    return flag


def _hides_on_its_own(target: Issue | Comment) -> bool:
    """Three open flags from confirmed accounts hide content until a moderator decides (a
    throwaway sign-up's flag reaches the moderators' queue but hides nothing). An issue with an
    official answer, or with KEEP_VISIBLE_AT_SUPPORTS supports, is never hidden by flags: it
    waits in the queue, visible, for a moderator."""
    if target.flag_count < HIDE_AT_FLAGS:
        return False
    if isinstance(target, Issue) and (target.support_count >= KEEP_VISIBLE_AT_SUPPORTS
                                      or target.answers):
        return False
    confirmed = db.session.scalar(
        select(func.count(Flag.id)).join(User, User.id == Flag.user_id)
        .where(Flag.target_type == target_type_of(target), Flag.target_id == target.id,
               Flag.resolved_at.is_(None), User.email_verified_at.is_not(None)))
    return confirmed >= HIDE_AT_FLAGS


def _flag_of(user: User, target_type: str, target_id: int) -> Flag | None:
    return db.session.scalar(select(Flag).where(
        Flag.target_type == target_type, Flag.target_id == target_id, Flag.user_id == user.id))


def _hide_pending_review(target: Issue | Comment, now: datetime) -> None:
    model = type(target)
    hidden = db.session.execute(
        update(model).where(model.id == target.id, model.hidden_at.is_(None))
        .values(hidden_at=now, hidden_reason=FLAGGED)
        .execution_options(synchronize_session=False))
    if hidden.rowcount != 1:
        return  # someone else's flag hid it a moment ago
    db.session.refresh(target)
    _recount_if_comment(target)
    record_event(None, target, "moderation.auto_hidden", before={"hidden": False},
                 after={"hidden": True, "flags": target.flag_count}, reason=FLAGGED)
    tell_author(target, "hidden_pending", None)


# --- moderators' decisions -------------------------------------------------------------------

def _check_moderator(actor: User) -> None:
    if not actor.has_role(Role.MODERATOR):
        raise DomainError(_l("Only moderators can do this."), "forbidden")


def _required_reason(reason: str | None) -> str:
    reason = clean_text(reason, "reason", MAX_REASON) or ""
    if not reason:
        raise DomainError(_l("Please give a reason."), "reason_required", "reason")
    return reason


def _recount_if_comment(target: Issue | Comment) -> None:
    """The issue's comment count is of visible comments: a hidden or restored one changes it."""
    if isinstance(target, Comment):
        recount_comments(target.issue_id)


def _resolve_flags(target: Issue | Comment, now: datetime) -> int:
    result = db.session.execute(
        update(Flag).where(Flag.target_type == target_type_of(target), Flag.target_id == target.id,
                           Flag.resolved_at.is_(None))
        .values(resolved_at=now).execution_options(synchronize_session=False))
    return result.rowcount


def hide_content(actor: User, target: Issue | Comment, reason: str,
                 now: datetime | None = None) -> Issue | Comment:
    """A moderator hides an issue or a comment from the public, with a reason."""
    _check_moderator(actor)
    reason = _required_reason(reason)
    now = now or utcnow()
    was_hidden = target.hidden_at is not None
    appeal = open_appeal(target)
    if (was_hidden and target.hidden_reason != FLAGGED and not is_pending(target)
            and appeal is None):
        raise DomainError(_l("This is already hidden."), "already_hidden")
    before = {"hidden": was_hidden, "pending": target.hidden_reason == FLAGGED}
    target.hidden_at = target.hidden_at or now  # the same hiding: appealed once at most
    target.hidden_reason = reason
    target.flag_count = 0
    resolved = _resolve_flags(target, now)
    _recount_if_comment(target)
    _answer_appeal(appeal, actor, KEPT, reason, now)
    record_event(actor, target, "moderation.hidden", before=before,
                 after=_decision_after(True, resolved, appeal), reason=reason)
    tell_author(target, "appeal_refused" if appeal else "hidden", reason)
    db.session.commit()
    return target


def restore_content(actor: User, target: Issue | Comment, reason: str,
                    now: datetime | None = None) -> Issue | Comment:
    """A moderator shows hidden content again, or keeps reported content visible."""
    _check_moderator(actor)
    reason = _required_reason(reason)
    now = now or utcnow()
    was_hidden = target.hidden_at is not None
    if not was_hidden and not is_pending(target):
        raise DomainError(_l("This is visible and nobody has reported it."), "not_hidden")
    before = {"hidden": was_hidden, "pending": target.hidden_reason == FLAGGED}
    appeal = _answer_appeal(open_appeal(target), actor, RESTORED, reason, now)
    target.hidden_at = None
    target.hidden_reason = None
    target.flag_count = 0
    resolved = _resolve_flags(target, now)
    _recount_if_comment(target)
    record_event(actor, target, "moderation.restored", before=before,
                 after=_decision_after(False, resolved, appeal), reason=reason)
    if was_hidden:  # the author was told it was hidden; reported-only content they never knew
        tell_author(target, "restored", reason)
    db.session.commit()
    return target


def _decision_after(hidden: bool, flags_resolved: int, appeal: Appeal | None) -> dict:
    after = {"hidden": hidden, "flags_resolved": flags_resolved}
    return after | {"appeal": appeal.id} if appeal else after


# --- appeals ---------------------------------------------------------------------------------

NOTHING_TO_APPEAL = _l("This is visible to everyone: there is nothing to appeal.")
ALREADY_APPEALED = _l("You have already appealed this decision. A moderator reviews each "
                      "hiding once; we tell you what they decide.")


def appeal_of(target: Issue | Comment) -> Appeal | None:
    """The author's appeal against the current hiding of `target`, open or decided."""
    if target.hidden_at is None:
        return None
    return db.session.scalar(select(Appeal).where(
        Appeal.target_type == target_type_of(target), Appeal.target_id == target.id,
        Appeal.hidden_at == target.hidden_at))


def open_appeal(target: Issue | Comment) -> Appeal | None:
    appeal = appeal_of(target)
    return appeal if appeal is not None and appeal.is_open else None


def _answer_appeal(appeal: Appeal | None, actor: User, outcome: str, reason: str,
                   now: datetime) -> Appeal | None:
    if appeal is not None:
        appeal.decided_at, appeal.decided_by_id = now, actor.id
        appeal.outcome, appeal.decision_reason = outcome, reason
    return appeal


def appeal_hiding(user: User, target: Issue | Comment, text: str,
                  now: datetime | None = None) -> Appeal:
    """The author asks the moderators to show their hidden issue or comment again, once per
    hiding. It goes back to the moderators' queue, marked as an appeal."""
    if target.author_id is None or target.author_id != user.id:
        raise DomainError(_l("Only the author can appeal."), "forbidden")
    if target.hidden_at is None:
        raise DomainError(NOTHING_TO_APPEAL, "not_hidden")
    text = clean_text(text, "text", MAX_APPEAL,
                      required=_l("Please tell the moderators why it should be shown."))
    if appeal_of(target) is not None:
        raise DomainError(ALREADY_APPEALED, "already_appealed")
    user_id, hidden_at = user.id, target.hidden_at
    begin_write()
    appeal = Appeal(target_type=target_type_of(target), target_id=target.id,
                    hidden_at=hidden_at, user_id=user_id, text=text, created_at=now or utcnow())
    db.session.add(appeal)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        raise DomainError(ALREADY_APPEALED, "already_appealed") from None
    record_event(user, target, "moderation.appealed", before={"hidden": True},
                 after={"appeal": appeal.id}, reason=text)
    db.session.commit()
    return appeal


def block_user(actor: User, user: User, reason: str) -> User:
    """A moderator blocks an abuser: signed out everywhere, cannot sign in; they are told."""
    _check_moderator(actor)
    reason = _required_reason(reason)
    if actor.id == user.id:
        raise DomainError(_l("You cannot block yourself."), "self_block")
    staff = {Role.ADMIN.value, Role.MODERATOR.value} & user.roles
    if staff and Role.ADMIN.value not in actor.roles:
        raise DomainError(_l("Only an administrator can block a moderator or an "
                             "administrator."), "forbidden")
    if user.blocked_at is not None:
        raise DomainError(_l("This account is already blocked."), "already_blocked")
    tell_blocked(user, reason)  # committed by set_blocked, together with the block
    try:
        return set_blocked(actor, user, True, reason)
    except DomainError:
        db.session.rollback()
        raise
