"""Sign-up, sign-in, e-mail verification, password reset and the profile page."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import refresh as refresh_locale
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user, logout_user

from ..core.forms import perform
from ..core.reference import PRIVACY_NOTICE_VERSION
from ..core.signals import language_chosen
from ..core.urls import safe_next
from ..errors import DomainError
from ..extensions import limiter
from ..i18n import LANG_COOKIE, set_language_cookie
from . import services
from .forms import (
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    SignupForm,
)

bp = Blueprint("accounts", __name__, url_prefix="/account")
SESSION_TOKEN_KEY = "login_session"  # noqa: S105  # nosec B105  # a session key name
FORGET_TICKETS_KEY = "forget_offline_tickets"


@bp.app_context_processor
def signed_out_context():
    """base.html asks, once, whether this is the first page after signing out: then it runs
    static/js/signed-out.js, which removes the ticket pages kept on the phone for offline use."""
    return {"forget_offline_tickets": lambda: session.pop(FORGET_TICKETS_KEY, False)}


def _signed_out() -> None:
    """Ends the session in this browser; the next page clears the phone's offline tickets."""
    logout_user()
    session.clear()
    session[FORGET_TICKETS_KEY] = True


@language_chosen.connect
def remember_language(sender, language: str) -> None:
    """The language switch: a signed-in person keeps the choice on their profile."""
    if current_user.is_authenticated:
        services.set_language(current_user, language)


def _login_failed(response) -> bool:
    """Only failed sign-in attempts count against the throttle."""
    return request.method == "POST" and response.status_code != 302


def _login_limit() -> str:
    return current_app.config["LOGIN_FAILURE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_FAILURE_LIMIT"]


def _login_pair() -> str:
    """Failures count per account and client address together: wrong passwords from one
    address never lock the right one out from another (no one can lock anyone out)."""
    email = services.normalise_email(request.form.get("email", ""))[:254]
    return f"login:{email}:{get_remote_address()}"


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = SignupForm()
    if request.method == "GET":
        form.language.data = str(request.cookies.get(LANG_COOKIE) or "mn")
    if perform(form, lambda: services.sign_up(
            email=form.email.data, password=form.password.data, name=form.name.data,
            phone=form.phone.data, language=form.language.data,
            stakeholder_kind=form.stakeholder_kind.data, organisation=form.organisation.data,
            district_id=form.district_id.data, consent_version=PRIVACY_NOTICE_VERSION)):
        # The same answer whether the address was free or already had an account.
        flash(_("We have sent a message to %(email)s. Open it to confirm your address, then "
                "sign in here.", email=services.normalise_email(form.email.data)), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/signup.html", form=form), 200 if not form.errors else 422


def _begin_session(user, remember: bool = False) -> None:
    """A new session on every sign-in (no fixation). It ends when the browser closes unless
    the person asked to be remembered: only then is the cookie kept for
    PERMANENT_SESSION_LIFETIME."""
    session.clear()
    session[SESSION_TOKEN_KEY] = services.start_login_session(
        user, request.headers.get("User-Agent"))
    session.permanent = remember
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_address_limit, methods=["POST"], deduct_when=_login_failed)
@limiter.limit(_login_limit, methods=["POST"], deduct_when=_login_failed, key_func=_login_pair)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as error:
            flash(str(error.message), "error")
        else:
            _begin_session(user, remember=bool(form.remember.data))
            flash(_("You are signed in."), "success")
            return redirect(safe_next(request.args.get("next")))
    status = 200 if request.method == "GET" else 401
    return render_template("accounts/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
def logout():
    services.end_login_session(session.get(SESSION_TOKEN_KEY))
    _signed_out()
    flash(_("You are signed out."), "success")
    return redirect(url_for("home.index"))


@bp.route("/verify/<token>")
def verify_email(token: str):
    # Following the link is idempotent: it confirms the address and changes nothing else.
    try:
        services.verify_email(token)
    except DomainError as error:
        flash(str(error.message), "error")
        return render_template("accounts/verify_failed.html"), 400
    flash(_("Thank you, your e-mail address is confirmed."), "success")
    return redirect(url_for("accounts.profile" if current_user.is_authenticated
                            else "accounts.login"))


@bp.route("/verify/resend", methods=["POST"])
@login_required
@limiter.limit("5 per hour")
def resend_verification():
    try:
        services.resend_verification(current_user)
    except DomainError as error:
        flash(str(error.message), "error")
    else:
        flash(_("We have sent a new confirmation link to %(email)s.", email=current_user.email),
              "success")
    return redirect(url_for("accounts.profile"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit("5 per 15 minutes", methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        flash(_("If an account exists for that address, we have sent it a link to choose a new "
                "password. The link works once, for one hour."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def reset_password(token: str):
    try:
        services.user_for_reset_token(token)
    except DomainError as error:
        flash(str(error.message), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if perform(form, lambda: services.reset_password(token, form.password.data)):
        _signed_out()
        flash(_("Your password has been changed. Please sign in."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@bp.route("/", methods=["GET", "POST"])
@login_required
def profile():
    form = ProfileForm(obj=current_user)
    done = perform(form, lambda: services.update_profile(current_user, {
        field: getattr(form, field).data for field in services.PROFILE_FIELDS},
        form.current_password.data))
    if done:
        refresh_locale()  # the confirmation speaks the language just chosen
        flash(_("Your profile has been saved."), "success")
        if done.value:  # a new e-mail address waits for its confirmation
            flash(_("We have sent a confirmation link to %(email)s. Your address changes "
                    "when you open it.", email=done.value), "success")
        response = redirect(url_for("accounts.profile"))
        set_language_cookie(response, current_user.language)
        return response
    return render_template("accounts/profile.html", form=form,
                           password_form=ChangePasswordForm())


@bp.route("/password", methods=["POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if perform(form, lambda: services.change_password(current_user, form.current_password.data,
                                                      form.password.data,
                                                      session.get(SESSION_TOKEN_KEY))):
        flash(_("Your password has been changed. You have been signed out everywhere else."),
              "success")
        return redirect(url_for("accounts.profile"))
    return render_template("accounts/profile.html", form=ProfileForm(obj=current_user),
                           password_form=form), 422


@bp.route("/sessions/end", methods=["POST"])
@login_required
def end_all_sessions():
    """Sign out everywhere, this browser too."""
    services.end_all_sessions(current_user)
    _signed_out()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("accounts.login"))


# The links in the mails show a page with one button: a mail scanner that opens links
# changes nothing (no state change on GET).
EMAIL_LINKS = {
    "confirm": (services.confirm_email_change,
                _l("Confirm your new e-mail address"), _l("Confirm the new address"),
                _l("Your new e-mail address is confirmed and now in use.")),
    "undo": (services.undo_email_change,
             _l("Undo the change of e-mail address"), _l("Undo the change"),
             _l("The old e-mail address is back and every session has ended. We have sent it "
                "a link to choose a new password.")),
}


def _email_link(kind: str, token: str):
    action, title, button, success = EMAIL_LINKS[kind]
    if request.method == "POST":
        try:
            action(token)
        except DomainError as error:
            flash(str(error.message), "error")
            return render_template("accounts/email_link.html", title=title), 400
        if kind == "undo":
            _signed_out()
        flash(str(success), "success")
        return redirect(url_for("accounts.profile" if current_user.is_authenticated
                                else "accounts.login"))
    return render_template("accounts/email_link.html", title=title, button=button)


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def confirm_email_change(token: str):
    return _email_link("confirm", token)


@bp.route("/email/undo/<token>", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
def undo_email_change(token: str):
    return _email_link("undo", token)
