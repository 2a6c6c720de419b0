"""Changes to the organisation and to staff accounts.

Each function is one atomic change: it checks the actor's capability and scope, writes, and
appends the audit row in the same transaction.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from jingmin.audit.services import audit_record, field_changes
from jingmin.core.codes import CommonError
from jingmin.core.errors import ServiceError
from jingmin.core.writes import write_service
from jingmin.org.codes import AuditAction, ErrorCode
from jingmin.org.models import ALLOWED_PARENT_KINDS, Unit, UnitKind, User
from jingmin.org.roles import ADMIN_ROLES, Cap, Role
from jingmin.org.scope import Scope
from jingmin.org.selectors import require
from jingmin.org.signin import signin_counts_clear


def _require_in_scope(actor: User, unit: Unit) -> None:
    if not Scope.of(actor).contains(unit):
        raise ServiceError(_("That unit is outside your scope."), code=CommonError.OUT_OF_SCOPE, field="unit")


def _validate_password(password: str, user: User, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise ServiceError(" ".join(exc.messages), code=ErrorCode.WEAK_PASSWORD, field=field) from exc


@write_service
def unit_create(*, actor: User | None, parent: Unit | None, kind: str, name: str, code: str) -> Unit:
    """Add a unit under `parent`. `actor` is None only for the bootstrap and the demo loader."""
    if actor is not None:
        require(actor, Cap.MANAGE_UNITS)
        if parent is None:
            raise ServiceError(
                _("Choose the unit the new one belongs to."), code=CommonError.REQUIRED, field="parent"
            )
        _require_in_scope(actor, parent)
    allowed = ALLOWED_PARENT_KINDS[kind]
    if (parent is None and allowed) or (parent is not None and parent.kind not in allowed):
        raise ServiceError(
            _("A %(kind)s cannot be placed there.") % {"kind": UnitKind(kind).label},
            code=CommonError.BAD_PARENT,
            field="parent",
        )
    name, code = name.strip(), code.strip()
    if not name:
        raise ServiceError(_("The name is required."), code=CommonError.REQUIRED, field="name")
    if not code:
        raise ServiceError(_("The unit code is required."), code=CommonError.REQUIRED, field="code")
    try:
        with transaction.atomic():
            # The path needs the new id; a unique placeholder keeps the constraint satisfied.
            unit = Unit.objects.create(parent=parent, kind=kind, name=name, code=code, path=f"new:{code}")
            unit.path = (parent.path if parent else "") + Unit.path_segment(unit.pk)
            unit.depth = parent.depth + 1 if parent else 0
            unit.save(update_fields=["path", "depth"])
            audit_record(
                actor=actor,
                actor_username="system",
                action=AuditAction.UNIT_CREATE,
                target=unit,
                detail={"kind": kind, "code": code, "parent": parent.pk if parent else None},
            )
    except IntegrityError as exc:
        raise ServiceError(
            _("Another unit already has this code."), code=CommonError.DUPLICATE, field="code"
        ) from exc
    return unit


INTAKE_DESK_NAME = "指挥中心"


@write_service
def intake_desk_ensure(*, bureau: Unit, code: str = "") -> Unit:
    """The bureau's command centre (指挥中心), the intake desk of last resort; made once.

    Appeals that arrive without a station (the portal's "不确定", Open311, the API) land on this
    desk, so that every appeal has someone able to take its next step. A department named
    指挥中心 that already exists becomes the desk rather than getting a twin.
    """
    desk = Unit.objects.select_for_update().filter(is_intake_desk=True).first()
    if desk is not None:
        return desk
    desk = Unit.objects.filter(parent=bureau, kind=UnitKind.DEPARTMENT, name=INTAKE_DESK_NAME).first()
    if desk is None:
        desk = unit_create(
            actor=None,
            parent=bureau,
            kind=UnitKind.DEPARTMENT,
            name=INTAKE_DESK_NAME,
            code=code or f"{bureau.code}-ZH",
        )
    desk.is_intake_desk = True
    desk.save(update_fields=["is_intake_desk"])
    audit_record(
        actor=None,
        actor_username="system",
        action=AuditAction.UNIT_INTAKE_DESK,
        target=desk,
        detail={"code": desk.code},
    )
    return desk


@write_service
def staff_create(
    *,
    actor: User | None,
    username: str,
    full_name: str,
    unit: Unit,
    role: str,
    password: str,
    police_number: str = "",
    phone: str = "",
    password_change_required: bool = True,
) -> User:
    if actor is not None:
        require(actor, Cap.MANAGE_ACCOUNTS)
        _require_in_scope(actor, unit)
        if role in ADMIN_ROLES:
            raise ServiceError(
                _("Administrator roles are granted by the security administrator."),
                code=ErrorCode.FORBIDDEN_ROLE,
                field="role",
            )
    if role not in Role.values:
        raise ServiceError(_("Choose a role."), code=CommonError.REQUIRED, field="role")
    username, full_name = username.strip(), full_name.strip()
    if not username:
        raise ServiceError(_("The user name is required."), code=CommonError.REQUIRED, field="username")
    if not full_name:
        raise ServiceError(_("The full name is required."), code=CommonError.REQUIRED, field="full_name")
    user = User(
        username=username,
        full_name=full_name,
        unit=unit,
        role=role,
        police_number=police_number.strip(),
        phone=phone.strip(),
        password_change_required=password_change_required,
    )
    _validate_password(password, user)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
            audit_record(
                actor=actor,
                actor_username="system",
                action=AuditAction.USER_CREATE,
                target=user,
                detail={"unit": unit.pk, "role": role},
            )
    except IntegrityError as exc:
        raise ServiceError(
            _("This user name is taken."), code=CommonError.DUPLICATE, field="username"
        ) from exc
    return user


PROFILE_FIELDS = ["full_name", "unit", "police_number", "phone", "is_active"]


@write_service
def staff_update(
    *,
    actor: User,
    user: User,
    full_name: str,
    unit: Unit,
    police_number: str,
    phone: str,
    is_active: bool,
) -> User:
    require(actor, Cap.MANAGE_ACCOUNTS)
    _require_in_scope(actor, user.unit)
    _require_in_scope(actor, unit)
    if user.pk == actor.pk and not is_active:
        raise ServiceError(
            _("You cannot deactivate your own account."), code=ErrorCode.SELF, field="is_active"
        )
    if not full_name.strip():
        raise ServiceError(_("The full name is required."), code=CommonError.REQUIRED, field="full_name")
    locked = User.objects.select_for_update().get(pk=user.pk)
    before = {name: getattr(locked, name) for name in PROFILE_FIELDS}
    before["unit"] = locked.unit_id
    locked.full_name, locked.unit = full_name.strip(), unit
    locked.police_number, locked.phone, locked.is_active = police_number.strip(), phone.strip(), is_active
    changes = field_changes(locked, before, PROFILE_FIELDS)
    if changes:
        locked.save(update_fields=PROFILE_FIELDS)
        audit_record(actor=actor, action=AuditAction.USER_UPDATE, target=locked, detail=changes)
    return locked


@write_service
def staff_set_role(*, actor: User, user: User, role: str) -> User:
    require(actor, Cap.ASSIGN_ROLES)
    _require_in_scope(actor, user.unit)
    if user.pk == actor.pk:
        raise ServiceError(_("You cannot change your own role."), code=ErrorCode.SELF, field="role")
    if role not in Role.values:
        raise ServiceError(_("Choose a role."), code=CommonError.REQUIRED, field="role")
    locked = User.objects.select_for_update().get(pk=user.pk)
    if locked.role != role:
        old = locked.role
        locked.role = role
        locked.save(update_fields=["role"])
        audit_record(actor=actor, action=AuditAction.ROLE_CHANGE, target=locked, detail={"role": [old, role]})
    return locked


@write_service
def account_unlock(*, actor: User, user: User) -> User:
    require(actor, Cap.SECURE_ACCOUNTS)
    _require_in_scope(actor, user.unit)
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.failed_signins, locked.locked_until = 0, None
    locked.save(update_fields=["failed_signins", "locked_until"])
    audit_record(actor=actor, action=AuditAction.USER_UNLOCK, target=locked)
    # The counts that slow sign-ins to this name, at every address.
    signin_counts_clear(username=locked.username, address=None)
    return locked


@write_service
def account_reset_password(*, actor: User, user: User, password: str) -> User:
    """Set a temporary password that the person must change at the next sign-in."""
    require(actor, Cap.SECURE_ACCOUNTS)
    _require_in_scope(actor, user.unit)
    if user.pk == actor.pk:
        raise ServiceError(
            _("Change your own password on your security page."), code=ErrorCode.SELF, field="password"
        )
    _validate_password(password, user)
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.set_password(password)
    locked.password_change_required = True
    locked.save(update_fields=["password", "password_change_required"])
    audit_record(actor=actor, action=AuditAction.PASSWORD_RESET, target=locked)
    return locked


@write_service
def second_factor_reset(*, actor: User, user: User) -> User:
    """Remove a person's authenticator (lost phone); an administrator re-enrols at next sign-in."""
    require(actor, Cap.SECURE_ACCOUNTS)
    _require_in_scope(actor, user.unit)
    if user.pk == actor.pk:
        raise ServiceError(
            _("Another security administrator must reset your second factor."), code=ErrorCode.SELF
        )
    removed, _counts = TOTPDevice.objects.filter(user=user).delete()
    audit_record(actor=actor, action=AuditAction.OTP_RESET, target=user, detail={"devices": removed})
    return user
