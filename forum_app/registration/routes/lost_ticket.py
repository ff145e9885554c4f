""""Lost your ticket?": a guest gives the e-mail address or phone number they registered with,
and the link of each of their registrations goes again to the address on it.

The answer is the same whether anything was found: the same words, the same redirect, and the
mail leaves after the answer. Limited per address and per network; the limit's key holds no
address (Flask-Limiter logs it) and nothing here logs one."""

import hashlib
import hmac

from flask import current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from ...extensions import limiter
from ...notifications.services import deliver_after_answer
from ...security import limit_per_network
from ..forms import LostTicketForm
from ..services.lost_tickets import contact_key, is_contact, resend_lost_tickets
from .public import bp


def _sent(response) -> bool:
    return response.status_code in (302, 303)


def _address_key() -> str:
    """The address or number asked for, keyed with the secret: one counter per person that
    says nobody's address in a log."""
    contact = request.form.get("contact", "")
    name = contact_key(contact) if is_contact(contact) else contact.strip().lower()
    digest = hmac.new(current_app.config["SECRET_KEY"].encode(), name.encode(),
                      hashlib.sha256).hexdigest()
    return f"lost-ticket:{digest}"


def _page(form: LostTicketForm, status: int = 200, limited: bool = False):
    return make_response(render_template("registration/lost_ticket.html", form=form,
                                         limited=limited), status)


def _limited(_request_limit):
    return _page(LostTicketForm(), status=429, limited=True)


@bp.route("/tickets/lost", methods=["GET", "POST"])
@limit_per_network(lambda: current_app.config["LOST_TICKET_NETWORK_LIMIT"], on_breach=_limited)
@limiter.limit(lambda: current_app.config["LOST_TICKET_ADDRESS_LIMIT"], methods=["POST"],
               key_func=_address_key, deduct_when=_sent, on_breach=_limited)
def lost_ticket():
    form = LostTicketForm()
    if request.method == "GET":
        return _page(form)
    if not form.validate():
        return _page(form, status=422)
    resend_lost_tickets(form.contact.data)
    flash(_("If we have a registration for this e-mail address or phone number, we have sent "
            "the link to it again, to the e-mail address given when registering. Please look "
            "in your mail in a few minutes, also in the spam folder."), "success")
    return deliver_after_answer(redirect(url_for("registration.lost_ticket")))
