"""The admin area: users and roles, departments, districts, the outbox."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, or_, select

from ..accounts import services as account_services
from ..accounts.access import role_required
from ..accounts.models import Role, User, UserRole
from ..audit.models import AuditEvent
from ..core.forms import CategoryForm, DepartmentForm, DistrictForm, attempt
from ..core.models import Department, District
from ..database import TABLE_PAGE_SIZE, paginate
from ..extensions import db
from ..issues.models import Category
from ..notifications.models import OutboxMessage
from ..notifications.services import message_texts
from .exports import export_log
from .forms import BlockUserForm, UserRolesForm, UserSearchForm
from .services import save_reference

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.add_url_rule("/exports", view_func=export_log)
REFERENCE_MODELS = {"departments": (Department, DepartmentForm),
                    "districts": (District, DistrictForm),
                    "categories": (Category, CategoryForm)}


@bp.before_request
@role_required(Role.ADMIN)
def require_admin():
    return None


@bp.route("/")
def index():
    counts = {
        "users": db.session.scalar(select(func.count(User.id))),
        "departments": db.session.scalar(select(func.count(Department.id))),
        "districts": db.session.scalar(select(func.count(District.id))),
        "outbox": db.session.scalar(select(func.count(OutboxMessage.id))
                                    .where(OutboxMessage.sent_at.is_(None))),
    }
    return render_template("admin/index.html", counts=counts)


@bp.route("/users")
def users():
    form = UserSearchForm(request.args)
    query = select(User).order_by(User.created_at.desc())
    if form.validate() and form.q.data:
        like = f"%{form.q.data.strip().lower()}%"
        query = query.where(or_(func.lower(User.name).like(like),
                                func.lower(User.email).like(like)))
    if form.role.data in {r.value for r in Role}:
        query = query.where(User.id.in_(select(UserRole.user_id).where(UserRole.role ==
                                                                        form.role.data)))
    page = paginate(query, per_page=TABLE_PAGE_SIZE)
    return render_template("admin/users.html", form=form, page=page, roles=list(Role))


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_detail(user_id: int):
    user = db.get_or_404(User, user_id)
    form = UserRolesForm(obj=None)
    if request.method == "GET":
        form.roles.data = sorted(user.roles - {Role.CITIZEN.value})
        form.department_id.data = user.department_id
    if form.validate_on_submit() and attempt(
            lambda: account_services.set_roles(current_user, user, set(form.roles.data or []),
                                               form.department_id.data, form.reason.data),
            _("The roles have been saved.")):
        return redirect(url_for("admin.user_detail", user_id=user.id))
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "User", AuditEvent.object_id == user.id)
        .order_by(AuditEvent.id.desc()).limit(50)).all()
    return render_template("admin/user_detail.html", user=user, form=form,
                           block_form=BlockUserForm(), events=events)


@bp.route("/users/<int:user_id>/block", methods=["POST"])
def block_user(user_id: int):
    user = db.get_or_404(User, user_id)
    form = BlockUserForm()
    if not form.validate_on_submit():
        flash(_("Please give a reason."), "error")
        return redirect(url_for("admin.user_detail", user_id=user.id))
    attempt(lambda: account_services.set_blocked(current_user, user, form.block.data,
                                                  form.reason.data),
            _("The account has been blocked.") if form.block.data
            else _("The account has been unblocked."))
    return redirect(url_for("admin.user_detail", user_id=user.id))


@bp.route("/<kind>")
def reference_list(kind: str):
    model, _form = REFERENCE_MODELS.get(kind) or abort(404)
    rows = db.session.scalars(select(model).order_by(model.id)).all()
    return render_template("admin/reference_list.html", kind=kind, rows=rows)


@bp.route("/<kind>/new", methods=["GET", "POST"], defaults={"obj_id": None})
@bp.route("/<kind>/<int:obj_id>", methods=["GET", "POST"])
def reference_edit(kind: str, obj_id: int | None):
    model, form_class = REFERENCE_MODELS.get(kind) or abort(404)
    obj = db.get_or_404(model, obj_id) if obj_id else None
    form = form_class(obj=obj)
    if form.validate_on_submit() and attempt(
            lambda: save_reference(current_user, model, form.data, obj), _("Saved.")):
        return redirect(url_for("admin.reference_list", kind=kind))
    return render_template("admin/reference_edit.html", kind=kind, form=form, obj=obj)


@bp.route("/outbox")
def outbox():
    page = paginate(select(OutboxMessage).order_by(OutboxMessage.id.desc()),
                    per_page=TABLE_PAGE_SIZE)
    subjects = {message.id: message_texts(message).subject for message in page.items}
    return render_template("admin/outbox.html", page=page, subjects=subjects)


@bp.route("/outbox/<int:message_id>")
def outbox_message(message_id: int):
    message = db.get_or_404(OutboxMessage, message_id)
    return render_template("admin/outbox_message.html", message=message,
                           texts=message_texts(message))
