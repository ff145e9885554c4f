"""The signed-in person's personal API tokens: the list, making one (shown once, on a page no
cache keeps), revoking one."""

from flask import Blueprint, Response, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..core.forms import Form, attempt, perform
from ..i18n import utcnow
from ..security import PRIVATE
from . import api_tokens
from .forms import ApiTokenForm

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def _list_page(form: ApiTokenForm | None = None, status: int = 200):
    return render_template("accounts/api_tokens.html", form=form or ApiTokenForm(),
                           tokens=api_tokens.tokens_of(current_user), now=utcnow(),
                           state_of=api_tokens.token_state), status


@bp.route("/")
@login_required
def index():
    return _list_page()


@bp.route("/", methods=["POST"])
@login_required
def create():
    form = ApiTokenForm()
    done = perform(form, lambda: api_tokens.create_api_token(
        current_user, form.name.data, form.scopes.data, form.days.data,
        form.current_password.data))
    if not done:
        return _list_page(form, 422)
    token, secret = done.value
    # The only time the token is shown: it is stored hashed, and no cache keeps this page.
    page = render_template("accounts/api_token_created.html", token=token, secret=secret)
    return Response(page, status=201, headers=PRIVATE)


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke(token_id: int):
    token = api_tokens.own_token(current_user, token_id) or abort(404)
    if not Form().validate_on_submit():  # the button's CSRF token
        abort(400)
    attempt(lambda: api_tokens.revoke_api_token(current_user, token),
            _("The token “%(name)s” no longer works.", name=token.name))
    return redirect(url_for("api_tokens.index"))
